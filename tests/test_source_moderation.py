"""A source a contributor adds stays off the public site (agenda pages, search, the JSON and
CSV export) until an editor approves it or a published critique cites it."""

import json

import pytest
from django.urls import reverse

from agendas.models import Critique, Source
from tests.builders import make_agenda, make_critique, make_source
from tests.test_history import admin_page_data
from tests.test_moderation import act

Status = Critique.Status
SOURCES = reverse("admin:agendas_source_changelist")
TITLE = "Zyzzyva considered harmful"


def add_source(client, **overrides):
    data = {
        "title": TITLE,
        "slug": "zyzzyva",
        "url": "https://example.org/zyzzyva",
        "authors": "Q. Writer",
        "year": "2024",
        "published": "",
        "kind": "post",
        "note": "",
        "is_approved": "on",
    }
    return client.post(reverse("admin:agendas_source_add"), data | overrides)


def public_places(client, agenda=None):
    """Where readers could meet a source: search, the exports, and an agenda's page."""
    pages = {
        "search": client.get(reverse("agendas:search"), {"q": "Zyzzyva"}).text,
        "json": client.get("/export/agendas.json").text,
        "csv": client.get("/export/agendas.csv").text,
    }
    if agenda is not None:
        pages["agenda"] = client.get(agenda.get_absolute_url()).text
    return pages


def shown_in(client, agenda=None):
    return sorted(place for place, text in public_places(client, agenda).items() if TITLE in text)


def exported_slugs(client):
    return {row["slug"] for row in json.loads(client.get("/export/agendas.json").text)["sources"]}


def test_contributor_source_is_saved_unapproved_and_stays_hidden(client, contributor):
    client.force_login(contributor)
    assert add_source(client).status_code == 302
    source = Source.objects.get(slug="zyzzyva")
    # Ticking "approved" in the posted form does nothing: the field is read-only for them.
    assert (source.is_approved, source.added_by) == (False, contributor)
    client.logout()
    assert shown_in(client) == []
    assert "zyzzyva" not in exported_slugs(client)


def test_editor_source_is_approved_and_recorded_as_theirs(client, editor):
    client.force_login(editor)
    assert add_source(client).status_code == 302
    source = Source.objects.get(slug="zyzzyva")
    assert (source.is_approved, source.added_by) == (True, editor)
    client.logout()
    assert shown_in(client) == ["json", "search"]


def test_publishing_a_critique_that_cites_it_makes_it_public(client, contributor, editor):
    source = make_source(title=TITLE, slug="zyzzyva", is_approved=False, added_by=contributor)
    critique = make_critique(status=Status.SUBMITTED, submitted_by=contributor, source=source)
    assert shown_in(client) == []

    client.force_login(editor)
    act(client, "publish", [critique])
    client.logout()
    assert "zyzzyva" in exported_slugs(client)
    assert "search" in shown_in(client)
    assert TITLE in client.get(critique.get_absolute_url()).text

    # Rejected after all: the source is hidden again, since nobody approved it.
    client.force_login(editor)
    critique.refresh_from_db()
    act(client, "reject", [critique], query="?status=published")
    client.logout()
    assert shown_in(client) == []


def test_editor_approves_with_the_action_and_contributor_cannot(client, contributor, editor):
    source = make_source(title=TITLE, slug="zyzzyva", is_approved=False, added_by=contributor)
    approve = {"action": "approve", "_selected_action": [source.pk]}

    client.force_login(contributor)
    assert 'value="approve"' not in client.get(SOURCES).text
    client.post(SOURCES, approve)
    source.refresh_from_db()
    assert not source.is_approved

    client.force_login(editor)
    page = client.get(SOURCES + "?is_approved__exact=0")
    assert [row.slug for row in page.context["cl"].result_list] == ["zyzzyva"]
    response = client.post(SOURCES, approve, follow=True)
    assert "1 source approved." in [str(m) for m in response.context["messages"]]
    source.refresh_from_db()
    assert source.is_approved
    client.logout()
    assert shown_in(client) == ["json", "search"]


def test_contributors_see_public_sources_and_their_own_only(client, contributor, other_contributor):
    make_source(title="Public paper", slug="public")
    make_source(title="Mine, pending", slug="mine", is_approved=False, added_by=contributor)
    make_source(
        title="Theirs, pending", slug="theirs", is_approved=False, added_by=other_contributor
    )
    client.force_login(contributor)
    listed = {row.slug for row in client.get(SOURCES).context["cl"].result_list}
    assert listed == {"public", "mine"}
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "agendas", "model_name": "critique", "field_name": "source", "term": "p"},
    ).json()["results"]
    assert {row["text"] for row in found} == {"Public paper", "Mine, pending"}


def test_agenda_page_lists_only_public_sources(client, db):
    agenda = make_agenda()
    agenda.sources.add(make_source(title="An approved paper"))
    # Not possible through the admin (see below), but pages must not depend on that.
    agenda.sources.add(make_source(title=TITLE, is_approved=False))
    page = client.get(agenda.get_absolute_url()).text
    assert "An approved paper" in page
    assert TITLE not in page


@pytest.mark.parametrize("field", ["sources", "fte_source"])
def test_editor_cannot_cite_an_unapproved_source_outside_critiques(client, editor, field):
    agenda = make_agenda()
    source = make_source(title=TITLE, is_approved=False)
    client.force_login(editor)
    url = reverse("admin:agendas_agenda_change", args=[agenda.pk])
    data = admin_page_data(client.get(url))
    data[field] = [str(source.pk)] if field == "sources" else str(source.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "awaits an editor" in str(response.context["adminform"].form.errors[field])

    # The agenda form's autocomplete does not offer it either; a critique's does.
    def offered(model_name, field_name):
        query = {"app_label": "agendas", "model_name": model_name, "field_name": field_name}
        results = client.get(reverse("admin:autocomplete"), query | {"term": "Zyzz"}).json()
        return [row["text"] for row in results["results"]]

    assert offered("agenda", field) == []
    assert offered("critique", "source") == [TITLE]

    Source.objects.filter(pk=source.pk).update(is_approved=True)
    assert client.post(url, data).status_code == 302
    assert offered("agenda", field) == [TITLE]


def test_a_source_other_content_cites_cannot_be_unapproved(client, editor):
    source = make_source(title=TITLE)
    make_agenda().sources.add(source)
    client.force_login(editor)
    url = reverse("admin:agendas_source_change", args=[source.pk])
    data = admin_page_data(client.get(url))
    data.pop("is_approved")  # unticked
    response = client.post(url, data)
    assert response.status_code == 200
    assert "agendas" in str(response.context["adminform"].form.errors["is_approved"])
    source.refresh_from_db()
    assert source.is_approved


def test_a_linked_critique_shown_to_readers_cites_only_approved_sources(
    client, contributor, editor
):
    critique = make_critique(status=Status.LINKED)
    source = make_source(title=TITLE, is_approved=False, added_by=contributor)
    client.force_login(editor)
    url = reverse("admin:agendas_critique_change", args=[critique.pk])
    data = admin_page_data(client.get(url)) | {"source": str(source.pk)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "approve this one first" in str(response.context["adminform"].form.errors["source"])
    Source.objects.filter(pk=source.pk).update(is_approved=True)
    assert client.post(url, data).status_code == 302
