"""The public site in a real browser: flows, keyboard use, accessibility, screenshots."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from agendas.models import Assumption, Criterion, Critique, Organisation
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, screenshot
from tests.builders import make_landscape

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def site_pages(agendas):
    """Every public page, one of each kind: site's and ref's pages (add new pages here)."""
    agenda = agendas[0]
    slugs = "&".join(f"a={a.slug}" for a in agendas[:3])
    return {
        "home": "/",
        "home-weights": f"/?w-{Criterion.objects.first().slug}=5",
        "landscape-table": "/landscape/",
        "weights-error": "/?w-nothing=1",
        "agenda-list": "/agendas/",
        "agenda-list-filtered": "/agendas/?sort=score&approach=engineering",
        "agenda-list-error": "/agendas/?area=nowhere",
        "agenda-list-weights": f"/agendas/?sort=score&w-{Criterion.objects.first().slug}=0",
        "agenda-detail": agenda.get_absolute_url(),
        "compare-picker": "/compare/",
        "compare": f"/compare/?{slugs}",
        "compare-diff": f"/compare/?{slugs}&diff=1",
        "compare-one": f"/compare/?a={agenda.slug}",
        "compare-error": f"/compare/?a={agenda.slug}&a={agenda.slug}",
        "search": "/search/?q=agenda",
        "assumption-list": "/assumptions/",
        "assumption-detail": f"/assumptions/{Assumption.objects.first().slug}/",
        "critique-list": "/critiques/",
        "disagreements": "/disagreements/",
        "critique-detail": f"/critiques/{Critique.objects.published().first().slug}/",
        "criterion-list": "/criteria/",
        "criterion-detail": f"/criteria/{Criterion.objects.first().slug}/",
        "problem-list": "/problems/",
        "organisation-list": "/organisations/",
        "organisation-detail": f"/organisations/{Organisation.objects.first().slug}/",
        "tag-list": "/tags/",
        "tag-detail": "/tags/tag-0/",
        "suggest": f"{agenda.get_absolute_url()}suggest/",
    }


SCREENSHOT_PAGES = ["home", "agenda-list", "agenda-detail", "compare", "compare-diff"]


@pytest.fixture
def agendas(transactional_db):
    return make_landscape(agendas=7, criteria=5, assessors=3, critiques=2)


def test_browse_filter_and_open_an_agenda(page, agendas):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Agendas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agendas")
    expect(page.locator(".agenda-table tbody tr")).to_have_count(7)

    page.get_by_label("Area:", exact=True).select_option(label="Interpretability")
    page.get_by_label("Sort:", exact=True).select_option("score")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"area=area-\d+.*sort=score"))
    expect(page.locator(".agenda-table tbody tr")).to_have_count(4)  # agendas 0, 2, 4, 6

    page.get_by_role("link", name="Agenda 002").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda 002")
    expect(page.locator("svg.chart-radar")).to_be_visible()
    expect(page.get_by_role("table", name="Mean and spread per criterion")).to_be_visible()


def test_bad_filter_shows_the_message(page, agendas):
    response = page.goto("/agendas/?min_score=banana")
    assert response.status == 400
    expect(page.get_by_role("alert").first).to_contain_text("not valid")


def test_pick_three_agendas_compare_them_and_show_differences_only(page, agendas):
    page.goto("/agendas/")
    for name in ["Agenda 000", "Agenda 001", "Agenda 003"]:
        page.get_by_label(f"Compare {name}").check()
    page.get_by_role("button", name="Compare selected").first.click()
    expect(page).to_have_url(re.compile(r"/compare/\?a=agenda-\d+&a=agenda-\d+&a=agenda-\d+$"))
    headers = page.locator(".compare-table thead th")
    expect(headers).to_have_count(3)
    expect(headers.nth(0)).to_contain_text("Agenda 000")
    expect(page.locator("svg.chart-radar polygon.series")).to_have_count(3)
    all_rows = page.locator(".compare-table tbody tr:not(.section-row)").count()

    page.get_by_role("link", name="Show differences only").click()
    expect(page).to_have_url(re.compile(r"diff=1"))
    expect(page.get_by_text("Showing differences only")).to_be_visible()
    diff_rows = page.locator(".compare-table tbody tr:not(.section-row)").count()
    assert 0 < diff_rows < all_rows

    page.get_by_role("link", name="Remove Agenda 001 from the comparison").click()
    expect(page.locator(".compare-table thead th")).to_have_count(2)
    page.get_by_label("Add an agenda").select_option(label="Agenda 005")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".compare-table thead th").nth(2)).to_contain_text("Agenda 005")


def _tab_to(page, predicate_js, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"
        ):
            return
    raise AssertionError(f"keyboard focus never reached: {predicate_js}")


def test_compare_flow_by_keyboard_alone(page, agendas):
    page.goto("/compare/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    # Two selects grouped by area, then one more agenda added from the comparison.
    for select_id, steps in [("compare-pick-1", 1), ("compare-pick-2", 2)]:
        _tab_to(page, f"el.id === '{select_id}'")
        for _ in range(steps):
            page.keyboard.press("ArrowDown")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Compare'")
    page.keyboard.press("Enter")
    expect(page.locator(".compare-table thead th")).to_have_count(2)
    _tab_to(page, "el.id === 'compare-add-select'", limit=200)
    page.keyboard.press("ArrowDown")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Add'")
    page.keyboard.press("Enter")
    expect(page.locator(".compare-table thead th")).to_have_count(3)

    _tab_to(page, "el.textContent.trim() === 'Show differences only'")
    # The focused element is visibly outlined.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"diff=1"))


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE)],
    ids=["light-desktop", "dark-desktop", "light-phone"],
)
def test_no_serious_accessibility_violations_on_any_page(
    browser, live_server, agendas, scheme, viewport
):
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme, viewport=viewport)
    page = context.new_page()
    axe = Axe()
    failures = []
    try:
        for name, url in site_pages(agendas).items():
            response = page.goto(url)
            expected = 400 if name.endswith("-error") else 200
            assert response.status == expected, f"{name} {url} answered {response.status}"
            results = axe.run(page)
            serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
            for violation in serious:
                targets = [node["target"] for node in violation["nodes"]][:5]
                failures.append(
                    f"{name} {url}: {violation['id']} ({violation['impact']}) {targets}"
                )
    finally:
        context.close()
    assert not failures, "\n".join(failures)


def test_pages_have_no_horizontal_overflow_at_phone_width(phone_page, agendas):
    for name in SCREENSHOT_PAGES:
        phone_page.goto(site_pages(agendas)[name])
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} is {width}px wide: something escapes its scroll wrapper"


def luminance(css_colour):
    """Relative luminance (WCAG) of a computed colour such as 'rgb(20, 23, 26)'."""
    red, green, blue = (int(part) for part in re.findall(r"\d+", css_colour)[:3])

    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def test_main_pages_follow_the_colour_scheme_and_are_screenshotted(browser, live_server, agendas):
    """Each main page in light and dark, on a desktop and a phone: it renders, its colours
    follow the reader's scheme with readable text, nothing overflows a phone, and a
    screenshot lands in test-artifacts/screenshots/ for a person to look at."""
    failures = []
    for viewport, label in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        for scheme in ["light", "dark"]:
            context = browser.new_context(
                base_url=live_server.url, viewport=viewport, color_scheme=scheme
            )
            page = context.new_page()
            for name in SCREENSHOT_PAGES:
                response = page.goto(site_pages(agendas)[name])
                where = f"{name} ({label}, {scheme})"
                assert response.status == 200, where
                expect(page.get_by_role("heading", level=1)).to_be_visible()
                colours = page.evaluate(
                    "(() => { const s = getComputedStyle(document.body);"
                    " return [s.backgroundColor, s.color]; })()"
                )
                background, text = (luminance(colour) for colour in colours)
                if (background < 0.5) != (scheme == "dark"):
                    failures.append(f"{where}: background {colours[0]} ignores the scheme")
                contrast = (max(background, text) + 0.05) / (min(background, text) + 0.05)
                if contrast < 7:
                    failures.append(f"{where}: text contrast {contrast:.1f} is below 7")
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > viewport["width"]:
                    failures.append(f"{where}: {width}px wide in a {viewport['width']}px window")
                screenshot(page, f"{name}-{label}-{scheme}")
                shot = SCREENSHOTS / f"{name}-{label}-{scheme}.png"
                assert shot.stat().st_size > 1000, f"{where}: empty screenshot"
            context.close()
    assert not failures, "\n".join(failures)
