"""Reference pages: assumptions, critiques, criteria, problems, organisations, tags.

Only published critiques are shown or counted anywhere here.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.paginator import EmptyPage, Paginator
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from agendas.filters import AssumptionMatrixForm, CritiqueFilterForm, PageForm
from agendas.models import (
    Assessor,
    Assumption,
    Criterion,
    Critique,
    Organisation,
    Problem,
    TaggedAgenda,
)
from agendas.views import weights

CRITIQUES_PER_PAGE = 20
CRITIQUES_ORPHANS = 3
# The matrix stays readable (and cheap to render) however many agendas and assumptions exist.
MATRIX_ROWS_PER_PAGE = 25
MATRIX_ORPHANS = 5
MATRIX_COLUMNS = 30
RANKING_PER_PAGE = 50
# Problems and organisations link this many agendas each, then to the full list.
AGENDA_LINKS_PER_ROW = 12
RANKING_ORPHANS = 5


def paginate(queryset, form, per_page, orphans):
    """The page the validated form asks for, or None after adding a form error saying why not."""
    paginator = Paginator(queryset, per_page, orphans=orphans)
    number = form.cleaned_data["page"] or 1
    try:
        page = paginator.page(number)
    except EmptyPage:
        form.add_error(
            "page", f"There is no page {number}: the last page is {paginator.num_pages}."
        )
        return None
    # The shared pagination include links to these page numbers.
    page.elided_range = list(paginator.get_elided_page_range(number, on_each_side=2))
    return page


@dataclass
class MatrixRow:
    """One assumption, with one cell per agenda column: its Reliance, or None."""

    assumption: Assumption
    cells: list
    reliances: list


def assumption_matrix(assumptions, max_columns):
    """Columns: the agendas resting on these assumptions, by name, at most max_columns.

    When more agendas qualify, those resting on the most of these assumptions are kept;
    the rows' reliances (the list view) still name every agenda. Returns the columns,
    the rows and how many agendas were left out of the columns.
    """
    agendas, weight = {}, Counter()
    for assumption in assumptions:
        for reliance in assumption.reliances.all():
            agendas[reliance.agenda_id] = reliance.agenda
            weight[reliance.agenda_id] += 1
    kept = sorted(agendas, key=lambda pk: (-weight[pk], agendas[pk].name.casefold()))
    columns = sorted(
        (agendas[pk] for pk in kept[:max_columns]), key=lambda agenda: agenda.name.casefold()
    )
    rows = []
    for assumption in assumptions:
        reliances = list(assumption.reliances.all())
        by_agenda = {reliance.agenda_id: reliance for reliance in reliances}
        cells = [by_agenda.get(agenda.pk) for agenda in columns]
        by_load = sorted(reliances, key=lambda reliance: -reliance.load)
        rows.append(MatrixRow(assumption, cells, by_load))
    return columns, rows, len(agendas) - len(columns)


def assumption_list(request):
    form = AssumptionMatrixForm(request.GET)
    page = (
        paginate(
            Assumption.objects.for_matrix(form.cleaned_data["area"]),
            form,
            MATRIX_ROWS_PER_PAGE,
            MATRIX_ORPHANS,
        )
        if form.is_valid()
        else None
    )
    if page is None:
        return render(request, "agendas/assumption_list.html", {"form": form}, status=400)

    columns, rows, agendas_left_out = assumption_matrix(list(page.object_list), MATRIX_COLUMNS)
    return render(
        request,
        "agendas/assumption_list.html",
        {
            "form": form,
            "page": page,
            "columns": columns,
            "rows": rows,
            "agendas_left_out": agendas_left_out,
        },
    )


def assumption_detail(request, slug):
    assumption = get_object_or_404(Assumption.objects.for_detail(), slug=slug)
    return render(request, "agendas/assumption_detail.html", {"assumption": assumption})


def critique_list(request):
    form = CritiqueFilterForm(request.GET)
    critiques = form.apply(Critique.objects.for_list()) if form.is_valid() else None
    page = (
        paginate(critiques, form, CRITIQUES_PER_PAGE, CRITIQUES_ORPHANS)
        if form.is_valid()
        else None
    )
    if page is None:
        return render(request, "agendas/critique_list.html", {"form": form}, status=400)

    by_status = critiques.count_by_status()
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


def criterion_list(request):
    criteria = list(Criterion.objects.for_rubric())
    weights_form = weights.read(request, criteria)
    if not weights_form.is_valid():
        context = {"criteria": criteria, "weights_form": weights_form}
        return render(request, "agendas/criterion_list.html", context, status=400)
    context = {"criteria": criteria, **weights.context(request, weights_form)}
    return render(request, "agendas/criterion_list.html", context)


def add_assessor_scores(criterion, ranking):
    """Give each ranking row its assessor_scores (None where unrated), one per assessor who
    rated on this criterion, and return those assessors: the table's columns."""
    assessors = list(Assessor.objects.filter(ratings__criterion=criterion).distinct())
    scores = {
        (agenda_id, assessor_id): score
        for agenda_id, assessor_id, score in criterion.ratings.filter(
            agenda_id__in=[row["agenda_id"] for row in ranking]
        )
        .order_by()
        .values_list("agenda_id", "assessor_id", "score")
    }
    for row in ranking:
        row["assessor_scores"] = [scores.get((row["agenda_id"], a.pk)) for a in assessors]
    return assessors


def criterion_ranking(criterion):
    """One row (a dict) per agenda rated on this criterion: its stored mean, spread and
    rating count (agendas/scoring.py), best first; ties go to the agenda its assessors agree
    on more, then by name."""
    return criterion.scores.order_by("-mean", "spread", Lower("agenda__name"), "agenda_id").values(
        "agenda_id", "agenda__name", "agenda__slug", "mean", "spread", "rating_count"
    )


def criterion_detail(request, slug):
    criterion = get_object_or_404(Criterion, slug=slug)
    form = PageForm(request.GET)
    page = (
        paginate(criterion_ranking(criterion), form, RANKING_PER_PAGE, RANKING_ORPHANS)
        if form.is_valid()
        else None
    )
    if page is None:
        context = {"criterion": criterion, "form": form}
        return render(request, "agendas/criterion_detail.html", context, status=400)

    ranking = list(page.object_list)
    assessors = add_assessor_scores(criterion, ranking)
    return render(
        request,
        "agendas/criterion_detail.html",
        {
            "criterion": criterion,
            "form": form,
            "page": page,
            "assessors": assessors,
            "ranking": ranking,
        },
    )


def show_first_agendas(rows, limit):
    """Give each row (with prefetched agendas) shown_agendas and a count of more_agendas."""
    for row in rows:
        agendas = list(row.agendas.all())
        row.shown_agendas = agendas[:limit]
        row.more_agendas = len(agendas) - len(row.shown_agendas)
    return rows


def problem_list(request):
    problems = show_first_agendas(list(Problem.objects.for_coverage()), AGENDA_LINKS_PER_ROW)
    unaddressed = [problem for problem in problems if not problem.agenda_count]
    return render(
        request, "agendas/problem_list.html", {"problems": problems, "unaddressed": unaddressed}
    )


def organisation_list(request):
    organisations = show_first_agendas(list(Organisation.objects.for_list()), AGENDA_LINKS_PER_ROW)
    return render(request, "agendas/organisation_list.html", {"organisations": organisations})


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
