from django import template
from django.utils.safestring import mark_safe

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
    """The FTE estimate as given, or the low-high range, or 'unknown'."""
    if agenda.fte_text:
        return agenda.fte_text
    values = [str(v) for v in (agenda.fte_low, agenda.fte_high) if v is not None]
    return "–".join(dict.fromkeys(values)) or "unknown"
