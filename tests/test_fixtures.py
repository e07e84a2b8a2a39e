"""The shipped content in fixtures/: it loads, loads again without change, and meets its bars.

The content bars check what the site promises readers: the ten agendas of the 2023 essay,
davidad's 13 problems, a complete rubric, sourced critiques and a full grid of ratings, and
no source that is not a checked citation.
"""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from agendas.content import fixture_paths
from agendas.models import (
    Agenda,
    Assessor,
    Assumption,
    Criterion,
    Critique,
    Figure,
    Problem,
    Rating,
    Reliance,
    Source,
)
from tests.shared_data import reference

ESSAY_AGENDAS = {
    "arc-heuristic-arguments",
    "eliciting-latent-knowledge",
    "iterated-amplification",
    "arc-evals",
    "mechanistic-interpretability",
    "rlhf",
    "rlhf-plus-plus",
    "constitutional-ai",
    "agent-foundations",
    "contrast-consistent-search",
}
CRITERIA_IN_ORDER = [
    "works-without-human-judgement",
    "robust-to-deception",
    "targets-core-difficulty",
    "path-within-years",
    "empirically-grounded",
    "scaling-argument",
]


def shared_reference():
    """The checked reference material lives next to the project, in ../shared/reference."""
    return reference()


def load_content():
    out = io.StringIO()
    call_command("load_content", stdout=out)
    return out.getvalue()


def dump_content():
    out = io.StringIO()
    call_command(
        "dumpdata", "agendas", "taggit", natural_foreign=True, natural_primary=True, stdout=out
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def shipped_once(django_db_setup, django_db_blocker):
    """Load the content once for the read-only content tests, and roll it back afterwards.

    Each test's own transaction nests inside this one, so nothing leaks to other modules.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_content()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def shipped(shipped_once, db):
    pass


# ---------------------------------------------------------------- loading


def test_fixture_files_name_rows_by_natural_key_not_pk():
    for path in fixture_paths():
        rows = json.loads(path.read_text(encoding="utf-8"))
        with_pk = [row for row in rows if "pk" in row]
        assert with_pk == [], f"{path.name} has rows with a pk: {with_pk[:1]}"


def test_loaddata_loads_every_fixture_into_an_empty_database(db):
    assert not Agenda.objects.exists()

    call_command("loaddata", *map(str, fixture_paths()), verbosity=0)

    assert Agenda.objects.count() == 10
    assert Problem.objects.count() == 13
    assert Figure.objects.exists()


def test_a_second_loaddata_changes_nothing(db):
    call_command("loaddata", *map(str, fixture_paths()), verbosity=0)
    before = dump_content()

    call_command("loaddata", *map(str, fixture_paths()), verbosity=0)

    assert dump_content() == before


def test_load_content_twice_adds_no_rows(db):
    first = load_content()
    counts = {model: model.objects.count() for model in (Agenda, Reliance, Critique, Rating)}

    second = load_content()

    assert "0 already present" in first
    assert "Shipped content: 0 rows added" in second
    assert {model: model.objects.count() for model in counts} == counts


def test_load_content_keeps_an_agenda_edited_between_runs(db):
    load_content()
    Agenda.objects.filter(slug="rlhf").update(summary="Edited in the admin.")

    load_content()

    assert Agenda.objects.get(slug="rlhf").summary == "Edited in the admin."


def test_load_content_restores_a_deleted_row_and_only_that_row(db):
    load_content()
    Figure.objects.filter(slug="icml-2021-attendance").delete()

    output = load_content()

    assert Figure.objects.filter(slug="icml-2021-attendance").exists()
    assert "Shipped content: 1 rows added" in output


# ---------------------------------------------------------------- content bars


def test_it_ships_the_ten_agendas_of_the_essay(shipped):
    assert set(Agenda.objects.values_list("slug", flat=True)) == ESSAY_AGENDAS


def test_the_rlhf_family_is_a_chain_of_parents(shipped):
    assert Agenda.objects.get(slug="rlhf-plus-plus").parent.slug == "rlhf"
    assert Agenda.objects.get(slug="constitutional-ai").parent.slug == "rlhf-plus-plus"


def test_every_agenda_is_described_sourced_and_tagged(shipped):
    for agenda in Agenda.objects.prefetch_related("sources", "tags"):
        assert agenda.summary and agenda.description and agenda.theory_of_change, agenda.slug
        assert agenda.broad_approach and agenda.target_case and agenda.supervision, agenda.slug
        assert agenda.sources.all(), f"{agenda.slug} cites no source"
        assert 2 <= len(agenda.tags.all()) <= 4, agenda.slug


def test_every_fte_estimate_has_a_source_and_date(shipped):
    with_fte = Agenda.objects.filter(fte_low__isnull=False)
    assert with_fte.exists()
    for agenda in with_fte:
        assert agenda.fte_source_id and agenda.fte_date and agenda.fte_text, agenda.slug


def test_at_least_twelve_assumptions_each_carry_an_agenda(shipped):
    counts = Assumption.objects.annotate(n=Count("reliances"))
    assert counts.count() >= 12
    assert [a.slug for a in counts if a.n == 0] == []
    assert counts.filter(n__gte=2).count() > counts.count() / 2


def test_it_ships_davidads_13_problems_with_their_names(shipped):
    text = (shared_reference() / "orthodox-problems.md").read_text(encoding="utf-8")
    expected = {int(n): name for n, name in re.findall(r"^(\d+)\. (.+)$", text, re.M)}

    assert dict(Problem.objects.values_list("number", "name")) == expected
    assert len(expected) == 13


def test_the_rubric_has_six_criteria_with_guidance_for_every_score(shipped):
    criteria = list(Criterion.objects.order_by("order"))

    assert [c.slug for c in criteria] == CRITERIA_IN_ORDER
    for criterion in criteria:
        assert criterion.question
        assert all(text.strip() for _, text in criterion.guidance), criterion.slug


def test_the_icml_attendance_figure_is_disputed(shipped):
    icml = Figure.objects.get(slug="icml-2021-attendance")

    assert icml.is_disputed
    assert "6,000" in icml.dispute


def test_every_source_url_is_a_checked_citation(shipped):
    reference = shared_reference()
    checked = (reference / "sources.md").read_text(encoding="utf-8")
    for path in sorted((reference / "shallow-review-2025").iterdir()):
        checked += path.read_text(encoding="utf-8")

    missing_url = list(Source.objects.filter(url="").values_list("slug", flat=True))
    unchecked = [s.slug for s in Source.objects.exclude(url="") if s.url not in checked]

    assert missing_url == []
    assert unchecked == []


# ---------------------------------------------------------------- critiques and ratings


def test_every_shipped_critique_is_published(shipped):
    assert Critique.objects.exists(), "fixtures/critiques.json holds no critiques"
    assert list(Critique.objects.exclude(status="published").values_list("slug", flat=True)) == []


def test_every_agenda_has_at_least_two_sourced_published_critiques(shipped):
    sourced = Q(critiques__status="published", critiques__source__isnull=False)
    counts = dict(
        Agenda.objects.annotate(n=Count("critiques", filter=sourced)).values_list("slug", "n")
    )

    assert {slug: n for slug, n in counts.items() if n < 2} == {}


def test_every_agenda_is_rated_on_every_criterion_by_both_assessors(shipped):
    assessors = set(Assessor.objects.values_list("slug", flat=True))
    assert assessors == {"essay-2023", "editors"}

    rated = set(Rating.objects.values_list("agenda__slug", "criterion__slug", "assessor__slug"))

    expected = {(a, c, s) for a in ESSAY_AGENDAS for c in CRITERIA_IN_ORDER for s in assessors}
    assert expected - rated == set()
    assert Rating.objects.filter(rationale="").count() == 0
