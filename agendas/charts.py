"""Inline SVG charts rendered on the server: radar (one or several agendas) and bars.

Each chart carries a <title> and <desc> as its text alternative; pages also show the same
numbers in a table. Colours come from CSS classes (series-N, bar-*) so light and dark mode
can each pick readable ones; series also differ in dash pattern, never by colour alone.
"""

import math
import textwrap
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe

MAX_SCORE = 5
DASHES = ["", "6 3", "2 3", "10 3 2 3", "1 5", "12 6"]


@dataclass
class Series:
    label: str
    values: list  # one float or None per axis
    confidences: list | None = None  # "low" / "medium" / "high" per axis: how each dot is drawn


def _fmt(number):
    return f"{number:.1f}"


def _svg_open(chart_id, width, height, title, desc, css_class):
    return format_html(
        '<svg class="chart {}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        css_class,
        width,
        height,
        width,
        height,
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
    spans = "".join(
        format_html(
            '<tspan x="{}" dy="{}em">{}</tspan>',
            _fmt(x),
            _fmt(first_dy if i == 0 else 1.2),
            line,
        )
        for i, line in enumerate(lines)
    )
    return format_html(
        '<text class="chart-label" x="{}" y="{}" text-anchor="{}">{}</text>',
        _fmt(x),
        _fmt(y),
        anchor,
        mark_safe(spans),  # noqa: S308 - built from format_html above
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
    return mark_safe(svg + "".join(parts) + "</svg>")  # noqa: S308 - every part escaped


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
    return mark_safe(svg + "".join(parts) + "</svg>")  # noqa: S308 - every part escaped


def _number(low, high=None):
    text = f"{low:,.0f}"
    if high and high != low:
        text += f"–{high:,.0f}"
    return text
