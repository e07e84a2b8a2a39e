"""Every public page in a real browser at the size of the field, and at a hundred times it.

Two data sets, each built once for one test that runs every check on it:

- "field": what a site fed the Shallow Review looks like. The shipped content around the
  agendas (taxonomy, criteria, assessors, problems, organisations, sources, assumptions,
  tags) is loaded, then the synthetic export in tests/data/shallow_review_field/ (80
  agendas in the real export's format and sections; the real one carries no licence) is
  imported, then "the editors" rate all but every tenth agenda and tag them. The shipped
  agendas stay out: 77 of them plus 80 imported would pass the 150 agendas past which the
  landscape groups agendas into bins, and this run is about the chart of single marks.
- "100x": `generate_demo_data --scale 100`, about 1,000 agendas (and 50,000 critiques,
  30,000 ratings), which the landscape shows as bins. It takes about a minute to build on
  SQLite (most of this module's run time); a smaller scale would do for the bins but not
  for the point of the run, pages at a hundred times today's field.

Each run checks, collecting every failure before it reports:
- every public page answers 200 and is no wider than a 390-pixel phone screen;
- axe finds no serious or critical violation on a phone: every rule in light mode, and the
  colour rules again in dark mode;
- the landscape draws one linked mark per rated agenda (field), or one linked bin per top-
  level area and score band that holds a rated agenda, each bin leading to an agenda list
  of exactly its agendas (100x);
- one criterion weighted 5 and the others 0 reorders the top of the agenda list by that
  criterion, and the page says the reader's weights are in use.
Screenshots of home, the agenda list and compare (desktop and phone, light and dark) land
in test-artifacts/screenshots/scale-*.png.

Query counts are not pinned here: tests/test_query_counts.py,
tests/test_reference_query_counts.py and tests/test_search.py already request every page at
two data sizes with the same expected count.
"""

import datetime
import hashlib
import io
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.db.models.functions import Length
from taggit.models import Tag

from agendas.content import BEFORE_FIELD
from agendas.models import (
    Agenda,
    Assessor,
    Assumption,
    Criterion,
    CriterionScore,
    Critique,
    Organisation,
    Rating,
    TaggedAgenda,
)
from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser

FIELD_EXPORT = Path(__file__).resolve().parents[1] / "data" / "shallow_review_field"
DEMO_SCALE = "100"
SERIOUS = {"serious", "critical"}
AXE_DEFAULTS = {"resultTypes": ["violations"]}
# The rules whose outcome a colour scheme can change: every rule runs in light mode, only
# these again in dark mode (axe takes most of this module's time).
COLOUR_RULES = {
    **AXE_DEFAULTS,
    "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
}
SCREENSHOT_PAGES = ["home", "agenda-list", "compare"]
TOP = 10  # how many of the agenda list's first rows the weights check compares


# --- the two data sets ----------------------------------------------------------------------


def build_field():
    """The shipped content around the agendas, the synthetic export imported into it, and
    ratings and tags from "the editors" (imported agendas arrive unrated)."""
    fixtures = settings.SITE_FILES_DIR / "fixtures"
    call_command("loaddata", *(fixtures / f"{name}.json" for name in BEFORE_FIELD), verbosity=0)
    out = io.StringIO()
    call_command(
        "import_shallow_review",
        str(FIELD_EXPORT / "agendas.csv"),
        papers=str(FIELD_EXPORT / "papers.csv"),
        taxonomy=str(FIELD_EXPORT / "taxonomy.yaml"),
        stdout=out,
    )
    agendas = list(Agenda.objects.order_by("name"))
    assert len(agendas) == 80, out.getvalue()
    criteria = list(Criterion.objects.order_by("order", "name"))
    assessors = list(Assessor.objects.order_by("slug"))
    tags = list(Tag.objects.order_by("name"))
    ratings = []
    for i, agenda in enumerate(agendas):
        if i % 10 == 9:
            continue  # not yet rated
        agenda.tags.add(tags[i % len(tags)])
        for c, criterion in enumerate(criteria):
            for a, assessor in enumerate(assessors):
                ratings.append(
                    Rating(
                        agenda=agenda,
                        criterion=criterion,
                        assessor=assessor,
                        score=1 + hashlib.sha256(f"{i}/{c}/{a}".encode()).digest()[0] % 5,
                        confidence=["low", "medium", "high"][(i + c + a) % 3],
                        rationale="A made-up rating for the browser test.",
                        date=datetime.date(2025, 12, 16),
                    )
                )
    Rating.objects.bulk_create(ratings)  # stores the scores too (agendas/changes.py)


def build_100x():
    call_command("generate_demo_data", "--scale", DEMO_SCALE, stdout=io.StringIO())


BUILDERS = {"field": build_field, "100x": build_100x}


def site_pages():
    """Every public page, one of each kind, on whatever data is loaded: the agendas with the
    longest names where there is a choice, as they are the likeliest to overflow. (Variants
    that only filter or trim a page, such as compare's differences, are left to
    tests/browser/test_site.py: each page here costs two axe runs at each size.)"""
    rated = Agenda.objects.exclude(overall_score=None).order_by(Length("name").desc(), "slug")
    agenda = rated.first()
    compared = "&".join(f"a={slug}" for slug in rated.values_list("slug", flat=True)[:6])
    criterion = Criterion.objects.order_by("order", "name").first()
    critique = Critique.objects.published().order_by("slug").first()
    linked = Critique.objects.linked().order_by("slug").first()
    assert critique or linked, "no public critique to show"
    organisations = Organisation.objects.order_by("slug")
    organisation = organisations.filter(agendas__isnull=False).first() or organisations.first()
    assumption = Assumption.objects.filter(reliances__isnull=False).order_by("slug").first()
    tag = TaggedAgenda.objects.order_by("tag__slug").values_list("tag__slug", flat=True)[0]
    return {
        "home": "/",
        "landscape-table": "/landscape/",
        "agenda-list": "/agendas/",
        "agenda-list-weights": weights_url(),
        "agenda-detail": agenda.get_absolute_url(),
        "compare-picker": "/compare/",
        "compare": f"/compare/?{compared}",
        "search": f"/search/?q={agenda.name.split()[0]}",
        "assumption-list": "/assumptions/",
        "assumption-detail": f"/assumptions/{assumption.slug}/",
        "critique-list": "/critiques/",
        "disagreements": "/disagreements/",
        **({"critique-detail": f"/critiques/{critique.slug}/"} if critique else {}),
        **({"critique-detail-linked": f"/critiques/{linked.slug}/"} if linked else {}),
        "criterion-list": "/criteria/",
        "criterion-detail": f"/criteria/{criterion.slug}/",
        "problem-list": "/problems/",
        "organisation-list": "/organisations/",
        "organisation-detail": f"/organisations/{organisation.slug}/",
        "tag-list": "/tags/",
        "tag-detail": f"/tags/{tag}/",
    }


def weighted_criterion():
    return Criterion.objects.order_by("order", "name").first()


def weights_url():
    """The agenda list by score with the first criterion weighted 5 and the others 0."""
    chosen = weighted_criterion()
    weights = "&".join(
        f"w-{criterion.slug}={5 if criterion == chosen else 0}"
        for criterion in Criterion.objects.all()
    )
    return f"/agendas/?sort=score&{weights}"


# --- what the landscape must draw, worked out from the data ---------------------------------


def top_area(agenda):
    area = agenda.area
    while area.parent_id:
        area = area.parent
    return area


def band_slug(score):
    """The landscape's score bands (agendas/scoring.py SCORE_BANDS), written out again."""
    if score < 2:
        return "under-2"
    if score < 3:
        return "2-3"
    if score < 4:
        return "3-4"
    return "4-and-over"


def expected_bins():
    """{(top-level area slug, band slug): number of rated agendas}: one bin per pair that
    holds a rated agenda, as agendas/landscape.py promises."""
    rated = Agenda.objects.exclude(overall_score=None).select_related("area__parent")
    return Counter((top_area(a).slug, band_slug(float(a.overall_score))) for a in rated)


# --- the checks -----------------------------------------------------------------------------


# The innermost elements that reach past the window's right edge, for the failure message.
OVERFLOWING = """(() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 0.5))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ` +
               `(${Math.round(el.getBoundingClientRect().right)}px)`);
})()"""


def check_pages(page, pages, axe, where):
    """Each page answers 200, fits the window, and has no serious axe violation: every rule
    in light mode, then the colour rules again in dark mode on the same page."""
    failures = []
    width = page.viewport_size["width"]
    for name, url in pages.items():
        page.emulate_media(color_scheme="light")
        response = page.goto(url)
        if response.status != 200:
            failures.append(f"{where} {name} {url}: answered {response.status}")
            continue
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            failures.append(
                f"{where} {name} {url}: {scroll_width}px wide in a {width}px window, "
                f"past its edge: {page.evaluate(OVERFLOWING)}"
            )
        for scheme, options in [("light", AXE_DEFAULTS), ("dark", COLOUR_RULES)]:
            page.emulate_media(color_scheme=scheme)
            for violation in axe.run(page, options=options).response["violations"]:
                if violation["impact"] in SERIOUS:
                    targets = [node["target"] for node in violation["nodes"]][:5]
                    failures.append(
                        f"{where} {name} {url} ({scheme}): axe {violation['id']} "
                        f"({violation['impact']}) {targets}"
                    )
    return failures


def check_landscape_marks(page):
    """Field size: one linked mark per rated agenda, each to that agenda, and no bins."""
    page.goto("/")
    rated = Agenda.objects.exclude(overall_score=None)
    hrefs = page.locator("svg.chart-landscape a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    failures = [] if rated else ["landscape: no rated agenda to draw"]
    if sorted(hrefs) != sorted(agenda.get_absolute_url() for agenda in rated):
        failures.append(
            f"landscape: {len(hrefs)} marks for {rated.count()} rated agendas, "
            f"or marks that link elsewhere: {sorted(hrefs)[:5]}…"
        )
    if page.locator("svg.chart-landscape-bins").count():
        failures.append("landscape: binned at field size")
    return failures


def check_landscape_bins(page):
    """100x: one linked bin per (top-level area, band) holding rated agendas, no single
    marks, and each bin's link lists exactly the agendas the bin counts."""
    page.goto("/")
    expected = expected_bins()
    failures = [] if expected else ["landscape: no rated agenda to draw"]
    if page.locator("svg.chart-landscape a").count():
        failures.append("landscape: single marks drawn at 100x instead of bins")
    hrefs = page.locator("svg.chart-landscape-bins a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    if len(hrefs) != len(expected):
        failures.append(f"landscape: {len(hrefs)} bins, expected {len(expected)}: {expected}")
    shown = set()
    for href in hrefs:
        query = parse_qs(urlsplit(href).query)
        key = (query.get("area", [""])[0], query.get("band", [""])[0])
        shown.add(key)
        if key not in expected:
            failures.append(f"landscape: a bin for {key}, which holds no rated agenda")
            continue
        response = page.goto(href)
        said = page.locator(".result-count").all_inner_texts()  # "34 agendas, page 1 of 2."
        count = int(said[0].split()[0]) if said else None
        rows = page.locator(".agenda-table tbody tr").count()
        if response.status != 200 or count != expected[key] or not rows:
            failures.append(
                f"landscape: bin {key} links to {href}, which answered {response.status} "
                f"saying {said} with {rows} rows, not the {expected[key]} agendas it holds"
            )
    missing = set(expected) - shown
    if missing:
        failures.append(f"landscape: no bin for {sorted(missing)}")
    return failures


def agenda_names(page, url):
    page.goto(url)
    return page.locator(".agenda-table tbody th[scope=row] > a").all_inner_texts()[:TOP]


def check_custom_weights(page):
    """One criterion at 5 and the others at 0 ranks the list by that criterion's score."""
    failures = []
    published = agenda_names(page, "/agendas/?sort=score")
    if page.get_by_text("Ranked by your own weights").count():
        failures.append("weights: the published ranking says it uses the reader's weights")
    custom = agenda_names(page, weights_url())
    if not page.get_by_text("Ranked by your own weights").is_visible():
        failures.append("weights: the page does not say the reader's weights are in use")
    if custom == published:
        failures.append(f"weights: the top {TOP} did not change: {custom}")
    # Ties can fall either way, so compare the chosen criterion's scores, in order.
    means = dict(
        CriterionScore.objects.filter(criterion=weighted_criterion()).values_list(
            "agenda__name", "mean"
        )
    )
    best = sorted(means.values(), reverse=True)[:TOP]
    if [means.get(name) for name in custom] != best:
        failures.append(
            f"weights: the top {TOP} by {weighted_criterion().slug} should score {best}, "
            f"they score {[means.get(name) for name in custom]} ({custom})"
        )
    return failures


def take_screenshots(page, pages, size, label, scheme):
    for name in SCREENSHOT_PAGES:
        page.goto(pages[name])
        screenshot(page, f"scale-{size}-{name}-{label}-{scheme}")


# --- the test -------------------------------------------------------------------------------


# (viewport, label, colour scheme, what runs there besides the screenshots)
CONTEXTS = [
    (PHONE, "phone", "light", "pages"),  # every page: 200, fits 390 px, axe (light and dark)
    (DESKTOP, "desktop", "light", "ranking"),  # the landscape's marks, the reader's weights
    (DESKTOP, "desktop", "dark", ""),
    (PHONE, "phone", "dark", ""),
]


@pytest.mark.parametrize("size", ["field", "100x"])
def test_every_public_page_at_two_sizes(browser, live_server, transactional_db, size):
    BUILDERS[size]()
    pages = site_pages()
    axe = Axe()
    failures = []
    for viewport, label, scheme, checks in CONTEXTS:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            color_scheme=scheme,
            is_mobile=viewport == PHONE,
            has_touch=viewport == PHONE,
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            if checks == "pages":
                failures += check_pages(page, pages, axe, f"[{size}, {label}]")
                page.emulate_media(color_scheme=scheme)
            elif checks == "ranking":
                landscape = check_landscape_marks if size == "field" else check_landscape_bins
                failures += landscape(page)
                failures += check_custom_weights(page)
            take_screenshots(page, pages, size, label, scheme)
        finally:
            context.close()
    assert not failures, "\n".join(failures)
