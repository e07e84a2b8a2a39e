"""The small template tags the pages share (agendas/templatetags/agenda_tags.py)."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone


def render(source, **context):
    return Template("{% load agenda_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/agendas/", ' aria-current="page"'),  # the page itself
        ("/agendas/debate/", ' aria-current="true"'),  # a page below it
        ("/compare/", ""),  # elsewhere
    ],
)
def test_a_navigation_link_says_where_the_reader_is(path, expected):
    request = RequestFactory().get(path)
    assert render('{% aria_current "/agendas/" %}', request=request) == expected


def test_a_page_without_a_request_marks_no_link():
    # The error pages can render without one.
    assert render('{% aria_current "/agendas/" %}') == ""


def test_one_line_joins_a_block_written_over_lines_and_keeps_it_escaped():
    source = "{% filter one_line %}\n  A <b>map</b>\n    of agendas\n{% endfilter %}"
    source += "|{{ x|one_line }}"
    assert render(source, x="a <i>\n b") == "A <b>map</b> of agendas|a &lt;i&gt; b"


def test_time_gives_machines_the_date_and_readers_the_format_asked_for():
    day = datetime.date(2025, 12, 16)
    assert render("{% time day %}", day=day) == '<time datetime="2025-12-16">16 Dec 2025</time>'
    assert render('{% time day "M Y" %}', day=day) == '<time datetime="2025-12-16">Dec 2025</time>'
    moment = timezone.make_aware(datetime.datetime(2025, 12, 16, 9, 30), datetime.UTC)
    assert render("{% time moment %}", moment=moment) == (
        '<time datetime="2025-12-16T09:30:00+0000">16 Dec 2025</time>'
    )


def test_as_of_says_nothing_without_a_date():
    assert render("{% as_of None %}") == ""
    shown = render("{% as_of day %}", day=datetime.date(2025, 12, 16))
    assert "as of <time" in shown and ", per" not in shown
