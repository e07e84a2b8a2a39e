"""Home (the landscape), the landscape's full table, the agenda list and the agenda page."""

from itertools import groupby

from django.shortcuts import get_object_or_404, render

from agendas import charts, landscape
from agendas.cache.key import reads_query
from agendas.forms import AgendaFilterForm, PageForm, ReaderWeightsForm
from agendas.links import twin_url
from agendas.models import Agenda, Criterion, Critique, Figure
from agendas.pagination import paginate
from agendas.related import related_agendas
from agendas.scoring import SCORE_BANDS, score_agenda
from agendas.views import weights

PER_PAGE = 20
LANDSCAPE_PER_PAGE = 100
LATEST_CRITIQUES = 5
CRITIQUES_SHOWN = 10  # published critiques in full on an agenda's page
LINKED_SHOWN = 20  # linked critiques listed there


@reads_query(ReaderWeightsForm)
def home(request):
    weights_form = weights.read(request)
    if not weights_form.is_valid():
        return weights.problem(request, weights_form)
    weight_items = weights_form.query_items()
    view = landscape.build(weights_form.weights, weight_items)
    return render(
        request,
        "agendas/home.html",
        {
            **weights.context(request, weights_form),
            "landscape": view,
            "chart": _landscape_chart(view),
            "band_chart": _band_chart(view),
            "legend": [(summary, charts.area_swatch(summary.index)) for summary in view.areas],
            "bands": SCORE_BANDS,
            "aggregate_over": landscape.AGGREGATE_OVER,
            "table_url": weights.url("agendas:landscape", weight_items),
            "latest_critiques": Critique.objects.latest_published()[:LATEST_CRITIQUES],
        },
    )


@reads_query(PageForm, ReaderWeightsForm)
def landscape_table(request):
    """Every agenda's place on the landscape, as a table: the home page's chart data once it
    aggregates, and always available."""
    weights_form = weights.read(request)
    if not weights_form.is_valid():
        return weights.problem(request, weights_form)
    view = landscape.build(weights_form.weights, weights_form.query_items())
    figures = list(
        Figure.objects.select_related("organisation", "source").order_by(
            "organisation__name", "order", "slug"
        )
    )
    context = {
        **weights.context(request, weights_form),
        "landscape": view,
        "home_url": weights.url("agendas:home", weights_form.query_items()),
        "figures": figures,
        "headcount_chart": _headcount_chart(figures),
        "page": None,
    }
    page_form = PageForm(request.GET)
    if not page_form.is_valid():
        context["page_error"] = page_form.errors["page"][0]
        return render(request, "agendas/landscape.html", context, status=400)
    context["page"] = paginate(
        view.points, page_form.cleaned_data["page"], LANDSCAPE_PER_PAGE, orphans=10
    )
    return render(request, "agendas/landscape.html", context)


def _landscape_chart(view):
    """The drawings of the landscape: bins past AGGREGATE_OVER agendas, else a wide chart
    and one for phones."""
    if view.aggregated:
        columns = [band.label for band in reversed(SCORE_BANDS)]
        rows = []
        for summary, cells in view.bins_by_area():
            rows.append(
                (
                    summary.area.name,
                    summary.index,
                    [_bin_cell(cell) if cell else None for cell in reversed(cells)],
                )
            )
        desc = "; ".join(
            f"{b.area.name}, score {b.band.label}: {b.headcount.agendas} agendas, "
            f"{b.headcount} FTEs"
            for b in view.bins
        )
        bins = charts.landscape_bins(
            "landscape",
            rows,
            columns,
            "Agendas by top-level area and overall score band",
            "Each bubble is the agendas of one area whose overall score falls in one band; "
            f"its area grows with their estimated FTEs. {desc}",
        )
        return [bins]
    marks = [
        charts.Mark(
            label=_mark_label(point),
            url=point.url,
            score=point.score,
            low=point.fte.bounds[0] if point.fte.bounds else None,
            high=point.fte.bounds[1] if point.fte.bounds else None,
            middle=point.fte.log_middle,
            area=point.area_index,
            name=point.short_name,
            label_rank=point.label_rank,
        )
        for point in view.rated
    ]
    desc = (
        f"{len(marks)} agendas, each placed by its overall score (up) against its "
        "estimated full-time equivalents (log scale, right), its FTE range drawn as a bar; "
        f"{view.unknown_fte_count} with no FTE estimate sit in the strip at the left. "
        "The best known are named beside their mark. The table below gives every agenda's "
        "numbers."
    )
    title = "Overall score against estimated FTEs, one mark per agenda"
    return [
        charts.landscape("landscape", marks, title, desc, unrated=view.unrated_count),
        # Phones get their own drawing, with larger text and fewer names (site.css shows one).
        charts.landscape(
            "landscape-phone", marks, title, desc, view.unrated_count, frame=charts.PHONE
        ),
    ]


def _mark_label(point):
    return (
        f"{point.name} ({point.area.name}): score {point.score:.2f}"
        f"{f', {point.confidence} confidence' if point.confidence else ''}; "
        f"FTEs {point.fte}"
    )


def _bin_cell(cell):
    count = cell.headcount.agendas
    return charts.BinCell(
        label=f"{cell.area.name}, score {cell.band.label}: {count} agenda"
        f"{'' if count == 1 else 's'}, {cell.headcount} FTEs"
        + (f" ({cell.headcount.unknown} unknown)" if cell.headcount.unknown else ""),
        url=cell.url,
        count=count,
        text=f"{cell.headcount} FTEs",
        size=(cell.headcount.low + cell.headcount.high) / 2,
    )


def _band_chart(view):
    bars = [
        charts.RangeBar(
            label=f"Score {row.band.label}",
            low=row.headcount.low,
            high=row.headcount.high,
            text=f"{row.headcount} FTEs · {row.headcount.agendas} agenda"
            f"{'' if row.headcount.agendas == 1 else 's'}",
        )
        for row in view.bands
    ]
    desc = "; ".join(
        f"score {row.band.label}: {row.headcount} FTEs on "
        f"{row.headcount.agendas} agendas, {row.headcount.unknown} with FTEs unknown"
        for row in view.bands
    )
    return charts.range_bars(
        "bands", bars, "Estimated FTEs on agendas, by overall score band", desc
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


@reads_query(AgendaFilterForm, ReaderWeightsForm)
def agenda_list(request):
    form = AgendaFilterForm(request.GET)
    weights_form = weights.read(request, form.criteria.values())
    context = {"form": form, "page": None, "weights_form": weights_form}
    if not (form.is_valid() & weights_form.is_valid()):
        return render(request, "agendas/agenda_list.html", context, status=400)
    context.update(weights.context(request, weights_form))
    agendas = form.filter(Agenda.objects.for_list(weights_form.weights))
    page = paginate(agendas, form.cleaned_data["page"], PER_PAGE, orphans=3)
    return render(
        request,
        "agendas/agenda_list.html",
        {
            **context,
            **weights.context(request, weights_form),
            "page": page,
            "rows": list(page.object_list),
            "json_url": twin_url("agendas:agenda_list_json", request),
            "criterion": form.chosen_criterion,
            "sort": form.cleaned_data["sort"] or "name",
        },
    )


def agenda_detail(request, slug):
    agenda = get_object_or_404(Agenda.objects.for_detail(), slug=slug)
    critiques = agenda.critiques.for_detail()
    counts = agenda.critiques.count_by_status_and_voice()
    by_voice = {
        voice: n for (status, voice), n in counts.items() if status == Critique.Status.PUBLISHED
    }
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
            # The most severe in full and the first linked ones by title; the critique
            # list has every one (the page stays bounded at hundreds of critiques).
            "published_critiques": list(
                critiques.published().most_severe_first()[:CRITIQUES_SHOWN]
            ),
            "published_count": sum(by_voice.values()),
            "voice_counts": [
                (label, by_voice[voice])
                for voice, label in Critique.Voice.choices
                if voice in by_voice
            ],
            "has_outside_critique": Critique.Voice.OUTSIDE in by_voice,
            "linked_critiques": list(critiques.linked().order_by("title", "pk")[:LINKED_SHOWN]),
            "linked_count": counts.get((Critique.Status.LINKED, ""), 0),
            "related": related_agendas(agenda),
        },
    )
