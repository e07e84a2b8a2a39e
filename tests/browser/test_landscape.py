"""The landscape and the reader's weights in a real browser, without JavaScript."""

import pytest
from playwright.sync_api import expect

from agendas.models import Agenda
from tests.builders import make_agenda, make_assessor, make_criterion, make_rated_agenda

pytestmark = pytest.mark.browser


@pytest.fixture
def field(transactional_db):
    scales = make_criterion(name="Scales", slug="scales")
    deception = make_criterion(name="Robust to deception", slug="deception")
    assessor = make_assessor()
    make_rated_agenda(
        [scales, deception], [assessor], [[5], [2]], name="Broad", slug="broad", fte_low=10
    )
    make_rated_agenda(
        [scales, deception], [assessor], [[1], [4]], name="Deep", slug="deep", fte_low=3, fte_high=9
    )
    make_rated_agenda([scales, deception], [assessor], [[3], [3]], name="Even", slug="even")
    make_agenda(name="Unrated", slug="unrated")


@pytest.fixture
def no_js_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_landscape_has_one_linked_mark_per_rated_agenda(page, field):
    page.goto("/")
    marks = page.locator("svg.chart-landscape a")
    expect(marks).to_have_count(Agenda.objects.exclude(overall_score=None).count())
    page.get_by_role("link", name="Deep (").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deep")


def test_a_mark_is_reached_by_keyboard(page, field):
    page.goto("/")
    for _ in range(40):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.closest('svg') ? 'chart' : ''")
        if name:
            break
    assert name == "chart", "no landscape mark took the keyboard focus"


def test_the_readers_weights_change_the_order_without_javascript(no_js_page, field):
    page = no_js_page
    page.goto("/criteria/")
    page.get_by_role("spinbutton", name="Robust to deception").fill("5")
    page.get_by_role("button", name="Rank the agendas").click()
    expect(page.get_by_text("Ranked by your own weights")).to_be_visible()
    rows = page.locator(".agenda-table tbody th[scope=row] > a")
    expect(rows).to_have_text(["Deep", "Even", "Broad", "Unrated"])
    page.get_by_role("link", name="Use the published weights").click()
    expect(rows).to_have_text(["Broad", "Even", "Deep", "Unrated"])
