"""Request every public page once per kind, in one database, and measure what it costs.

Run by bench/run.py with DATABASE_URL pointing at a database filled by generate_demo_data,
DEBUG off, collected static files and CACHE_SECONDS=0, so every request renders as a
visitor's first request would. For each page (PAGES: one URL per URL pattern of the site,
chosen from the demo data as a typical instance) it records the status, the bytes, the SQL
queries of one request (the second: one-off start-up lookups such as content types do not
count) and the render time one request at a time (the median of several, Django's test
client in this process: the server's work without the network or queueing), in wall-clock
time (the target) and in this process's CPU time.

Prints one JSON line: {"pages": {name: {...}}, "notes": {...}}. Exits 1 when any page failed
or answered other than 200: a benchmark of a broken page measures nothing.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import get_resolver, resolve, reverse  # noqa: E402
from taggit.models import Tag  # noqa: E402

from agendas.models import Agenda, Assumption, Criterion, Critique, Organisation  # noqa: E402
from agendas.sitemaps import SITEMAPS  # noqa: E402

COMPARE_SIZE = 6
LIST_PER_PAGE = 20  # agendas.views.pages.PER_PAGE; page 2 exists when more match
SEARCH_WORDS = "oversight"  # a word the demo vocabulary uses everywhere
MIN_SAMPLES, MAX_SAMPLES, SAMPLE_SECONDS = 5, 15, 4.0

# What each probed URL is, for the targets (bench/targets.py): an HTML page a visitor
# reads, or a document for machines (feeds, exports, sitemaps), held to the query target only.
PAGE, DOCUMENT = "page", "document"
# URL names that are not probed, and why. tests/test_bench.py fails when a URL name of the
# site is neither probed nor listed here.
NOT_PROBED = {
    "healthz": "a load balancer's probe: one SELECT 1",
    "robots_txt": "a fixed text",
    "agendas:suggest": "a short form, never cached; its posts are limited per address",
    "agendas:agenda_suggest": "the same form with the agenda's name",
    "agendas:suggest_thanks": "a fixed thank-you page",
}


def median_by(queryset, field):
    """The row in the middle when ordered by `field` (then slug): a typical one."""
    rows = list(queryset.order_by(field, "slug"))
    if not rows:
        raise LookupError(f"no {queryset.model.__name__} in the demo data")
    return rows[len(rows) // 2]


def choose_urls():
    """name -> (kind, URL) for every probed page, and notes on what was chosen."""
    demo = Agenda.objects.filter(slug__startswith="demo-")
    agenda = median_by(
        demo.annotate(published=Count("critiques", filter=Q(critiques__status="published"))),
        "published",
    )
    compared = list(demo.order_by("slug").values_list("slug", flat=True)[:COMPARE_SIZE])
    engineering = demo.filter(broad_approach="engineering").count()
    list_page = 2 if engineering > LIST_PER_PAGE + 3 else 1
    assumption = median_by(Assumption.objects.annotate(used=Count("reliances")), "used")
    critique = Critique.objects.published().order_by("slug").first()
    criterion = Criterion.objects.order_by("order", "name").first()
    organisation = median_by(Organisation.objects.annotate(used=Count("agendas")), "used")
    tag = median_by(Tag.objects.annotate(used=Count("taggit_taggeditem_items")), "used")
    agenda_list = (
        reverse("agendas:agenda_list") + f"?approach=engineering&sort=score&page={list_page}"
    )
    compare = reverse("agendas:compare") + "?" + "&".join(f"a={slug}" for slug in compared)
    urls = {
        "home": (PAGE, reverse("agendas:home")),
        "landscape": (PAGE, reverse("agendas:landscape")),
        "agenda_list": (PAGE, agenda_list),
        "agenda": (PAGE, agenda.get_absolute_url()),
        "compare": (PAGE, compare),
        "search": (PAGE, reverse("agendas:search") + f"?q={SEARCH_WORDS}"),
        # A rare query: one agenda's name as a phrase, which few rows match.
        "search_rare": (
            PAGE,
            reverse("agendas:search") + "?" + urlencode({"q": f'"{agenda.name}"'}),
        ),
        "assumption_list": (PAGE, reverse("agendas:assumption_list")),
        "assumption": (PAGE, assumption.get_absolute_url()),
        "critique_list": (PAGE, reverse("agendas:critique_list")),
        "critique": (PAGE, reverse("agendas:critique_detail", args=[critique.slug])),
        "disagreements": (PAGE, reverse("agendas:disagreement_list")),
        "criterion_list": (PAGE, reverse("agendas:criterion_list")),
        "criterion": (PAGE, reverse("agendas:criterion_detail", args=[criterion.slug])),
        "problem_list": (PAGE, reverse("agendas:problem_list")),
        "organisation_list": (PAGE, reverse("agendas:organisation_list")),
        "organisation": (PAGE, reverse("agendas:organisation_detail", args=[organisation.slug])),
        "tag_list": (PAGE, reverse("agendas:tag_list")),
        "tag": (PAGE, reverse("agendas:tag_detail", args=[tag.slug])),
        "feed": (DOCUMENT, reverse("agendas:critiques_feed")),
        "agenda_feed": (DOCUMENT, reverse("agendas:agenda_critiques_feed", args=[agenda.slug])),
        "export_json": (DOCUMENT, reverse("agendas:export_json")),
        "export_csv": (DOCUMENT, reverse("agendas:export_csv")),
        "agenda_json": (DOCUMENT, reverse("agendas:agenda_json", args=[agenda.slug])),
        "agenda_list_json": (DOCUMENT, reverse("agendas:agenda_list_json") + agenda_list[9:]),
        "compare_json": (DOCUMENT, compare.replace("/compare/", "/compare.json")),
        "sitemap": (DOCUMENT, reverse("sitemap")),
        **{
            f"sitemap_{section}": (DOCUMENT, reverse("sitemap_section", args=[section]))
            for section in SITEMAPS
        },
    }
    notes = {
        "agenda": f"{agenda.slug}, the median by published critiques ({agenda.published})",
        "search_rare": f'"{agenda.name}", the agenda\'s name as a phrase',
        "search": f"{SEARCH_WORDS}: a word found in most rows",
        "agenda_list_page": list_page,
        "compare": f"the first {len(compared)} demo agendas by slug",
        "assumption": f"{assumption.slug}, the median by reliances ({assumption.used})",
        "organisation": f"{organisation.slug}, the median by agendas ({organisation.used})",
        "tag": f"{tag.slug}, the median by tagged agendas ({tag.used})",
    }
    return urls, notes


def public_url_names():
    """Every named URL of the site outside the admin, as resolve() names it."""
    root = get_resolver()
    names = {name for name in root.reverse_dict if isinstance(name, str)}
    _, agendas = root.namespace_dict["agendas"]
    names.update(f"agendas:{name}" for name in agendas.reverse_dict if isinstance(name, str))
    return names


def url_name(url):
    return resolve(url.split("?")[0]).view_name


def measure(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # before the next request resets Django's query log
    body = b"".join(response) if response.streaming else response.content
    timings, cpu = [], []
    started = time.perf_counter()
    while len(timings) < MAX_SAMPLES and (
        len(timings) < MIN_SAMPLES or time.perf_counter() - started < SAMPLE_SECONDS
    ):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return {
        "status": response.status_code,
        "bytes": len(body),
        "queries": query_count,
        # One request at a time in this process: the render cost without queueing.
        "render_ms_median": round(statistics.median(timings), 1),
        "render_ms_min": round(min(timings), 1),
        # This process's CPU time alone (not the database's): on a busy shared machine it
        # moves far less than the wall-clock time, so it shows what a change saved.
        "render_cpu_ms_median": round(statistics.median(cpu), 1),
        "samples": len(timings),
    }


def main():
    urls, notes = choose_urls()
    client = Client()
    pages, failed = {}, []
    for name, (kind, url) in urls.items():
        try:
            pages[name] = {"kind": kind, "url": url, **measure(client, url)}
            if pages[name]["status"] != 200:
                failed.append(f"{name} ({url}) answered {pages[name]['status']}")
        except Exception as error:
            pages[name] = {"kind": kind, "url": url, "status": None, "error": repr(error)}
            failed.append(f"{name} ({url}) raised {error!r}")
    print(json.dumps({"pages": pages, "notes": notes, "failed": failed}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
