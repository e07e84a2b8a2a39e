"""The shipped content in fixtures/: it loads, loads again without change, and keeps its
promises to readers.

These tests pin invariants, not counts, so editors can add agendas, sources and ratings
without touching them: every agenda is written up, dated, sourced and rated by the editors
on every criterion; the essay's agendas are all there; the taxonomy is one tree; every claim
that can age carries a date. tests/content_rules.py holds the rules that read the reference
material beside the checkout (the copying rule, facts from the Shallow Review's papers.csv);
they skip, saying why, on a fresh clone, and CI requires them.
"""

import datetime
import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q

from agendas.content import BEFORE_FIELD, fixture_paths
from agendas.models import (
    Agenda,
    Area,
    AreaAlias,
    Assessor,
    Assumption,
    Criterion,
    Critique,
    Figure,
    Organisation,
    Problem,
    Rating,
    Reliance,
    Source,
)
from tests import content_rules

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
# The Shallow Review 2025 export's date: dated claims must be true as of it or later.
REVIEW_DATE = datetime.date(2025, 12, 16)


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


def fixture_rows(model):
    return [
        row["fields"]
        for path in fixture_paths()
        for row in json.loads(path.read_text(encoding="utf-8"))
        if row["model"] == model
    ]


# ---------------------------------------------------------------- loading


def test_fixture_files_name_rows_by_natural_key_not_pk():
    for path in fixture_paths():
        rows = json.loads(path.read_text(encoding="utf-8"))
        with_pk = [row for row in rows if "pk" in row]
        assert with_pk == [], f"{path.name} has rows with a pk: {with_pk[:1]}"


@pytest.mark.loading
def test_loaddata_loads_every_fixture_and_a_second_load_changes_nothing(db):
    assert not Agenda.objects.exists()

    call_command("loaddata", *map(str, fixture_paths()), verbosity=0)
    assert Agenda.objects.count() == len(fixture_rows("agendas.agenda"))
    assert Rating.objects.count() == len(fixture_rows("agendas.rating"))
    assert Problem.objects.count() == 13
    before = dump_content()

    call_command("loaddata", *map(str, fixture_paths()), verbosity=0)
    assert dump_content() == before


@pytest.mark.loading
def test_load_content_adds_only_missing_rows_and_keeps_edits(shipped):
    # `shipped` is load_content's report of its first load, into an empty database. Loading
    # is slow (natural keys resolve one query at a time), so one scenario covers an edit, a
    # deletion and two more loads.
    assert "Shipped content: 0 rows added" not in shipped
    counts = {model: model.objects.count() for model in (Agenda, Reliance, Critique, Rating)}
    Agenda.objects.filter(slug="rlhf").update(summary="Edited in the admin.")
    Figure.objects.filter(slug="icml-2021-attendance").delete()

    second = load_content()
    assert "Shipped content: 1 rows added" in second
    assert Figure.objects.filter(slug="icml-2021-attendance").exists()
    assert Agenda.objects.get(slug="rlhf").summary == "Edited in the admin."

    third = load_content()
    assert "Shipped content: 0 rows added" in third
    assert {model: model.objects.count() for model in counts} == counts


def test_loading_stores_every_agendas_scores(shipped):
    assert not Agenda.objects.filter(overall_score=None).exists()
    assert not Agenda.objects.filter(score_confidence="").exists()


# ---------------------------------------------------------------- the field


def test_it_ships_the_agendas_of_the_essay(shipped):
    assert set(Agenda.objects.values_list("slug", flat=True)) >= ESSAY_AGENDAS


def test_the_rlhf_family_is_a_chain_of_parents(shipped):
    assert Agenda.objects.get(slug="rlhf-plus-plus").parent.slug == "rlhf"
    assert Agenda.objects.get(slug="constitutional-ai").parent.slug == "rlhf-plus-plus"


def test_every_agenda_is_written_up_classified_and_tagged(shipped):
    for agenda in Agenda.objects.prefetch_related("tags"):
        assert agenda.summary and agenda.description and agenda.theory_of_change, agenda.slug
        assert agenda.description_html and agenda.theory_of_change_html, agenda.slug
        assert agenda.broad_approach and agenda.target_case and agenda.supervision, agenda.slug
        assert 2 <= len(agenda.tags.all()) <= 5, agenda.slug


def test_every_agenda_cites_at_least_two_dated_outputs(shipped):
    outputs = Q(sources__url__gt="") & ~Q(sources__slug="shallow-review-2025")
    counts = Agenda.objects.annotate(
        n=Count("sources", filter=outputs & Q(sources__year__isnull=False), distinct=True)
    )
    assert {agenda.slug: agenda.n for agenda in counts if agenda.n < 2} == {}


def test_every_people_claim_and_status_is_dated_and_sourced(shipped):
    for agenda in Agenda.objects.all():
        if agenda.people:
            assert agenda.people_as_of and agenda.people_source_id, agenda.slug
        assert agenda.status_as_of >= REVIEW_DATE, agenda.slug
        assert agenda.status_source_id, agenda.slug


def test_every_fte_estimate_has_a_source_and_date(shipped):
    with_fte = Agenda.objects.filter(fte_low__isnull=False)
    assert with_fte.exists()
    for agenda in with_fte:
        assert agenda.fte_source_id and agenda.fte_date and agenda.fte_text, agenda.slug


def test_every_organisation_description_is_dated_and_sourced(shipped):
    for organisation in Organisation.objects.exclude(description=""):
        assert organisation.as_of >= REVIEW_DATE, organisation.slug
        assert organisation.source_id, organisation.slug


def test_the_areas_form_one_tree_with_no_name_used_twice(shipped):
    names = [name.lower() for name in Area.objects.values_list("name", flat=True)]
    names += [name.lower() for name in AreaAlias.objects.values_list("name", flat=True)]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []
    assert not Area.objects.filter(parent__parent__isnull=False).exists()  # two levels
    assert not Agenda.objects.filter(area__isnull=True).exists()


def test_every_section_of_the_review_is_on_the_map(shipped, shared_reference):
    from agendas.importers.shallow_review import LABS_SECTION, read_taxonomy

    sections = read_taxonomy(shared_reference / "shallow-review-2025" / "taxonomy.yaml")
    missing = [
        name
        for name, parent in sections
        if LABS_SECTION not in (name, parent) and Area.objects.named(name) is None
    ]
    assert missing == []


def test_at_least_twelve_assumptions_each_carry_an_agenda(shipped):
    counts = Assumption.objects.annotate(n=Count("reliances"))
    assert counts.count() >= 12
    assert [a.slug for a in counts if a.n == 0] == []
    assert counts.filter(n__gte=2).count() > counts.count() / 2


def test_attributed_claims_carry_a_source(shipped):
    # An assumption that says who argued it, or a reliance, is a claim about a source.
    attributed = re.compile(r"essay|argues|suggests|results|\b(19|20)\d\d\b|'s\b", re.IGNORECASE)
    for assumption in Assumption.objects.all():
        if attributed.search(assumption.description):
            assert assumption.source_id, assumption.slug
    assert not Reliance.objects.filter(source__isnull=True).exists()


def test_it_ships_davidads_13_problems_with_their_names(shipped, shared_reference):
    text = (shared_reference / "orthodox-problems.md").read_text(encoding="utf-8")
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


# ---------------------------------------------------------------- sources and the copying rule


def test_every_source_has_a_link_and_its_date_where_known(shipped):
    assert list(Source.objects.filter(url="").values_list("slug", flat=True)) == []
    assert not Source.objects.filter(published__isnull=False, year__isnull=True).exists()


def test_the_content_follows_the_structural_rules():
    """Field-file structure, references between rows, ratings and duplicates."""
    assert content_rules.all_problems(with_reference=False) == []


def test_the_content_follows_the_rules_that_read_the_reference(shared_reference):
    """The copying rule, coverage of every Shallow Review agenda, and facts from papers.csv."""
    assert content_rules.reference_problems() == []


# ---------------------------------------------------------------- critiques and ratings


def test_shipped_critiques_are_published_or_merely_linked(shipped):
    assert Critique.objects.exists(), "fixtures/critiques.json holds no critiques"
    assert not Critique.objects.exclude(status__in=["published", "linked"]).exists()


def test_every_agenda_has_at_least_two_sourced_published_critiques(shipped):
    sourced = Q(critiques__status="published", critiques__source__isnull=False)
    counts = Agenda.objects.annotate(n=Count("critiques", filter=sourced))
    short = {agenda.slug: agenda.n for agenda in counts if agenda.n < 2}
    # Only where the editors searched and say so (tests/content_rules.py), never silently.
    assert set(short) <= set(content_rules.FEWER_CRITIQUES_FOUND)
    assert all(n >= 1 for n in short.values())


def test_the_editors_own_analysis_and_only_it_is_credited_to_the_editors(shipped):
    published = Critique.objects.published()
    editors = published.filter(voice=Critique.Voice.EDITORS)
    assert not editors.exclude(author__startswith=Critique.EDITORS_CREDIT).exists()
    others = published.exclude(voice=Critique.Voice.EDITORS)
    assert not others.filter(author__icontains="editors").exists()
    # Most of the debate is other people's: the editors' voice is the exception.
    assert editors.count() * 10 < published.count()


def test_every_summary_says_what_it_rests_on_and_names_an_account_it_read(shipped):
    published = Critique.objects.published()
    assert not published.filter(basis="").exists()
    accounts = published.filter(basis=Critique.Basis.ACCOUNT)
    assert not accounts.filter(basis_source__isnull=True).exists()
    assert published.filter(voice=Critique.Voice.OUTSIDE).count() > published.count() / 2


def test_an_agenda_without_an_outside_critique_says_when_it_was_searched(shipped):
    outside = Critique.objects.published().filter(voice=Critique.Voice.OUTSIDE)
    without = Agenda.objects.exclude(pk__in=outside.values("agenda"))
    assert not without.filter(critiques_searched__isnull=True).exists()
    assert not Agenda.objects.filter(critiques_searched__isnull=True).exists()


def test_every_agenda_rests_on_at_least_two_sourced_assumptions(shipped):
    counts = Agenda.objects.annotate(n=Count("reliances"))
    assert {agenda.slug: agenda.n for agenda in counts if agenda.n < 2} == {}
    assert not Reliance.objects.filter(source__isnull=True).exists()


def test_the_review_s_assumptions_are_named_by_shipped_aliases(shipped):
    """Importing the Shallow Review adds no second wording of a shipped assumption."""
    from agendas.models import AssumptionAlias

    aliased = set(AssumptionAlias.objects.values_list("assumption__slug", flat=True))
    assert {"no-mesa-optimisers", "zero-shot-deception-hard"} <= aliased


def test_every_essay_agenda_has_at_least_two_sourced_published_critiques(shipped):
    sourced = Q(critiques__status="published", critiques__source__isnull=False)
    counts = dict(
        Agenda.objects.filter(slug__in=ESSAY_AGENDAS)
        .annotate(n=Count("critiques", filter=sourced))
        .values_list("slug", "n")
    )

    assert {slug: n for slug, n in counts.items() if n < 2} == {}


def test_the_editors_rate_every_agenda_on_every_criterion(shipped):
    rated = set(
        Rating.objects.filter(assessor__slug="editors").values_list(
            "agenda__slug", "criterion__slug"
        )
    )
    expected = {
        (agenda, criterion)
        for agenda in Agenda.objects.values_list("slug", flat=True)
        for criterion in CRITERIA_IN_ORDER
    }
    assert expected - rated == set()


def test_every_rating_names_its_level_cites_a_source_and_states_a_confidence(shipped):
    for rating in Rating.objects.select_related("agenda", "criterion", "assessor"):
        levels = {int(n) for n in content_rules.LEVEL.findall(rating.rationale)}
        assert rating.score in levels, rating
        # It opens with its level and a one-line reason, which the criterion page shows.
        assert rating.rationale.startswith(f"Level {rating.score}: "), rating
        assert 10 < len(rating.reason_line) <= 200, rating
        assert rating.source_id, rating
        assert rating.confidence in {"low", "medium", "high"}, rating


def test_the_essay_is_rated_only_where_it_speaks(shipped):
    """The essay's assessor does not cover every criterion, and each of its rationales
    says what in the essay it rests on."""
    essay = Rating.objects.filter(assessor__slug="essay-2023")
    assert essay.exists()
    assert essay.count() < len(ESSAY_AGENDAS) * len(CRITERIA_IN_ORDER)
    for rating in essay:
        assert "essay" in rating.rationale.lower(), rating
    # Two cells a review found it silent on.
    silent = {
        ("eliciting-latent-knowledge", "empirically-grounded"),
        ("rlhf", "robust-to-deception"),
    }
    rated = set(essay.values_list("agenda__slug", "criterion__slug"))
    assert silent & rated == set()


def test_documents_rate_only_where_they_speak(shipped):
    """No document (the essay, a published view) rates a criterion its rationale says it is
    silent on, and each names the work it reads."""
    documents = Rating.objects.filter(assessor__kind=Assessor.Kind.DOCUMENT)
    for rating in documents.select_related("assessor"):
        text = rating.rationale.lower()
        assert "silent" not in text and "does not discuss" not in text, rating
        assert rating.source_id and rating.assessor.source_id, rating


def test_published_views_are_assessors_beside_the_editors_and_the_essay(shipped):
    views = Assessor.objects.filter(kind=Assessor.Kind.DOCUMENT).exclude(slug="essay-2023")
    assert views.count() >= 2
    for view in views:
        assert view.caveats, view  # what of it was read
        assert view.ratings.exists()


def test_an_external_raters_scores_come_with_its_rule_and_caveats(shipped):
    external = Assessor.objects.filter(kind=Assessor.Kind.EXTERNAL)
    assert external.exists()
    for assessor in external:
        assert assessor.mapping_rule and assessor.caveats and assessor.source_id
        for rating in assessor.ratings.all():
            assert rating.confidence == "low", rating
            assert '"' in rating.rationale, rating  # names the rater's own entry


def test_some_agendas_have_several_assessors(shipped):
    several = (
        Rating.objects.values("agenda")
        .annotate(n=Count("assessor", distinct=True))
        .filter(n__gte=2)
    )
    assert several.count() >= len(ESSAY_AGENDAS)


def test_the_content_before_the_field_loads_without_the_field(db):
    """The reference rows (BEFORE_FIELD) load on their own, as the field-scale browser test and
    a site fed only the Shallow Review load them: none names a row the field files define."""
    fixture_dir = settings.SITE_FILES_DIR / "fixtures"
    call_command(
        "loaddata", *(str(fixture_dir / f"{name}.json") for name in BEFORE_FIELD), verbosity=0
    )
    assert Assumption.objects.exists() and Source.objects.exists()
