from datetime import datetime

from django import template
from django.template.defaultfilters import date as format_date
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


@register.filter(is_safe=True)
def one_line(text):
    """Text written over several template lines as one line: for a block that ends up in an
    attribute value, such as the page description in base.html's meta tag."""
    return " ".join(str(text).split())


@register.simple_tag(takes_context=True)
def aria_current(context, url):
    """A main-navigation link's aria-current: "page" on its page, "true" on a page below it."""
    # The error pages may render without a request.
    path = getattr(context.get("request"), "path", "")
    if path == url:
        return mark_safe(' aria-current="page"')
    return mark_safe(' aria-current="true"') if url in path else ""


# Includes used on many lines, as tags: a template line stays short and reads as what it shows.
@register.inclusion_tag("agendas/includes/_source_link.html")
def source_link(source):
    """A source's title, linked when it has an address."""
    return {"source": source}


@register.inclusion_tag("agendas/includes/_ref_source.html")
def source_citation(source):
    """A source as a citation: its linked title, authors and year, each "not known" if missing."""
    return {"source": source}


@register.inclusion_tag("agendas/includes/_as_of.html")
def as_of(date, source=None):
    """ "as of <date>, per <source>": the date a claim was true on, and who said so (nothing
    when no date is known)."""
    return {"date": date, "source": source}


@register.inclusion_tag("agendas/includes/_filter_form.html")
def filter_form(form, list_url, heading):
    """A list page's filters: each visible field, Apply, and a link back to the whole list."""
    return {"form": form, "list_url": list_url, "heading": heading}


@register.inclusion_tag("agendas/includes/_ref_critique_item.html")
def critique_item(critique, show_assumption):
    """A critique in a list: title, provenance, agenda, (assumption,) author, date and excerpt."""
    return {"critique": critique, "show_assumption": show_assumption}


@register.inclusion_tag("agendas/includes/_weights_fields.html")
def weights_fields(form, legend):
    """The fields of a WeightsForm: a weight for each criterion, under `legend`."""
    return {"form": form, "legend": legend}


@register.simple_tag(name="time")
def time_element(value, shown="j M Y"):
    """A <time> element: the date (or moment) for machines, `shown` (a date format) for readers."""
    machine = "Y-m-d\\TH:i:sO" if isinstance(value, datetime) else "Y-m-d"
    return format_html(
        '<time datetime="{}">{}</time>', format_date(value, machine), format_date(value, shown)
    )


@register.inclusion_tag("agendas/includes/_ref_form_errors.html")
def form_errors(form, reset_url, reset_label):
    """What a list page's query-string form refused, with a link back to a page that works."""
    return {"form": form, "reset_url": reset_url, "reset_label": reset_label}


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
