"""The landscape's direct labels with the shipped content, measured in a real browser: no label
covers another label or any mark, at 1280 px and at 390 px, and the agendas a reader looks
for are named on the wide chart."""

import io

import pytest
from django.core.management import call_command

from agendas.models import Agenda, Rating
from tests.browser.conftest import PHONE, screenshot

pytestmark = pytest.mark.browser

# Boxes of every visible label and every visible mark of the chart on show, in CSS pixels.
MEASURE = """() => {
  const svg = [...document.querySelectorAll('svg.chart-landscape, svg.chart-landscape-phone')]
    .find(chart => chart.getBoundingClientRect().width > 0);
  const box = element => {
    const r = element.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const marks = [...svg.querySelectorAll('.lm-marks circle, .lm-marks rect, .lm-marks polygon')];
  return {
    chart: box(svg),
    labels: [...svg.querySelectorAll('.lm-labels text')].map(t => [t.textContent, box(t)]),
    marks: marks.map(box),
  };
}"""


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def measure(page):
    found = page.evaluate(MEASURE)
    return found["chart"], found["labels"], found["marks"]


def check_no_overlap(chart, labels, marks):
    problems = []
    for index, (text, box) in enumerate(labels):
        if not (
            chart[0] <= box[0] and box[2] <= chart[2] and chart[1] <= box[1] <= box[3] <= chart[3]
        ):
            problems.append(f"{text!r} leaves the chart")
        problems += [f"{text!r} covers a mark" for mark in marks if overlap(box, mark)][:1]
        problems += [
            f"{text!r} covers {other!r}"
            for other, box2 in labels[index + 1 :]
            if overlap(box, box2)
        ]
    return problems


@pytest.fixture
def loaded_content(transactional_db):
    call_command("load_content", stdout=io.StringIO())


def test_labels_cover_no_mark_or_label_and_name_what_readers_look_for(
    browser, live_server, loaded_content
):
    rated = Agenda.objects.exclude(overall_score=None)
    best = rated.order_by("-overall_score", "name").first()
    worst = rated.order_by("overall_score", "name").first()
    staffed = max(
        rated.exclude(fte_low=None),
        key=lambda agenda: (agenda.fte_low * (agenda.fte_high or agenda.fte_low)) ** 0.5,
    )
    essays = set(
        Agenda.objects.filter(
            pk__in=Rating.objects.filter(assessor__slug="essay-2023").values("agenda")
        ).values_list("name", flat=True)
    )
    problems = []
    for viewport, least in ((None, 20), (PHONE, 4)):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or {"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.goto("/")
        chart, labels, marks = measure(page)
        screenshot(page, f"landscape-labels-{chart[2] - chart[0]:.0f}")
        names = [text for text, _ in labels]
        if len(names) < least:
            problems.append(f"{len(names)} labels at {viewport}, expected at least {least}")
        problems += check_no_overlap(chart, labels, marks)
        if viewport is None:
            # Labels are short names: a long name is cut with an ellipsis.
            named = {name.rstrip("…") for name in names}
            for wanted in [best.name, worst.name, staffed.name, *essays]:
                if not any(wanted.startswith(name) for name in named):
                    problems.append(f"{wanted!r} is not labelled at 1280 px")
        context.close()
    assert essays, "the shipped content names no agenda the essay rates"
    assert not problems, "\n".join(problems)
