from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from agendas.fte import FteRange
from agendas.scoring import format_score, score_band

register = template.Library()


@register.filter
def sanitised(html):
    """Show a stored `<field>_html` column: Markdown rendered and sanitised by nh3 when the
    row was written (agendas/markdown.py). Never use it on anything else."""
    return mark_safe(html)  # noqa: S308 - sanitised at write time


@register.filter
def score(value):
    """A stored score as '3.42' (scoring.format_score), or an em dash when there is none."""
    return format_score(value)


@register.filter
def band(value):
    """A word for a score (strong, fair, weak, poor), so meaning never rests on colour."""
    return score_band(None if value in (None, "") else float(value))


@register.filter
def fte_range(agenda):
    """An agenda's FTE estimate in words (fte.FteRange)."""
    return str(FteRange.of(agenda))


# Badges drawn many times a page (a score in every table cell) are built here rather than
# in included templates: an {% include %} per badge added up on the agenda, compare and
# criterion pages at 100x (measured in docs/performance.md).

VISUALLY_HIDDEN_CONFIDENCE = mark_safe('<span class="visually-hidden"> confidence</span>')
LOAD_MARKS = {3: "●●●", 2: "●●○"}


@register.simple_tag
def confidence_badge(level, long=False, compact=False):
    """'high', 'medium' or 'low' confidence, in words (colour only repeats them): with
    `long` the word 'confidence' shows; otherwise it is there for screen readers only,
    unless `compact` (dense tables) leaves it out."""
    if not level:
        return ""
    if long:
        return format_html(
            '<span class="confidence confidence-{}">{} confidence</span>', level, level
        )
    return format_html(
        '<span class="confidence confidence-{}">{}{}</span>',
        level,
        level,
        "" if compact else VISUALLY_HIDDEN_CONFIDENCE,
    )


@register.simple_tag
def score_badge(value, level="", whole=False, compact=False):
    """A score with its band and confidence, or 'not rated'. `whole` shows a rating's own
    integer; `compact` is confidence_badge's."""
    if value is None:
        return mark_safe('<span class="muted">not rated</span>')
    html = format_html(
        '<span class="score-value score-conf-{} score-{}">{}</span>',
        level or "none",
        band(value),
        value if whole else format_score(value),
    )
    if level:
        html += format_html(" {}", confidence_badge(level, compact=compact))
    return html


@register.simple_tag
def load_badge(load, label):
    """How load-bearing an assumption is: three marks (hidden from screen readers) and a word."""
    return format_html(
        '<span class="badge badge-load-{} ref-load"><span class="ref-load-mark" aria-hidden="true">'
        "{}</span> {}</span>",
        load,
        LOAD_MARKS.get(load, "●○○"),
        label,
    )
