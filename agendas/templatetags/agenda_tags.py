from django import template
from django.utils.safestring import mark_safe

from agendas.markdown import render_markdown
from agendas.scoring import score_band

register = template.Library()


@register.filter
def markdown(text):
    """Render user-written Markdown as sanitised HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 has sanitised it


@register.filter
def score(value):
    """A mean score as '3.4', or an em dash when there is none."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.1f}"


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
