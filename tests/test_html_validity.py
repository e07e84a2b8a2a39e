"""Every page shape is valid HTML, as the Nu HTML Checker (vnu.jar) judges it.

The checker comes from tests/html/package-lock.json (npm's vnu-jar, installed by `make test-all`)
and runs on Debian's java, once for all pages. Feeds, the sitemap and the exports are XML,
CSV or JSON and are not checked here.
"""

import io
import json
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from agendas.middleware import unavailable_response
from agendas.models import Agenda, Assumption, Criterion, Critique, Organisation
from tests.builders import make_landscape

pytestmark = pytest.mark.html_checker

VNU = (
    settings.BASE_DIR / "tests" / "html" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
SAMPLE = settings.BASE_DIR / "tests" / "data" / "shallow_review"


def page_shapes():
    """{name: (url, expected status)}: one page of every kind, with filters, results,
    pagination and errors, over built agendas and agendas imported from a Shallow Review
    export."""
    agendas = make_landscape(agendas=25, criteria=3, assessors=2, critiques=1)
    call_command("loaddata", "areas", verbosity=0)  # the map the import merges into
    call_command(
        "import_shallow_review",
        str(SAMPLE / "agendas.csv"),
        papers=str(SAMPLE / "papers.csv"),
        taxonomy=str(SAMPLE / "taxonomy.yaml"),
        stdout=io.StringIO(),
    )
    imported = Agenda.objects.get(name="Feedback tuning")
    area = agendas[0].area
    compare = "&".join(f"a={agenda.slug}" for agenda in [agendas[0], agendas[1], imported])
    return {
        "home": ("/", 200),
        "home-own-weights": (f"/?w-{Criterion.objects.first().slug}=4", 200),
        "landscape-table": ("/landscape/", 200),
        "error-400-weights": ("/?w-nothing=1", 400),
        "agenda-list": ("/agendas/", 200),
        "agenda-list-page-2": ("/agendas/?page=2", 200),
        "agenda-list-filtered": (
            f"/agendas/?area={area.slug}&approach=engineering&sort=score&q=agenda",
            200,
        ),
        "agenda-list-by-criterion": (
            f"/agendas/?criterion={Criterion.objects.first().slug}&min_score=2&sort=criterion",
            200,
        ),
        "agenda-detail": (agendas[0].get_absolute_url(), 200),
        "agenda-detail-imported": (imported.get_absolute_url(), 200),
        "compare-picker": ("/compare/", 200),
        "compare": (f"/compare/?{compare}", 200),
        "compare-differences": (f"/compare/?{compare}&diff=1", 200),
        "compare-own-weights": (f"/compare/?{compare}&w-{Criterion.objects.first().slug}=3", 200),
        "search": ("/search/?q=agenda", 200),
        "search-narrowed": (f"/search/?q=agenda&kind=critique&area={area.slug}", 200),
        "search-nothing": ("/search/?q=zzzzqqq", 200),
        "search-empty": ("/search/", 200),
        "assumption-list": ("/assumptions/", 200),
        "assumption-detail": (Assumption.objects.first().get_absolute_url(), 200),
        "critique-list": ("/critiques/", 200),
        "critique-list-by-voice": (
            "/critiques/?voice=outside&basis=abstract&reply=unanswered",
            200,
        ),
        "disagreements": ("/disagreements/", 200),
        "disagreements-narrowed": (f"/disagreements/?area={area.slug}", 200),
        "error-400-disagreements": ("/disagreements/?criterion=nope", 400),
        "critique-list-filtered": ("/critiques/?severity=3&sort=severity", 200),
        "critique-list-linked": ("/critiques/?state=linked", 200),
        "critique-detail": (Critique.objects.published().first().get_absolute_url(), 200),
        "critique-detail-linked": (
            Critique.objects.linked().filter(agenda=imported).first().get_absolute_url(),
            200,
        ),
        "criterion-list": ("/criteria/", 200),
        "criterion-list-own-weights": (f"/criteria/?w-{Criterion.objects.first().slug}=9", 400),
        "agenda-list-band-own-weights": (
            f"/agendas/?band=2-3&sort=score&w-{Criterion.objects.first().slug}=0",
            200,
        ),
        "criterion-detail": (Criterion.objects.first().get_absolute_url(), 200),
        "problem-list": ("/problems/", 200),
        "organisation-list": ("/organisations/", 200),
        "organisation-detail": (Organisation.objects.first().get_absolute_url(), 200),
        "tag-list": ("/tags/", 200),
        "tag-detail": ("/tags/tag-0/", 200),
        "error-400": ("/agendas/?area=nowhere", 400),
        "compare-one-chosen": (f"/compare/?a={agendas[0].slug}", 200),
        "compare-narrowed": (f"/compare/?area={area.slug}&q=agenda", 200),
        "assumption-list-area": (f"/assumptions/?area={area.slug}", 200),
        "error-400-compare": (f"/compare/?a={agendas[0].slug}&a={agendas[0].slug}", 400),
        "error-404": ("/agendas/no-such-agenda/", 404),
        "suggest": ("/suggest/?from=/critiques/", 200),
        "agenda-suggest": (f"{agendas[0].get_absolute_url()}suggest/", 200),
        "suggest-thanks": ("/suggest/thanks/", 200),
    }


def check(folder):
    """The checker's error messages for every .html file in folder, one JVM for all."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]
        + sorted(str(path) for path in folder.glob("*.html")),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stderr or result.stdout)["messages"]


@pytest.fixture
def checker():
    if shutil.which("java") is None:
        pytest.skip("java is not installed: `make test-all` installs Debian's default-jre-headless")
    if not VNU.exists():
        pytest.skip(f"{VNU} is missing: `make test-all` installs it (npm ci --prefix tests/html)")


def test_every_page_shape_is_valid_html(checker, client, db, tmp_path):
    pages = {}
    for name, (url, status) in page_shapes().items():
        response = client.get(url)
        assert response.status_code == status, f"{name} {url} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), name
        pages[name] = response.content
    refused = Client(enforce_csrf_checks=True).post(reverse("admin:login"), {})
    assert refused.status_code == 403
    pages["error-403-csrf"] = refused.content
    pages["error-500"] = server_error(RequestFactory().get("/")).content
    pages["error-503"] = unavailable_response().content
    for name, content in pages.items():
        (tmp_path / f"{name}.html").write_bytes(content)

    errors = [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine')}: {message['message']}"
        for message in check(tmp_path)
    ]

    assert len(pages) == len(list(tmp_path.glob("*.html")))
    assert not errors, "\n".join(errors)


def test_the_checker_finds_errors(checker, tmp_path):
    """The checker really runs: a known error is reported (the one it found on imported
    agenda pages, a time with microseconds)."""
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<time datetime="2025-12-16T10:00:00.123456+00:00">then</time></body></html>'
    )

    messages = check(tmp_path)

    assert any("fraction of a second" in message["message"] for message in messages)
