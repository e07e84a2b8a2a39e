"""Critiques the Shallow Review links to that no editor has read: a visible state of their
own. They are public and counted apart, and they claim no severity, kind or review."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agendas.models import Critique
from tests.builders import make_agenda, make_critique, make_source
from tests.markup import squash


@pytest.fixture
def agenda(db):
    agenda = make_agenda(name="Debate", slug="debate")
    make_critique(agenda=agenda, title="Judges tire", severity=Critique.Severity.MAJOR)
    source = make_source(title="Why debate fails", url="https://example.org/why", year=2025)
    make_critique(
        agenda=agenda,
        title="Why debate fails",
        slug="linked-one",
        status=Critique.Status.LINKED,
        author="Ann Critic",
        source=source,
    )
    return agenda


def test_the_agenda_page_lists_linked_critiques_apart_and_claims_nothing(client, agenda):
    html = squash(client.get(agenda.get_absolute_url()).text)
    assert (
        "1 summarised and assessed by our editors (1 from outside the agenda); "
        "1 linked by the Shallow Review" in html
    )
    linked = html.split('id="linked-heading"')[1]
    assert "Why debate fails" in linked
    assert "by Ann Critic" in linked
    assert "we claim nothing about their argument, kind or severity" in linked
    assert (
        "Why debate fails" not in html.split('id="linked-heading"')[0].split("critiques-heading")[1]
    )


def test_the_critique_page_of_a_linked_critique_says_what_it_is(client, agenda):
    html = client.get("/critiques/linked-one/").text
    assert "Linked by the Shallow Review, not yet summarised" in html
    assert "claims nothing about its argument, its kind or how severe it is" in html
    assert "Severity" not in html and "Fatal" not in html
    assert 'href="https://example.org/why"' in html


def test_the_critique_list_counts_and_filters_each_state(client, agenda):
    everything = client.get("/critiques/")
    assert "2 critiques" in squash(everything.text)
    assert "1 summarised and assessed by our editors; 1 linked" in squash(everything.text)
    linked = client.get("/critiques/", {"state": "linked"})
    assert [c.title for c in linked.context["critiques"]] == ["Why debate fails"]
    published = client.get("/critiques/", {"state": "published"})
    assert [c.title for c in published.context["critiques"]] == ["Judges tire"]


def test_linked_critiques_sort_after_assessed_ones(client, agenda):
    for sort in ("newest", "severity"):
        response = client.get("/critiques/", {"sort": sort})
        assert [c.title for c in response.context["critiques"]][-1] == "Why debate fails"


def test_the_agenda_list_counts_linked_critiques_apart(client, agenda):
    response = client.get("/agendas/")
    row = next(row for row in response.context["rows"] if row.slug == "debate")
    assert (row.critique_count, row.linked_critique_count) == (1, 1)
    assert "+1 linked" in response.text


def test_feeds_carry_only_assessed_critiques(client, agenda):
    assert "Why debate fails" not in client.get("/feeds/critiques/").text
    assert "Judges tire" in client.get("/feeds/critiques/").text


def test_the_database_refuses_a_linked_critique_that_claims_an_assessment(agenda):
    linked = Critique.objects.get(slug="linked-one")
    for change in ({"severity": 2}, {"kind": "scalability"}, {"reviewed_at": timezone.now()}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Critique.objects.filter(pk=linked.pk).update(**change)


def test_an_editor_summarises_a_linked_critique_into_a_normal_one(agenda, editor):
    critique = Critique.objects.get(slug="linked-one")
    critique.status = Critique.Status.PUBLISHED
    with pytest.raises(ValidationError) as error:
        critique.full_clean()
    assert {"body", "kind", "severity", "severity_confidence", "voice", "basis"} <= set(
        error.value.message_dict
    )

    critique.body = "Our summary of the argument."
    critique.kind = Critique.Kind.SCALABILITY
    critique.severity = Critique.Severity.MODERATE
    critique.severity_confidence = "medium"
    critique.voice = Critique.Voice.OUTSIDE
    critique.basis = Critique.Basis.EXCERPTS
    critique.decide(Critique.Status.PUBLISHED, editor)
    critique.full_clean()
    critique.save()

    critique.refresh_from_db()
    assert critique.is_published
    assert critique.reviewed_by == editor and critique.reviewed_revision == critique.revision
    assert "Our summary of the argument." in critique.body_html
