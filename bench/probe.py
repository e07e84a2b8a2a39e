"""Choose the benchmark's URLs in one database and count the SQL queries each page runs.

Run by bench/run.py with DATABASE_URL pointing at a database filled by generate_demo_data,
and CACHE_SECONDS=0 so every request renders. Prints JSON: {page: {url, status, bytes,
queries, render times}}. Each page is requested twice and the second request is counted, so one-off
start-up lookups (content types and the like) do not blur the per-request count.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from agendas.models import Agenda  # noqa: E402

COMPARE_SIZE = 6
LIST_PER_PAGE = 20  # agendas.views.pages.PER_PAGE; page 2 exists when more match
SEARCH_WORDS = "oversight"  # a word the demo vocabulary uses everywhere
RENDER_SAMPLES = 5


def choose_urls():
    agendas = Agenda.objects.filter(slug__startswith="demo-")
    # A typical agenda page: the one with the median number of published critiques.
    by_critiques = list(
        agendas.annotate(
            published=Count("critiques", filter=Q(critiques__status="published"))
        ).order_by("published", "slug")
    )
    typical = by_critiques[len(by_critiques) // 2]
    compared = list(agendas.order_by("slug").values_list("slug", flat=True)[:COMPARE_SIZE])
    engineering = agendas.filter(broad_approach="engineering").count()
    page = 2 if engineering > LIST_PER_PAGE + 3 else 1
    return {
        "home": reverse("agendas:home"),
        "agenda_list": reverse("agendas:agenda_list")
        + f"?approach=engineering&sort=score&page={page}",
        "agenda": typical.get_absolute_url(),
        "compare": reverse("agendas:compare") + "?" + "&".join(f"a={s}" for s in compared),
        "search": reverse("agendas:search") + f"?q={SEARCH_WORDS}",
        "feed": reverse("agendas:critiques_feed"),
    }, {"agenda_published_critiques": typical.published, "agenda_list_page": page}


def measure(urls):
    client = Client()
    pages = {}
    for name, url in urls.items():
        try:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            query_count = len(queries)  # before the next request resets Django's query log
            timings = []
            for _ in range(RENDER_SAMPLES):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            pages[name] = {
                "url": url,
                "status": response.status_code,
                "bytes": len(response.content),
                "queries": query_count,
                # One request at a time in this process: the render cost without queueing.
                "render_ms_min": round(min(timings), 1),
                "render_ms_median": round(statistics.median(timings), 1),
            }
        except Exception as error:  # a page under construction must not stop the bench
            pages[name] = {"url": url, "status": None, "error": repr(error)}
    return pages


if __name__ == "__main__":
    urls, notes = choose_urls()
    print(json.dumps({"pages": measure(urls), "notes": notes}))
