"""The critical debate: whose voice a critique is, what its summary rests on, the editors'
confidence in its severity, the agenda's reply, the agenda page's account of its voices,
assumption aliases for importers, and a criterion's calibration by level."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agendas.importers.shallow_review import markdown_links, unwrap_search_link
from agendas.models import Assumption, AssumptionAlias, Critique, Rating, Reliance
from agendas.views.reference import CALIBRATION_PER_LEVEL
from tests.builders import (
    make_agenda,
    make_assessor,
    make_assumption,
    make_criterion,
    make_critique,
    make_rating,
    make_source,
)
from tests.markup import squash
from tests.test_import_shallow_review import SAMPLE, run_import, taxonomy  # noqa: F401

Voice, Basis, Status = Critique.Voice, Critique.Basis, Critique.Status


def refused_by_the_database(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_critique(**fields)


# --- the model ------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["voice", "basis", "severity_confidence"])
def test_a_published_critique_must_say_its_voice_basis_and_confidence(db, missing):
    refused_by_the_database(**{missing: ""})


@pytest.mark.parametrize(
    "field, value",
    [("voice", "anonymous"), ("basis", "hearsay"), ("severity_confidence", "certain")],
)
def test_the_database_refuses_unknown_voices_bases_and_confidences(db, field, value):
    refused_by_the_database(status=Status.SUBMITTED, **{field: value})


def test_a_summary_from_another_works_account_names_that_work(db):
    refused_by_the_database(basis=Basis.ACCOUNT)
    refused_by_the_database(basis=Basis.ABSTRACT, basis_source=make_source())
    review = make_source(title="A review of it")
    critique = make_critique(basis=Basis.ACCOUNT, basis_source=review)
    assert critique.basis_source == review


@pytest.mark.parametrize(
    "fields",
    [
        {"voice": Voice.OUTSIDE},
        {"basis": Basis.ABSTRACT},
        {"severity_confidence": "high"},
    ],
)
def test_a_linked_critique_claims_no_voice_reading_or_confidence(db, fields):
    refused_by_the_database(status=Status.LINKED, **fields)


def test_clean_names_each_missing_assessment_for_the_form(db):
    critique = make_critique(status=Status.SUBMITTED, voice="", basis="", severity_confidence="")
    with pytest.raises(ValidationError) as error:
        critique.full_clean()
    assert {"voice", "basis", "severity_confidence"} <= set(error.value.message_dict)

    critique.voice, critique.basis, critique.severity_confidence = "own", "account", "low"
    with pytest.raises(ValidationError) as error:
        critique.full_clean()
    assert set(error.value.message_dict) == {"basis_source"}


def test_changing_the_voice_or_basis_of_a_published_critique_sends_it_back_to_review(db):
    critique = make_critique()
    critique.basis = Basis.FULL_TEXT
    critique.save()
    critique.refresh_from_db()
    assert critique.status == Status.SUBMITTED


# --- the admin form -------------------------------------------------------------------------


def test_the_admin_answers_a_missing_account_source_with_a_form_error(client, editor):
    from tests.test_moderation import critique_form

    client.force_login(editor)
    agenda = make_agenda()
    response = client.post(
        "/admin/agendas/critique/add/",
        critique_form(agenda, basis=Basis.ACCOUNT, voice="nobody", status="published"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "voice" in errors and "basis_source" in errors
    assert not Critique.objects.exists()


# --- the agenda page ------------------------------------------------------------------------


def test_the_agenda_page_counts_critiques_by_voice_and_shows_what_each_rests_on(client, db):
    agenda = make_agenda()
    review = make_source(title="Someone else's review", url="https://example.org/review")
    make_critique(agenda=agenda, title="Outside one", voice=Voice.OUTSIDE)
    make_critique(
        agenda=agenda,
        title="Read through a review",
        voice=Voice.OWN,
        basis=Basis.ACCOUNT,
        basis_source=review,
    )
    make_critique(
        agenda=agenda,
        title="Answered one",
        voice=Voice.OUTSIDE,
        response="They reply that it holds.",
        response_source=make_source(),
    )
    html = squash(client.get(agenda.get_absolute_url()).text)

    assert "3 summarised and assessed by our editors (2 from outside the agenda, 1 from the " in (
        html.replace("&#x27;", "'")
    )
    assert "summary from another work’s account of it" in html.replace("&#x27;", "’")
    assert 'href="https://example.org/review"' in html
    assert "The agenda’s reply" in html
    assert "no-outside-critique" not in html


def test_an_agenda_with_no_outside_critique_says_so_and_when_it_was_searched(client, db):
    agenda = make_agenda(critiques_searched=datetime.date(2026, 12, 2))
    make_critique(agenda=agenda, voice=Voice.OWN)
    html = squash(client.get(agenda.get_absolute_url()).text)
    notice = html.split('class="notice no-outside-critique"')[1].split("</p>")[0]
    assert "as of" in notice and "2 December 2026" in notice
    assert "found no critique of this agenda from people outside it" in notice


def test_the_critique_page_says_whose_voice_and_what_was_read(client, db):
    critique = make_critique(voice=Voice.EDITORS, author=Critique.EDITORS_CREDIT)
    html = squash(client.get(critique.get_absolute_url()).text)
    assert "<dt>Whose voice</dt><dd>The editors’ own analysis</dd>" in html.replace("&#x27;", "’")
    assert "<dt>The summary rests on</dt><dd>The abstract only</dd>" in html


# --- importing --------------------------------------------------------------------------------


def test_an_imported_assumption_matching_an_alias_or_its_start_joins_the_shipped_one(taxonomy):  # noqa: F811
    hidden = make_assumption(statement="No optimisers hide inside", slug="no-inner-optimisers")
    graders = make_assumption(statement="People can grade the outputs", slug="graders-grade")
    AssumptionAlias.objects.create(name="No hidden optimisers", assumption=hidden)
    # The sample states "assume that graders can tell good from bad": an alias of its first
    # words is enough.
    AssumptionAlias.objects.create(name="Graders can tell", assumption=graders)
    before = Assumption.objects.count()

    run_import(SAMPLE / "agendas.csv")

    assert Reliance.objects.filter(assumption=hidden).exists()
    assert Reliance.objects.filter(assumption=graders).exists()
    statements = set(Assumption.objects.values_list("statement", flat=True))
    assert "No hidden optimisers" not in statements
    assert "Graders can tell good from bad" not in statements
    assert Assumption.objects.count() - before == 1  # only "Feedback stays honest" is new


def test_a_link_through_a_web_search_is_read_as_the_address_searched_for():
    target = "https://open.substack.com/pub/x/p/a-post"
    assert unwrap_search_link(f"https://www.google.com/search?q={target}") == target
    assert unwrap_search_link("https://www.google.com/search?q=alignment") == (
        "https://www.google.com/search?q=alignment"
    )
    links = markdown_links(f"[Post](https://www.google.com/search?q={target})")
    assert [link.url for link in links] == [target]


# --- a criterion's calibration --------------------------------------------------------------


@pytest.mark.parametrize(
    "rationale, reason",
    [
        (
            "Level 2: only toy models so far. Larger tests are planned (Smith 2025).",
            "only toy models so far.",
        ),
        (
            "Level 4: it reads internals, e.g. probes. More follows.",
            "it reads internals, e.g. probes.",
        ),
        ("Level 1: one sentence only", "one sentence only"),
    ],
)
def test_a_ratings_reason_line_is_its_first_sentence_after_the_level(rationale, reason):
    assert Rating(rationale=rationale).reason_line == reason


def test_a_criterion_page_lists_the_editors_agendas_at_each_level_with_their_reason(client, db):
    criterion = make_criterion()
    editors = make_assessor(kind="editors", slug="editors")
    other = make_assessor(kind="person")
    strong = make_agenda(name="Strong")
    weak = make_agenda(name="Weak")
    make_rating(strong, criterion, editors, score=4, rationale="Level 4: it mirrors the task.")
    make_rating(weak, criterion, editors, score=1, rationale="Level 1: outputs only. More.")
    make_rating(weak, criterion, other, score=5, rationale="Level 5: a person disagrees.")

    html = client.get(criterion.get_absolute_url()).text
    calibration = html.split('id="calibration-heading"')[1]

    level_4 = calibration.split('id="level-4"')[1].split('id="level-3"')[0]
    assert "Strong</a>: it mirrors the task." in level_4
    level_1 = calibration.split('id="level-1"')[1]
    assert "Weak</a>: outputs only." in level_1
    assert "a person disagrees" not in calibration  # the editors' calibration only
    assert "No agenda is rated at this level by the editors." in calibration


def test_a_criterion_page_names_a_bounded_number_per_level(client, db):
    criterion = make_criterion()
    editors = make_assessor(kind="editors", slug="editors")
    for n in range(CALIBRATION_PER_LEVEL + 3):
        make_rating(make_agenda(name=f"Agenda {n:02}"), criterion, editors, score=2)
    response = client.get(criterion.get_absolute_url())
    score, _, shown, count = response.context["levels"][3]
    assert (score, len(shown), count) == (2, CALIBRATION_PER_LEVEL, CALIBRATION_PER_LEVEL + 3)
    assert f"The first {CALIBRATION_PER_LEVEL} by name" in response.text
