"""Reference pages: assumptions, critiques, criteria, problems, organisations, tags.

Only published critiques are shown or counted anywhere here.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from agendas.cache.key import reads_query
from agendas.forms import AssumptionMatrixForm, CritiqueFilterForm, PageForm, ReaderWeightsForm
from agendas.fte import FteRange, FteTotal
from agendas.models import (
    Agenda,
    Assessor,
    Assumption,
    Criterion,
    Critique,
    Organisation,
    Problem,
    Rating,
    Reliance,
    TaggedAgenda,
)
from agendas.pagination import paginate
from agendas.views import weights

CRITIQUES_PER_PAGE = 20
CRITIQUES_ORPHANS = 3
# The matrix stays readable (and cheap to render) however many agendas and assumptions exist.
MATRIX_ROWS_PER_PAGE = 25
MATRIX_ORPHANS = 5
MATRIX_COLUMNS = 24
RANKING_PER_PAGE = 50
# An assumption's page names every agenda resting on it, and its most severe critiques.
ASSUMPTION_CRITIQUES_SHOWN = 10
# Problems, organisations and the assumption list link this many agendas each, then to the
# full list (an assumption's own page).
AGENDA_LINKS_PER_ROW = 12
ORGANISATIONS_PER_PAGE = 50
ORGANISATIONS_ORPHANS = 5
RANKING_ORPHANS = 5
# The editors' ratings named per level on a criterion's page (its calibration, bounded).
CALIBRATION_PER_LEVEL = 20


@dataclass
class MatrixRow:
    """One assumption, with one cell per agenda column (its Reliance, or None), and for the
    list view the first agendas resting on it by load: [(load label, [reliances])], and how
    many more its own page names."""

    assumption: Assumption
    cells: list
    listed: list
    more: int


def assumption_matrix(assumptions, max_columns):
    """Columns: the agendas resting on the most of these assumptions (ties by name), at most
    max_columns, shown alphabetically; the rows' reliances (the list view) still name every
    agenda. Returns the columns, the rows and how many agendas were left out of the columns.
    """
    agendas, weight = {}, Counter()
    for assumption in assumptions:
        for reliance in assumption.reliances.all():
            agendas[reliance.agenda_id] = reliance.agenda
            weight[reliance.agenda_id] += 1
    kept = sorted(agendas, key=lambda pk: (-weight[pk], agendas[pk].name.casefold(), pk))
    columns = sorted(
        (agendas[pk] for pk in kept[:max_columns]), key=lambda agenda: agenda.name.casefold()
    )
    rows = []
    for assumption in assumptions:
        reliances = list(assumption.reliances.all())
        by_agenda = {reliance.agenda_id: reliance for reliance in reliances}
        cells = [by_agenda.get(agenda.pk) for agenda in columns]
        first = sorted(reliances, key=lambda reliance: -reliance.load)[:AGENDA_LINKS_PER_ROW]
        listed = [
            (label, [reliance for reliance in first if reliance.load == load])
            for load, label in sorted(Reliance.Load.choices, reverse=True)
        ]
        listed = [(label, group) for label, group in listed if group]
        rows.append(MatrixRow(assumption, cells, listed, len(reliances) - len(first)))
    return columns, rows, len(agendas) - len(columns)


@reads_query(AssumptionMatrixForm)
def assumption_list(request):
    form = AssumptionMatrixForm(request.GET)
    if not form.is_valid():
        return render(request, "agendas/assumption_list.html", {"form": form}, status=400)
    page = paginate(
        Assumption.objects.for_matrix(form.cleaned_data["area"]),
        form.cleaned_data["page"],
        MATRIX_ROWS_PER_PAGE,
        MATRIX_ORPHANS,
        on_each_side=2,
    )

    columns, rows, agendas_left_out = assumption_matrix(list(page.object_list), MATRIX_COLUMNS)
    return render(
        request,
        "agendas/assumption_list.html",
        {
            "form": form,
            "area": form.chosen_area,
            "page": page,
            "columns": columns,
            "rows": rows,
            "agendas_left_out": agendas_left_out,
        },
    )


@dataclass
class LoadGroup:
    """The agendas resting on one assumption with one load, the most FTEs first."""

    load: int
    label: str
    meaning: str
    reliances: list

    @property
    def fte(self):
        return FteTotal.of(FteRange.of(reliance.agenda) for reliance in self.reliances)


LOAD_MEANINGS = {
    Reliance.Load.CRITICAL: "the agenda fails without it",
    Reliance.Load.SIGNIFICANT: "the agenda is seriously weakened without it",
    Reliance.Load.MINOR: "the agenda mostly survives without it",
}


def _most_fte_first(reliance):
    midpoint = FteRange.of(reliance.agenda).midpoint
    return (-(midpoint if midpoint is not None else -1), reliance.agenda.name.casefold())


def load_groups(reliances):
    """One LoadGroup per load, critical first, each with its agendas (possibly none)."""
    return [
        LoadGroup(
            load,
            label,
            LOAD_MEANINGS[load],
            sorted((r for r in reliances if r.load == load), key=_most_fte_first),
        )
        for load, label in sorted(Reliance.Load.choices, reverse=True)
    ]


def assumption_detail(request, slug):
    assumption = get_object_or_404(
        Assumption.objects.for_detail(critiques_shown=ASSUMPTION_CRITIQUES_SHOWN), slug=slug
    )
    reliances = assumption.reliances_by_load
    return render(
        request,
        "agendas/assumption_detail.html",
        {
            "assumption": assumption,
            "groups": load_groups(reliances),
            "fte": FteTotal.of(FteRange.of(reliance.agenda) for reliance in reliances),
        },
    )


@reads_query(CritiqueFilterForm)
def critique_list(request):
    form = CritiqueFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "agendas/critique_list.html", {"form": form}, status=400)
    critiques = form.apply(Critique.objects.for_list())
    # One count by state gives both the header's numbers and the paginator's total.
    by_status = critiques.count_by_status()
    total = sum(by_status.values())
    page = paginate(
        critiques,
        form.cleaned_data["page"],
        CRITIQUES_PER_PAGE,
        CRITIQUES_ORPHANS,
        count=total,
        on_each_side=2,
    )
    return render(
        request,
        "agendas/critique_list.html",
        {
            "form": form,
            "page": page,
            "critiques": list(page.object_list),
            "published_count": by_status.get(Critique.Status.PUBLISHED, 0),
            "linked_count": by_status.get(Critique.Status.LINKED, 0),
        },
    )


def critique_detail(request, slug):
    critique = get_object_or_404(Critique.objects.for_detail(), slug=slug)
    return render(request, "agendas/critique_detail.html", {"critique": critique})


@reads_query(ReaderWeightsForm)
def criterion_list(request):
    criteria = list(Criterion.objects.for_rubric())
    weights_form = weights.read(request, criteria)
    if not weights_form.is_valid():
        context = {"criteria": criteria, "weights_form": weights_form}
        return render(request, "agendas/criterion_list.html", context, status=400)
    context = {
        "criteria": criteria,
        "assessors": Assessor.objects.for_rubric_page(),
        **weights.context(request, weights_form),
    }
    return render(request, "agendas/criterion_list.html", context)


def add_assessor_ratings(criterion, ranking):
    """Give each ranked agenda its assessor_ratings (None where unrated), one per assessor
    who rated on this criterion, and return those assessors: the table's columns."""
    assessors = list(Assessor.objects.filter(ratings__criterion=criterion).distinct())
    ratings = {
        (rating.agenda_id, rating.assessor_id): rating
        for rating in criterion.ratings.filter(agenda__in=ranking)
        .order_by()
        .only("agenda_id", "criterion_id", "assessor_id", "score", "confidence")
    }
    for agenda in ranking:
        agenda.assessor_ratings = [ratings.get((agenda.pk, a.pk)) for a in assessors]
    return assessors


def calibration_levels(criterion):
    """The editors' ratings on this criterion grouped by level, best first: (score, the
    rubric's words for it, the first ratings at that level, how many there are)."""
    ratings = Rating.objects.filter(criterion=criterion).by_the_editors()
    counts = ratings.count_by_score()
    shown = defaultdict(list)
    for rating in ratings.first_per_score(CALIBRATION_PER_LEVEL):
        shown[rating.score].append(rating)
    return [
        (score, guidance, shown[score], counts.get(score, 0))
        for score, guidance in reversed(criterion.guidance)
    ]


@reads_query(PageForm)
def criterion_detail(request, slug):
    criterion = get_object_or_404(Criterion, slug=slug)
    form = PageForm(request.GET)
    if not form.is_valid():
        context = {"criterion": criterion, "form": form}
        return render(request, "agendas/criterion_detail.html", context, status=400)
    page = paginate(
        Agenda.objects.ranked_on(criterion),
        form.cleaned_data["page"],
        RANKING_PER_PAGE,
        RANKING_ORPHANS,
        on_each_side=2,
    )

    ranking = list(page.object_list)
    assessors = add_assessor_ratings(criterion, ranking)
    return render(
        request,
        "agendas/criterion_detail.html",
        {
            "criterion": criterion,
            "form": form,
            "page": page,
            "assessors": assessors,
            "ranking": ranking,
            "levels": calibration_levels(criterion),
        },
    )


def count_more_agendas(rows):
    """Give each row (with agenda_count and its shown_agendas) more_agendas: how many more
    it has than it shows."""
    for row in rows:
        row.more_agendas = row.agenda_count - len(row.shown_agendas)
    return rows


def problem_list(request):
    problems = count_more_agendas(list(Problem.objects.for_coverage(AGENDA_LINKS_PER_ROW)))
    unaddressed = [problem for problem in problems if not problem.agenda_count]
    return render(
        request, "agendas/problem_list.html", {"problems": problems, "unaddressed": unaddressed}
    )


@reads_query(PageForm)
def organisation_list(request):
    form = PageForm(request.GET)
    if not form.is_valid():
        return render(request, "agendas/organisation_list.html", {"form": form}, status=400)
    page = paginate(
        Organisation.objects.for_list(AGENDA_LINKS_PER_ROW),
        form.cleaned_data["page"],
        ORGANISATIONS_PER_PAGE,
        ORGANISATIONS_ORPHANS,
        on_each_side=2,
    )
    return render(
        request,
        "agendas/organisation_list.html",
        {"form": form, "page": page, "organisations": count_more_agendas(list(page))},
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.for_detail(), slug=slug)
    return render(request, "agendas/organisation_detail.html", {"organisation": organisation})


def tag_list(request):
    tags = TaggedAgenda.objects.tags_in_use()
    return render(request, "agendas/tag_list.html", {"tags": tags})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    taggings = TaggedAgenda.objects.for_tag(tag)
    return render(request, "agendas/tag_detail.html", {"tag": tag, "taggings": taggings})
