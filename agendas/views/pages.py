"""Home, the agenda list and the agenda page."""

from itertools import groupby

from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import get_object_or_404, render

from agendas import charts
from agendas.forms import AgendaFilterForm
from agendas.models import Agenda, Criterion, Critique, Figure
from agendas.related import related_agendas
from agendas.scoring import AgendaScore, score_agenda

PER_PAGE = 20
# The home page shows this many agendas per area (the best scored); the list has the rest.
HOME_PER_AREA = 8


def home(request):
    agendas = Agenda.objects.for_home(per_area=HOME_PER_AREA)
    landscape = []
    for area, group in groupby(agendas, key=lambda agenda: agenda.area):
        rows = [(agenda, AgendaScore(agenda, [])) for agenda in group]
        more = rows[0][0].area_agenda_count - len(rows)
        landscape.append((area, rows, more))
    figures = list(
        Figure.objects.select_related("organisation", "source").order_by(
            "organisation__name", "order", "slug"
        )
    )
    return render(
        request,
        "agendas/home.html",
        {
            "landscape": landscape,
            "figures": figures,
            "headcount_chart": _headcount_chart(figures),
            "latest_critiques": Critique.objects.latest_published()[:5],
        },
    )


def _headcount_chart(figures):
    """Headcounts only (ratios and percentages stay in the table): worldwide first, then one
    group per organisation."""
    counts = [figure for figure in figures if figure.kind != Figure.Kind.ESTIMATE]
    if not counts:
        return ""
    groups = []
    for organisation, rows in groupby(
        sorted(counts, key=lambda f: (f.organisation is not None, _org_name(f), f.order)),
        key=_org_name,
    ):
        bars = [
            charts.Bar(
                label=figure.label,
                low=float(figure.value_low),
                high=float(figure.value_high) if figure.value_high is not None else None,
                note="disputed" if figure.is_disputed else "",
                kind=figure.kind,
            )
            for figure in rows
        ]
        groups.append(charts.BarGroup(organisation or "Worldwide", bars))
    return charts.headcount_bars(
        "headcount", groups, "Alignment researchers compared with ML researchers"
    )


def _org_name(figure):
    return figure.organisation.name if figure.organisation else ""


def agenda_list(request):
    form = AgendaFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "agendas/agenda_list.html", {"form": form, "page": None}, status=400)
    paginator = Paginator(form.filter(Agenda.objects.for_list()), PER_PAGE, orphans=3)
    try:
        page = paginator.page(form.cleaned_data["page"] or 1)
    except EmptyPage:
        return render(
            request,
            "agendas/agenda_list.html",
            {"form": form, "page": None, "page_error": "There is no such page of results."},
            status=404,
        )
    rows = [(agenda, score_agenda(agenda)) for agenda in page.object_list]
    page.elided_range = list(paginator.get_elided_page_range(page.number))
    return render(
        request,
        "agendas/agenda_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "criterion": form.chosen_criterion,
            "sort": form.cleaned_data["sort"] or "name",
        },
    )


def agenda_detail(request, slug):
    agenda = get_object_or_404(Agenda.objects.for_detail(), slug=slug)
    published = [c for c in agenda.public_critiques if c.is_published]
    linked = [c for c in agenda.public_critiques if c.is_linked]
    score = score_agenda(agenda, Criterion.objects.all())
    radar = charts.radar(
        "radar",
        [summary.criterion.name for summary in score.criteria],
        [
            charts.Series(
                agenda.name,
                [summary.mean for summary in score.criteria],
                [summary.confidence for summary in score.criteria],
            )
        ],
        f"Scalability ratings of {agenda.name}",
    )
    return render(
        request,
        "agendas/agenda_detail.html",
        {
            "agenda": agenda,
            "score": score,
            "radar": radar,
            "published_critiques": published,
            "linked_critiques": linked,
            "related": related_agendas(agenda),
        },
    )
