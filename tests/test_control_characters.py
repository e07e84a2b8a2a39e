"""No control characters in stored text: every text field refuses them with a message (the
admin's forms, the importers), rows that hold one from before are cleaned by migration 0019,
and feeds and exports never fail on one."""

import importlib
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.urls import reverse

from agendas.models import Agenda, Critique
from agendas.models.base import NoControlCharacters
from tests.builders import make_agenda, make_critique
from tests.test_history import admin_page_data, change_url

REFUSED = ["\x01", "\x0b", "\x0c", "\x1f", "\x00"]
migration = importlib.import_module(
    "agendas.migrations.0019_search_runs_capped_and_no_control_characters"
)


def text_fields():
    for model in apps.get_app_config("agendas").get_models():
        for field in model._meta.local_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                yield model, field


def test_every_text_field_of_every_model_refuses_control_characters():
    fields = list(text_fields())
    assert len(fields) > 50  # every model of the app, history included
    for model, field in fields:
        assert any(isinstance(v, NoControlCharacters) for v in field.validators), (
            f"{model._meta.label}.{field.name}"
        )


@pytest.mark.parametrize("character", REFUSED, ids=repr)
def test_the_validator_names_the_character_and_where_it_is(character):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        NoControlCharacters()(f"ab{character}c")
    message = refused.value.messages[0]
    assert f"U+{ord(character):04X} (character 3)" in message


def test_tabs_and_line_breaks_are_accepted():
    NoControlCharacters()("one\ttwo\nthree\r\nfour")


def test_the_admin_refuses_a_control_character_with_a_form_error(client, editor):
    critique = make_critique(status=Critique.Status.SUBMITTED, title="Plain")
    client.force_login(editor)
    data = admin_page_data(client.get(change_url(critique)))
    data["title"] = "Looks\x0bplain"
    response = client.post(change_url(critique), data)
    assert response.status_code == 200
    assert "invisible control character U+000B" in response.text
    critique.refresh_from_db()
    assert critique.title == "Plain"


def test_the_importer_names_the_field_holding_a_control_character(db, tmp_path):
    document = {
        "format": "alignment-agendas",
        "version": 3,
        "agendas": [{"slug": "x", "name": "Bad\x0bname", "summary": "Does x."}],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match=r"agendas\[0\] \(x\).*name.*U\+000B"):
        call_command("import_agendas", str(path), stdout=io.StringIO())
    assert not Agenda.objects.exists()


@pytest.fixture
def rows_holding_control_characters(db):
    """Rows written before the validator existed, straight to the table."""
    agenda = make_agenda(name="Debate", slug="debate")
    critique = make_critique(agenda=agenda, title="Judges tire", author="A. Critic")
    raw_agendas, raw_critiques = models.QuerySet(Agenda), models.QuerySet(Critique)
    raw_agendas.filter(pk=agenda.pk).update(name="De\x0bbate", summary="Sum\x01mary")
    raw_critiques.filter(pk=critique.pk).update(title="Judges\x0c tire", author="A.\x1f Critic")
    return agenda, critique


@pytest.mark.parametrize("url", ["/feeds/critiques/", "/feeds/agendas/debate/critiques/"])
def test_feeds_drop_control_characters_already_stored(client, rows_holding_control_characters, url):
    agenda, _ = rows_holding_control_characters
    url = {
        "/feeds/critiques/": reverse("agendas:critiques_feed"),
        "/feeds/agendas/debate/critiques/": reverse(
            "agendas:agenda_critiques_feed", args=[agenda.slug]
        ),
    }[url]
    response = client.get(url)
    assert response.status_code == 200
    ET.fromstring(response.content)  # well-formed XML 1.0
    assert "Judges tire" in response.text
    assert "A. Critic" in response.text
    assert 'label="Debate"' in response.text


@pytest.mark.parametrize("url", ["/export/agendas.json", "/export/agendas.csv"])
def test_exports_answer_for_rows_holding_control_characters(
    client, rows_holding_control_characters, url
):
    assert client.get(url).status_code == 200


def test_the_migration_removes_control_characters_from_stored_rows(
    rows_holding_control_characters,
):
    agenda, critique = rows_holding_control_characters

    class SchemaEditor:
        pass

    editor = SchemaEditor()
    editor.connection = connection
    migration.remove_control_characters(apps, editor)
    agenda.refresh_from_db()
    critique.refresh_from_db()
    assert (agenda.name, agenda.summary) == ("Debate", "Summary")
    assert (critique.title, critique.author) == ("Judges tire", "A. Critic")
