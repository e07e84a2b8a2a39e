"""Inline SVG charts rendered on the server: radar (one or several agendas) and bars.

Each chart carries a <title> and <desc> as its text alternative; pages also show the same
numbers in a table. Colours come from CSS classes (series-N, bar-*) so light and dark mode
can each pick readable ones; series also differ in dash pattern, never by colour alone.
"""

import math
import textwrap
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from agendas import labels

MAX_SCORE = 5
DASHES = ["", "6 3", "2 3", "10 3 2 3", "1 5", "12 6"]


@dataclass
class Series:
    label: str
    values: list  # one float or None per axis
    confidences: list | None = None  # "low" / "medium" / "high" per axis: how each dot is drawn


def _fmt(number):
    return f"{number:.1f}"


def _svg_open(chart_id, width, height, title, desc, css_class, role="img"):
    """role "img" for a picture; "group" for a chart whose marks are links, since an image's
    children are hidden from assistive technology."""
    return format_html(
        '<svg class="chart {}" viewBox="0 0 {} {}" width="{}" height="{}" role="{}" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        css_class,
        width,
        height,
        width,
        height,
        role,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
    )


def _wrapped_label(x, y, text, anchor, valign="middle", width=18):
    """Up to three lines of text; valign says where the block sits relative to (x, y)."""
    lines = textwrap.wrap(text, width)[:3] or [""]
    first_dy = {
        "above": -1.2 * (len(lines) - 1),
        "below": 0.8,
        "middle": 0.35 - 0.6 * (len(lines) - 1),
    }[valign]
    spans = format_html_join(
        "",
        '<tspan x="{}" dy="{}em">{}</tspan>',
        ((_fmt(x), _fmt(first_dy if i == 0 else 1.2), line) for i, line in enumerate(lines)),
    )
    return format_html(
        '<text class="chart-label" x="{}" y="{}" text-anchor="{}">{}</text>',
        _fmt(x),
        _fmt(y),
        anchor,
        spans,
    )


def radar(chart_id, axes, series, title):
    """A radar chart of 1-5 scores: `axes` are labels, `series` a list of Series.

    Unrated axes (None) are drawn at the centre; the table beside the chart says "not rated".
    """
    size, radius = 520, 140
    cx, cy = size / 2, 215
    height = 430
    count = max(len(axes), 1)

    def point(index, value):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * (value or 0) / MAX_SCORE
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = []
    for level in range(1, MAX_SCORE + 1):
        ring = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (point(i, level) for i in range(count)))
        parts.append(format_html('<polygon class="chart-grid" points="{}" fill="none"/>', ring))
        x, y = point(0, level)
        parts.append(
            format_html(
                '<text class="chart-tick" x="{}" y="{}" text-anchor="start">{}</text>',
                _fmt(x + 4),
                _fmt(y + 4),
                level,
            )
        )
    for index, label in enumerate(axes):
        x, y = point(index, MAX_SCORE)
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>',
                _fmt(cx),
                _fmt(cy),
                _fmt(x),
                _fmt(y),
            )
        )
        lx, ly = point(index, MAX_SCORE + 0.45)
        centred = abs(lx - cx) < 10
        anchor = "middle" if centred else ("start" if lx > cx else "end")
        valign = ("above" if ly < cy else "below") if centred else "middle"
        parts.append(_wrapped_label(lx, ly, label, anchor, valign))
    for number, one in enumerate(series):
        points = " ".join(
            f"{_fmt(x)},{_fmt(y)}"
            for x, y in (point(i, value) for i, value in enumerate(one.values))
        )
        parts.append(
            format_html(
                '<polygon class="series series-{}" points="{}" stroke-dasharray="{}">'
                "<title>{}</title></polygon>",
                number,
                points,
                DASHES[number % len(DASHES)],
                one.label,
            )
        )
        for i, value in enumerate(one.values):
            if value is None:
                continue
            parts.append(_dot(number, *point(i, value), _confidence(one, i)))
    desc = "; ".join(
        f"{one.label}: "
        + ", ".join(
            _describe(axis, value, _confidence(one, i))
            for i, (axis, value) in enumerate(zip(axes, one.values, strict=False))
        )
        for one in series
    )
    svg = _svg_open(chart_id, size, height, title, f"Mean scores out of 5. {desc}", "chart-radar")
    return mark_safe(svg + "".join(parts) + "</svg>")  # noqa: S308 - all from format_html


def _confidence(series, index):
    confidences = series.confidences or []
    return confidences[index] if index < len(confidences) else ""


def _describe(axis, value, confidence):
    if value is None:
        return f"{axis} not rated"
    return f"{axis} {_fmt(value)}" + (f" ({confidence} confidence)" if confidence else "")


def _dot(number, x, y, confidence):
    """A point of a series: filled when its confidence is high (or not given), a ring with
    a dot when medium, a dashed ring when low (shape, not colour, says which)."""
    dot = format_html(
        '<circle class="{}" cx="{}" cy="{}" r="{}"/>',
        f"series-dot series-{number}" + (f" conf-{confidence}" if confidence else ""),
        _fmt(x),
        _fmt(y),
        "3.5" if confidence in ("", "high") else "4.5",
    )
    if confidence == "medium":
        dot += format_html(
            '<circle class="series-dot series-{}" cx="{}" cy="{}" r="1.6"/>',
            number,
            _fmt(x),
            _fmt(y),
        )
    return dot


@dataclass
class Bar:
    label: str
    low: float
    high: float | None = None
    note: str = ""  # shown after the number, e.g. "disputed"
    kind: str = "alignment"  # css class suffix: bar-alignment, bar-capabilities, ...


@dataclass
class BarGroup:
    label: str
    bars: list


def _log_scale(groups):
    values = [v for g in groups for b in g.bars for v in (b.low, b.high) if v]
    smallest = min(values, default=1)
    largest = max(values, default=10)
    lo = 10 ** math.floor(math.log10(max(smallest, 1)))
    if lo == smallest and lo > 1:
        lo //= 10  # so the smallest bar is visible, not a sliver at the axis
    hi = 10 ** math.ceil(math.log10(max(largest, lo * 10)))
    return lo, hi


def headcount_bars(chart_id, groups, title):
    """Horizontal bars on a log scale (counts span from tens to hundreds of thousands).

    A range is drawn as a solid bar to the low value and a lighter extension to the high one.
    """
    label_width, bar_width, value_width = 250, 420, 110
    width = label_width + bar_width + value_width
    row, top = 24, 34
    lo, hi = _log_scale(groups)
    span = math.log10(hi) - math.log10(lo)

    def x_of(value):
        value = max(value, lo)
        return label_width + bar_width * (math.log10(value) - math.log10(lo)) / span

    rows = sum(len(group.bars) + 1 for group in groups)
    height = top + rows * row + 10
    parts = []
    decade = lo
    while decade <= hi:
        x = x_of(decade)
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                _fmt(x),
                top - 8,
                _fmt(x),
                height - 10,
                _fmt(x),
                top - 14,
                f"{decade:,.0f}",
            )
        )
        decade *= 10
    y = top
    descriptions = []
    for group in groups:
        parts.append(
            format_html(
                '<text class="chart-group" x="0" y="{}">{}</text>', _fmt(y + row * 0.7), group.label
            )
        )
        y += row
        for bar in group.bars:
            number = _number(bar.low, bar.high)
            short = bar.label if len(bar.label) <= 34 else bar.label[:33].rstrip() + "…"
            suffix = f" ({bar.note})" if bar.note else ""
            descriptions.append(f"{group.label}, {bar.label}: {number}{suffix}")
            parts.append(
                format_html(
                    '<text class="chart-label" x="12" y="{}">{}</text>'
                    '<rect class="bar bar-{}" x="{}" y="{}" width="{}" height="{}"/>',
                    _fmt(y + row * 0.68),
                    short,
                    bar.kind,
                    label_width,
                    _fmt(y + 4),
                    _fmt(max(x_of(bar.low) - label_width, 1)),
                    row - 8,
                )
            )
            end = x_of(bar.low)
            if bar.high and bar.high > bar.low:
                end = x_of(bar.high)
                parts.append(
                    format_html(
                        '<rect class="bar bar-range bar-{}" x="{}" y="{}" width="{}" height="{}"/>',
                        bar.kind,
                        _fmt(x_of(bar.low)),
                        _fmt(y + 4),
                        _fmt(max(end - x_of(bar.low), 1)),
                        row - 8,
                    )
                )
            parts.append(
                format_html(
                    '<text class="chart-value" x="{}" y="{}">{}{}</text>',
                    _fmt(end + 6),
                    _fmt(y + row * 0.68),
                    number,
                    "*" if bar.note else "",
                )
            )
            y += row
    desc = "Logarithmic scale. " + "; ".join(descriptions)
    svg = _svg_open(chart_id, width, height, title, desc, "chart-bars")
    return mark_safe(svg + "".join(parts) + "</svg>")  # noqa: S308 - all from format_html


def _number(low, high=None):
    text = f"{low:,.0f}"
    if high and high != low:
        text += f"–{high:,.0f}"
    return text


# --- the landscape: scores against FTEs ----------------------------------------------------

# Each top-level area has a colour (CSS class area-N) and a marker shape, so no mark is told
# apart by colour alone; both repeat after AREA_STYLES areas.
AREA_STYLES = 8


def area_style(index):
    return index % AREA_STYLES


def _n(number):
    """A coordinate, one decimal at most and none when whole: the landscape draws a mark per
    agenda, so bytes count."""
    return f"{number:.1f}".removesuffix(".0")


def _shape(index, x, y, r):
    """Marker `index` (0-7) centred on (x, y): circle, square, triangle, diamond,
    down-triangle, hexagon, plus, cross."""
    kind = area_style(index)
    if kind == 0:
        return format_html('<circle cx="{}" cy="{}" r="{}"/>', _n(x), _n(y), _n(r))
    if kind == 1:
        s = r * 0.9
        return format_html(
            '<rect x="{}" y="{}" width="{}" height="{}"/>',
            _n(x - s),
            _n(y - s),
            _n(2 * s),
            _n(2 * s),
        )
    if kind in (6, 7):
        t, a = r * 0.38, r * 1.1  # half thickness and half length of the bars of a plus
        plus = [(-t, -a), (t, -a), (t, -t), (a, -t), (a, t), (t, t), (t, a), (-t, a)]
        plus += [(-t, t), (-a, t), (-a, -t), (-t, -t)]
        if kind == 7:
            c = math.sqrt(0.5)
            plus = [((u - v) * c, (u + v) * c) for u, v in plus]
        corners = plus
    else:
        sides, turn, scale = {
            2: (3, -90, 1.25),
            3: (4, -90, 1.2),
            4: (3, 90, 1.25),
            5: (6, 0, 1.05),
        }[kind]
        corners = [
            (
                scale * r * math.cos(math.radians(turn + 360 * i / sides)),
                scale * r * math.sin(math.radians(turn + 360 * i / sides)),
            )
            for i in range(sides)
        ]
    points = " ".join(f"{_n(x + u)},{_n(y + v)}" for u, v in corners)
    return format_html('<polygon points="{}"/>', points)


def area_swatch(index):
    """A small inline SVG of an area's marker, for legends (decorative: the name follows)."""
    return format_html(
        '<svg class="lm-swatch area-{}" viewBox="0 0 16 16" width="16" height="16" '
        'aria-hidden="true" focusable="false">{}</svg>',
        area_style(index),
        _shape(index, 8, 8, 5.5),
    )


@dataclass
class Mark:
    """One agenda on the landscape."""

    label: str  # its accessible name: name, area, score, FTEs
    url: str
    score: float
    low: float | None  # FTE range; None when unknown
    high: float | None
    middle: float | None  # where the point sits: the range's geometric middle
    area: int  # index of its top-level area
    name: str = ""  # a short name to write beside the mark
    label_rank: int | None = None  # labelled when there is room, lowest rank first


@dataclass(frozen=True)
class Frame:
    """The landscape's layout, in the SVG's own units. The page draws a wide one, and a
    narrow one for phones with larger text and fewer labels."""

    width: int
    height: int
    top: int
    bottom: int
    strip_left: int  # the strip of agendas with no FTE estimate
    strip_right: int
    left: int  # the log-scale plot
    right: int
    radius: float
    label_size: float  # font size of the direct labels
    labels: int  # at most this many
    css_class: str
    # Marks are links named by their agenda; a drawing that only summarises (the phone's,
    # beside the wide chart and the table) is one picture, and weighs less.
    links: bool = True


WIDE = Frame(1100, 500, 18, 428, 58, 138, 176, 1084, 4.5, 12.5, 30, "chart-landscape")
PHONE = Frame(
    600, 660, 22, 570, 78, 168, 206, 584, 7.5, 17, 8, "chart-landscape-phone", links=False
)


def _log_range(values):
    """(lo, hi) for a log axis: lo the decade at or below the smallest value, hi the first of
    1, 2, 5 times a power of ten at or above the largest (at least one decade above lo)."""
    values = [v for v in values if v]
    lo = 10 ** math.floor(math.log10(max(min(values, default=1), 1)))
    largest = max(max(values, default=10), lo * 10)
    decade = 10 ** math.floor(math.log10(largest))
    hi = next(step * decade for step in (1, 2, 5, 10) if step * decade >= largest)
    return lo, hi


def _dodge(items, step, limit):
    """Offsets (in pixels) that keep marks on one line from hiding each other: `items` are
    (start, end) extents; each gets the smallest offset (0, +step, -step, +2 step, ...) whose
    row holds nothing overlapping it. Offsets never pass `limit`; past it, marks share."""
    rows = {}
    offsets = []
    order = [0]
    k = 1
    while k * step <= limit:
        order += [k * step, -k * step]
        k += 1
    for start, end in items:
        for offset in order:
            taken = rows.setdefault(offset, [])
            if all(end < s or start > e for s, e in taken):
                taken.append((start, end))
                offsets.append(offset)
                break
        else:
            offsets.append(0)
    return offsets


def _score_range(marks):
    """The whole scores the y axis spans: from the lowest mark's down to the highest mark's
    up, at least two apart, within 1 to 5."""
    scores = [m.score for m in marks] or [1, MAX_SCORE]
    low = max(1, math.floor(min(scores)))
    high = min(MAX_SCORE, max(math.ceil(max(scores)), low + 2))
    return max(1, min(low, high - 2)), high


def landscape(chart_id, marks, title, desc, unrated=0, frame=WIDE):
    """Overall score (y) against estimated FTEs (x, log scale): each agenda's FTE range
    as a bar with a marker at its geometric middle; agendas with no estimate sit apart in a
    labelled strip at the left. Every mark is a link named by its `label`; the marks with a
    `label_rank` get their short `name` written beside them where it fits."""
    f = frame
    known = [m for m in marks if m.middle is not None]
    unknown = [m for m in marks if m.middle is None]
    lo, hi = _log_range(v for m in known for v in (m.low, m.high))
    span = math.log10(hi) - math.log10(lo)
    score_low, score_high = _score_range(marks)

    def x_of(value):
        return f.left + (f.right - f.left) * (math.log10(max(value, lo)) - math.log10(lo)) / span

    def y_of(score):
        return f.bottom - (f.bottom - f.top) * (score - score_low) / (score_high - score_low)

    parts = [
        format_html(
            '<rect class="lm-strip" x="{}" y="{}" width="{}" height="{}"/>',
            f.strip_left,
            f.top - 6,
            f.strip_right - f.strip_left,
            f.bottom - f.top + 12,
        )
    ]
    for score in range(score_low, score_high + 1):
        y = _fmt(y_of(score))
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
                f.strip_left,
                y,
                f.right,
                y,
                f.strip_left - 8,
                _fmt(y_of(score) + 4),
                score,
            )
        )
    ticks = []
    decade = lo
    while decade < hi:
        ticks.append(decade)
        decade *= 10
    for tick in [*ticks, hi]:
        x = _fmt(x_of(tick))
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                x,
                f.top - 6,
                x,
                f.bottom + 6,
                x,
                f.bottom + 24,
                f"{tick:,.0f}",
            )
        )
    parts.append(
        format_html(
            '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">'
            "Estimated FTEs (log scale)</text>"
            '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">FTEs</text>'
            '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">unknown</text>'
            '<text class="chart-axis" transform="rotate(-90)" x="{}" y="{}" '
            'text-anchor="middle">Overall score ({} to {})</text>',
            _fmt((f.left + f.right) / 2),
            f.bottom + 52,
            _fmt((f.strip_left + f.strip_right) / 2),
            f.bottom + 24,
            _fmt((f.strip_left + f.strip_right) / 2),
            f.bottom + 44,
            _fmt(-(f.top + f.bottom) / 2),
            _fmt(f.strip_left / 3),
            score_low,
            score_high,
        )
    )
    if unrated:
        parts.append(
            format_html(
                '<text class="chart-tick" x="{}" y="{}" text-anchor="end">'
                "{} not yet rated, not drawn</text>",
                f.right,
                f.height - 4,
                unrated,
            )
        )

    # Marks on (nearly) the same score are moved a few pixels apart, up and down in turn,
    # where their bars would overlap; in the unknown strip they spread sideways.
    radius = f.radius
    placed = []
    by_row = {}
    for mark in known:
        by_row.setdefault(round(y_of(mark.score)), []).append(mark)
    for row in by_row.values():
        row.sort(key=lambda m: (x_of(m.low), x_of(m.high)))
        extents = [(x_of(m.low) - radius - 2, x_of(m.high) + radius + 2) for m in row]
        for mark, offset in zip(row, _dodge(extents, radius + 0.5, 4 * radius + 2), strict=True):
            placed.append((mark, x_of(mark.middle), y_of(mark.score) + offset))
    by_row = {}
    for mark in unknown:
        by_row.setdefault(round(y_of(mark.score)), []).append(mark)
    centre = (f.strip_left + f.strip_right) / 2
    for row in by_row.values():
        row.sort(key=lambda m: m.label)
        offsets = _dodge(
            [(0, 0)] * len(row), 2 * radius + 2, (f.strip_right - f.strip_left) / 2 - radius - 2
        )
        placed += [
            (mark, centre + offset, y_of(mark.score))
            for mark, offset in zip(row, offsets, strict=True)
        ]
    # One group per area carries its colour, so each mark is a link, its name and shapes.
    by_area = {}
    for mark, x, y in placed:
        bar = ""
        if mark.high and mark.low and mark.high > mark.low:
            bar = format_html(
                '<path d="M{} {}H{}"/>', _n(x_of(mark.low)), _n(y), _n(x_of(mark.high))
            )
        shape = _shape(mark.area, x, y, radius)
        by_area.setdefault(mark.area, []).append(
            format_html('<a href="{}"><title>{}</title>{}{}</a>', mark.url, mark.label, bar, shape)
            if f.links
            else format_html("{}{}", bar, shape)
        )
    for area, links in sorted(by_area.items()):
        parts.append(format_html('<g class="lm-marks area-{}">', area_style(area)))
        parts.extend(links)
        parts.append(mark_safe("</g>"))
    parts.append(_direct_labels(placed, f))
    role = "group" if f.links else "img"
    svg = _svg_open(chart_id, f.width, f.height, title, desc, f.css_class, role=role)
    return mark_safe(svg + "".join(parts) + "</svg>")  # noqa: S308 - all from format_html


def _direct_labels(placed, frame):
    """The short names of the ranked marks, where they fit (agendas/labels.py). Each mark's
    link already carries its full name, so the labels are hidden from assistive technology."""
    ranked = sorted(
        ((mark, x, y) for mark, x, y in placed if mark.label_rank is not None and mark.name),
        key=lambda item: item[0].label_rank,
    )[: frame.labels]
    wanted = [labels.Wanted(mark.url, mark.name, x, y, frame.radius + 1) for mark, x, y in ranked]
    obstacles = [labels.mark_box(x, y, frame.radius + 1) for _, x, y in placed]
    bounds = labels.Box(frame.strip_left, 0, frame.right, frame.bottom + 4)
    # Leader lines may reach further when the text is larger.
    reach = frame.label_size / WIDE.label_size
    found = labels.place(wanted, obstacles, bounds, frame.label_size, reach)
    if not found:
        return ""
    lines = [
        format_html(
            '<path class="lm-leader" d="M{} {}L{} {}"/>', *(_n(value) for value in label.leader)
        )
        for label in found
        if label.leader
    ]
    texts = [
        format_html(
            '<text x="{}" y="{}" text-anchor="{}">{}</text>',
            _n(label.x),
            _n(label.y),
            label.anchor,
            label.text,
        )
        for label in found
    ]
    return format_html(
        '<g class="lm-labels" aria-hidden="true" font-size="{}">{}</g>',
        _n(frame.label_size),
        mark_safe("".join([*lines, *texts])),  # noqa: S308 - every part escaped
    )


@dataclass
class BinCell:
    """Agendas of one area in one score band, aggregated; a link to them in the list."""

    label: str  # accessible name
    url: str
    count: int
    text: str  # shown beside the bubble, e.g. "120–340 FTEs"
    size: float  # what the bubble's area stands for (FTEs, middle of the summed range)


def landscape_bins(chart_id, rows, columns, title, desc):
    """A grid of bubbles: one row per area ((label, area index, [BinCell or None per
    column])), one column per score band (best first, as given); a bubble's area is
    proportional to its `size` and its text gives the count and the number."""
    label_width, column_width, row_height, head = 190, 157, 46, 40
    width = label_width + column_width * len(columns)
    height = head + row_height * len(rows) + 8
    largest = max((cell.size for _, _, cells in rows for cell in cells if cell), default=1) or 1
    parts = [format_html('<text class="chart-axis" x="0" y="{}">Overall score:</text>', head - 14)]
    for number, column in enumerate(columns):
        x = label_width + column_width * number
        parts.append(
            format_html(
                '<text class="chart-axis" x="{}" y="{}">{}</text>'
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>',
                _fmt(x + 8),
                head - 14,
                column,
                _fmt(x),
                head - 6,
                _fmt(x),
                height - 4,
            )
        )
    for number, (label, area, cells) in enumerate(rows):
        y = head + row_height * number
        parts.append(
            format_html('<line class="chart-grid" x1="0" y1="{}" x2="{}" y2="{}"/>', y, width, y)
        )
        parts.append(_wrapped_label(0, y + row_height / 2, label, "start", width=26))
        for column, cell in enumerate(cells):
            if cell is None:
                continue
            cx = label_width + column_width * column + 24
            cy = y + row_height / 2
            radius = 3 + 15 * math.sqrt(max(cell.size, 0) / largest)
            parts.append(
                format_html(
                    '<a href="{}" class="lm-bin area-{}"><title>{}</title>{}'
                    '<text class="chart-value" x="{}" y="{}">{} agenda{}</text>'
                    '<text class="chart-tick" x="{}" y="{}">{}</text></a>',
                    cell.url,
                    area_style(area),
                    cell.label,
                    _shape(area, cx, cy, radius),
                    _fmt(cx + 22),
                    _fmt(cy - 3),
                    cell.count,
                    "" if cell.count == 1 else "s",
                    _fmt(cx + 22),
                    _fmt(cy + 12),
                    cell.text,
                )
            )
    svg = _svg_open(chart_id, width, height, title, desc, "chart-landscape-bins", role="group")
    return mark_safe(svg + "".join(parts) + "</svg>")  # noqa: S308 - all from format_html


@dataclass
class RangeBar:
    label: str
    low: float
    high: float
    text: str  # the numbers, shown at the bar's end


def range_bars(chart_id, bars, title, desc):
    """Horizontal bars on a linear scale from 0: solid to `low`, lighter on to `high`."""
    label_width, bar_width, text_width, row = 120, 420, 250, 30
    width = label_width + bar_width + text_width
    height = row * len(bars) + 8
    largest = max((bar.high for bar in bars), default=0) or 1
    parts = []
    for number, bar in enumerate(bars):
        y = 4 + row * number
        low = bar_width * bar.low / largest
        high = bar_width * bar.high / largest
        parts.append(
            format_html(
                '<text class="chart-label" x="0" y="{}">{}</text>'
                '<rect class="bar bar-alignment" x="{}" y="{}" width="{}" height="{}"/>'
                '<rect class="bar bar-range bar-alignment" x="{}" y="{}" width="{}" height="{}"/>'
                '<text class="chart-value" x="{}" y="{}">{}</text>',
                _fmt(y + row * 0.62),
                bar.label,
                label_width,
                _fmt(y + 4),
                _fmt(low),
                row - 10,
                _fmt(label_width + low),
                _fmt(y + 4),
                _fmt(high - low),
                row - 10,
                _fmt(label_width + high + 6),
                _fmt(y + row * 0.62),
                bar.text,
            )
        )
    svg = _svg_open(chart_id, width, height, title, desc, "chart-range-bars")
    return mark_safe(svg + "".join(parts) + "</svg>")  # noqa: S308 - all from format_html
