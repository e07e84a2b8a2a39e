"""The landscape: where the people are, against whether what they work on would scale.

Every agenda is a point: its overall score (under the weights in use) against its estimated
FTEs. Past AGGREGATE_OVER agendas a point per agenda no longer reads (marks pile up) and no
longer fits the home page's size budget (each agenda costs a chart mark and a table row,
about 500 bytes), so the landscape aggregates into bins: one per top-level area and score
band. Everything here is computed from one row per agenda (AgendaQuerySet.for_landscape)
and the top-level areas, in Python, so the page costs the same number of queries at any
size.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from agendas.fte import FteRange, FteTotal
from agendas.links import slug_url
from agendas.models import Agenda, Area
from agendas.scoring import SCORE_BANDS, band_of

# 150 agendas at ~500 bytes each, on top of the ~25 KB the rest of the home page weighs, stay
# under the page's 100 KB budget; past that the chart shows bins and the table of every
# agenda moves to /landscape/. It is also about where a 640-pixel-wide plot of 1-5 scores
# gets too crowded for marks that can be told apart and clicked.
AGGREGATE_OVER = 150
BEST_PER_AREA = 3
SHORT_NAME = 28
# Direct labels: the agendas readers look for (the highest and lowest scored, the most
# staffed, those the published views judge), in the order the chart tries to fit them.
LABEL_EXTREMES = 3
LABEL_STAFFED = 5


@dataclass
class Point:
    """One agenda, as the landscape shows it."""

    name: str
    slug: str
    score: float | None
    confidence: str
    fte: FteRange
    area: object  # its top-level Area
    area_index: int  # colour and shape of that area
    published_views: int = 0  # how many published works read as assessors rate it
    label_rank: int | None = None  # written beside its mark when there is room, lowest first

    @property
    def url(self):
        return slug_url("agendas:agenda_detail", self.slug)

    @property
    def short_name(self):
        """The name without its parenthesis, cut at a word past SHORT_NAME characters."""
        name = self.name.split(" (")[0].strip()
        if len(name) <= SHORT_NAME:
            return name
        return name[:SHORT_NAME].rsplit(" ", 1)[0].rstrip(":,;") + "…"

    @property
    def band(self):
        return band_of(self.score)


@dataclass
class BandRow:
    band: object  # scoring.Band
    headcount: FteTotal
    url: str


@dataclass
class Bin:
    area: object
    area_index: int
    band: object
    headcount: FteTotal
    url: str


@dataclass
class AreaSummary:
    area: object
    index: int
    count: int = 0
    best: list = field(default_factory=list)  # up to BEST_PER_AREA Points, best first
    url: str = ""


@dataclass
class Landscape:
    points: list  # every agenda, best score first, unrated last
    areas: list  # AreaSummary per top-level area, in taxonomy order
    bands: list  # BandRow per score band
    bins: list  # Bin per top-level area and band with any agenda, when aggregated
    aggregated: bool

    @property
    def rated(self):
        return [point for point in self.points if point.score is not None]

    @property
    def unrated_count(self):
        return len(self.points) - len(self.rated)

    @property
    def unknown_fte_count(self):
        return sum(1 for point in self.rated if point.fte.bounds is None)

    def bins_by_area(self):
        """[(AreaSummary, [Bin or None per band])] for the bins table, areas with agendas."""
        cells = {(b.area.pk, b.band.slug): b for b in self.bins}
        return [
            (summary, [cells.get((summary.area.pk, band.slug)) for band in SCORE_BANDS])
            for summary in self.areas
            if summary.count
        ]


def rank_labels(points):
    """Set label_rank on the rated points a reader looks for, most wanted first: the highest
    and the lowest scored, the three most staffed, those the published views judge (most
    views first), then the next extremes and the next most staffed. `points` are sorted best
    score first."""
    rated = [point for point in points if point.score is not None]
    staffed = sorted(
        (point for point in rated if point.fte.log_middle is not None),
        key=lambda point: (-point.fte.log_middle, point.name.casefold()),
    )
    judged = sorted(
        (point for point in rated if point.published_views),
        key=lambda point: (-point.published_views, -(point.fte.log_middle or 0), point.name),
    )
    order = [
        *rated[:1],
        *rated[-1:],
        *staffed[:3],
        *judged,
        *rated[1:LABEL_EXTREMES],
        *rated[-LABEL_EXTREMES:-1],
        *staffed[3:LABEL_STAFFED],
    ]
    rank = 0
    for point in order:
        if point.label_rank is None:
            point.label_rank = rank
            rank += 1


def list_url(weight_items=(), **filters):
    """The agenda list filtered and sorted by score, under the same weights."""
    params = [*((name, value) for name, value in filters.items() if value), ("sort", "score")]
    return reverse("agendas:agenda_list") + "?" + urlencode([*params, *weight_items])


def build(weights, weight_items=()):
    """The landscape under `weights` (scoring.Weights); `weight_items` are the query-string
    pairs that carry them, so that every link keeps the reader's ranking."""
    top_areas = list(Area.objects.filter(parent=None).order_by("order", "name"))
    index = {area.pk: number for number, area in enumerate(top_areas)}
    by_pk = {area.pk: area for area in top_areas}
    points = [
        Point(
            name=row["name"],
            slug=row["slug"],
            score=row["shown_score"],
            confidence=row["score_confidence"],
            fte=FteRange(row["fte_low"], row["fte_high"], row["fte_text"]),
            area=by_pk[row["top_area_id"]],
            area_index=index[row["top_area_id"]],
            published_views=row["published_views"],
        )
        for row in Agenda.objects.for_landscape(weights)
    ]
    points.sort(key=lambda p: (p.score is None, -(p.score or 0), p.name.casefold(), p.slug))
    rank_labels(points)

    summaries = {
        area.pk: AreaSummary(area, index[area.pk], url=list_url(weight_items, area=area.slug))
        for area in top_areas
    }
    bands = {
        band.slug: BandRow(band, FteTotal(), list_url(weight_items, band=band.slug))
        for band in SCORE_BANDS
    }
    bins = {}
    for point in points:
        summary = summaries[point.area.pk]
        summary.count += 1
        if point.score is not None and len(summary.best) < BEST_PER_AREA:
            summary.best.append(point)
        band = point.band
        if band is None:
            continue
        bands[band.slug].headcount.add(point.fte)
        key = (point.area.pk, band.slug)
        if key not in bins:
            bins[key] = Bin(
                point.area,
                point.area_index,
                band,
                FteTotal(),
                list_url(weight_items, area=point.area.slug, band=band.slug),
            )
        bins[key].headcount.add(point.fte)

    aggregated = len(points) > AGGREGATE_OVER
    return Landscape(
        points=points,
        areas=list(summaries.values()),
        bands=list(bands.values()),
        bins=sorted(bins.values(), key=lambda b: (b.area_index, SCORE_BANDS.index(b.band)))
        if aggregated
        else [],
        aggregated=aggregated,
    )
