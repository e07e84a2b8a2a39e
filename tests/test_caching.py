"""The whole-page cache: hits cost no queries, any content change shows on the next request,
conditional GETs get a 304, and signed-in users never see or feed the cache."""

import contextlib
import io
import json
import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, get_resolver, resolve, reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges
from taggit.models import Tag

from agendas import changes, querysets, scoring
from agendas.cache import generation as cache_generation
from agendas.cache import key as cache_key
from agendas.cache import middleware as cache_middleware
from agendas.models import Agenda, Criterion, CriterionScore, Critique, Organisation, Problem
from agendas.querysets import ContentQuerySet
from tests.builders import (
    make_agenda,
    make_criterion,
    make_critique,
    make_landscape,
    make_problem,
)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.CACHE_SECONDS = 600
    settings.CACHE_MAX_AGE = 60
    if "Redis" in settings.CACHES["default"]["BACKEND"]:
        # Other test runs may share this Redis database and bump the generation mid-test.
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        }
    # A new generation, rather than cache.clear(): with REDIS_URL set, clear() would empty a
    # Redis database that other test runs may share.
    cache_generation.bump_generation()
    yield
    # Logs rather than raises when a test pointed at a dead Redis.
    cache_generation.bump_generation()


@pytest.fixture
def two_agendas(db):
    return make_agenda(name="Debate", slug="debate"), make_agenda(name="Probes", slug="probes")


def compare_url(*agendas):
    return reverse("agendas:compare") + "?" + "&".join(f"a={agenda.slug}" for agenda in agendas)


def fresh(client, url, settings):
    """The page as it renders with the cache off, to compare a cached copy against."""
    settings.CACHE_SECONDS = 0
    try:
        return client.get(url).content
    finally:
        settings.CACHE_SECONDS = 600


@pytest.mark.parametrize("size", [1, 10])
def test_the_second_request_is_served_from_the_cache_without_queries(
    client, db, django_assert_num_queries, size
):
    for _ in range(size):
        make_critique(agenda=make_agenda())
    first = client.get("/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = client.get("/")

    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_cached_pages_say_public_with_a_short_max_age_and_carry_an_etag(client, two_agendas):
    response = client.get(two_agendas[0].get_absolute_url())

    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert response["ETag"].startswith('"')


@pytest.mark.parametrize("page", ["home", "agenda", "compare"])
def test_publishing_a_critique_shows_on_the_next_request(client, settings, two_agendas, page):
    debate, probes = two_agendas
    critique = make_critique(
        agenda=debate, title="Judges tire of long debates", status=Critique.Status.SUBMITTED
    )
    url = {"home": "/", "agenda": debate.get_absolute_url(), "compare": compare_url(*two_agendas)}[
        page
    ]
    before = client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    critique.status = Critique.Status.PUBLISHED
    critique.reviewed_at = timezone.now()
    critique.save()
    after = client.get(url)

    assert after["X-Page-Cache"] == "miss"
    assert after.content != before.content
    assert after.content == fresh(client, url, settings)
    if page != "compare":  # compare shows counts by severity, not titles
        assert "Judges tire of long debates" in after.text


def test_publishing_through_the_admin_action_shows_on_the_next_anonymous_request(
    client, settings, two_agendas
):
    debate, probes = two_agendas
    critique = make_critique(
        agenda=debate, title="Judges tire of long debates", status=Critique.Status.SUBMITTED
    )
    urls = ["/", debate.get_absolute_url(), compare_url(debate, probes)]
    before = {url: client.get(url).content for url in urls}
    editor = User.objects.create_user("editor-cache", password="pw-editor-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    staff = Client()
    staff.force_login(editor)

    response = staff.post(
        reverse("admin:agendas_critique_changelist"),
        # The queue posts the revision it showed with each row (agendas/admin/critiques.py).
        {
            "action": "publish",
            "_selected_action": [critique.pk],
            f"seen_revision_{critique.pk}": critique.revision,
        },
    )

    assert response.status_code == 302
    critique.refresh_from_db()
    assert critique.status == Critique.Status.PUBLISHED
    for url in urls:
        after = client.get(url)
        assert after["X-Page-Cache"] == "miss", url
        assert after.content != before[url], url
    assert "Judges tire of long debates" in client.get(debate.get_absolute_url()).text


def test_an_m2m_change_invalidates_pages(client, two_agendas):
    debate, _ = two_agendas
    client.get(debate.get_absolute_url())

    debate.problems.add(make_problem(name="Goodhart's curse"))

    response = client.get(debate.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Goodhart" in response.text


def test_if_none_match_gets_a_304_until_the_content_changes(client, two_agendas):
    url = two_agendas[0].get_absolute_url()
    etag = client.get(url)["ETag"]

    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""

    make_critique(agenda=two_agendas[0])
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_different_query_strings_are_different_pages(client, two_agendas):
    debate, probes = two_agendas
    first = client.get(compare_url(debate, probes))
    swapped = client.get(compare_url(probes, debate))

    assert swapped["X-Page-Cache"] == "miss"
    assert swapped.content != first.content


def test_signed_in_users_are_never_served_cached_pages(client, two_agendas, superuser):
    url = two_agendas[0].get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    client.force_login(superuser)
    response = client.get(url)

    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_pages_rendered_for_signed_in_users_are_not_stored(client, two_agendas, superuser):
    url = two_agendas[0].get_absolute_url()
    signed_in = Client()
    signed_in.force_login(superuser)
    signed_in.get(url)

    assert client.get(url)["X-Page-Cache"] == "miss"


def test_error_pages_and_the_admin_are_not_cached(client, db):
    assert client.get("/agendas/no-such-agenda/").status_code == 404
    assert "X-Page-Cache" not in client.get("/agendas/no-such-agenda/")
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_responses_that_set_a_cookie_are_not_cached(client, two_agendas):
    # The admin login form uses a CSRF token, so it sets a cookie and varies on Cookie.
    response = client.get("/admin/login/")
    assert response.cookies
    assert not cache_middleware.is_cacheable_response(response)


def test_an_unreachable_cache_does_not_break_pages(client, settings, two_agendas):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }

    response = client.get(two_agendas[0].get_absolute_url())

    assert response.status_code == 200
    assert "Debate" in response.text


def test_head_requests_are_answered_from_the_cached_page_without_a_body(client, two_agendas):
    url = two_agendas[0].get_absolute_url()
    client.get(url)

    response = client.head(url)

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""


def test_an_anonymous_post_does_not_empty_the_cache(client, two_agendas):
    url = two_agendas[0].get_absolute_url()
    client.get(url)

    client.post("/admin/login/", {"username": "nobody", "password": "wrong"})

    assert client.get(url)["X-Page-Cache"] == "hit"


def spy_on_the_shared_cache(monkeypatch, spy_class):
    """Put a spy around the cache the page cache reads and writes, and return it."""
    spy = spy_class(cache_middleware.cache)
    monkeypatch.setattr(cache_middleware, "cache", spy)
    monkeypatch.setattr(cache_generation, "cache", spy)
    return spy


class SharedCacheSpy:
    """Records which keys are read from the shared cache."""

    def __init__(self, real):
        self.real, self.reads = real, []

    def __getattr__(self, name):
        return getattr(self.real, name)

    def get(self, key, *args, **kwargs):
        self.reads.append(key)
        return self.real.get(key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        self.reads.extend(keys)
        return self.real.get_many(keys, *args, **kwargs)


def test_a_hit_reads_only_the_generation_and_the_page_from_the_shared_cache(
    client, two_agendas, monkeypatch
):
    url = two_agendas[0].get_absolute_url()
    client.get(url)
    spy = spy_on_the_shared_cache(monkeypatch, SharedCacheSpy)

    assert client.get(url)["X-Page-Cache"] == "hit"
    assert spy.reads[0] == cache_generation.GENERATION_KEY
    assert len(spy.reads) == 2 and spy.reads[1].startswith("page.")


SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
]


def test_a_hit_carries_the_headers_the_page_was_rendered_with(client, two_agendas):
    """The page cache sits above the security middleware: a page is stored with the
    headers they gave it, and a hit serves them without building them again."""
    url = two_agendas[0].get_absolute_url()
    miss = client.get(url)
    hit = client.get(url)

    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for name in SECURITY_HEADERS:
        assert miss[name], name
        assert hit[name] == miss[name], name


def test_static_files_pass_the_page_cache_unread(client, db, monkeypatch):
    spy = spy_on_the_shared_cache(monkeypatch, SharedCacheSpy)

    response = client.get("/static/agendas/favicon.svg")

    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert spy.reads == []


@pytest.mark.parametrize("url", ["/?q=" + "x" * 5000, "/agendas/?q=%00"])
def test_absurd_addresses_pass_the_page_cache_unread(client, db, monkeypatch, url):
    spy = spy_on_the_shared_cache(monkeypatch, SharedCacheSpy)

    response = client.get(url)

    assert response.status_code == 400
    assert spy.reads == []
    for name in SECURITY_HEADERS:  # the 400 page is refused below the security middleware
        assert response[name], name


REDIS_URL = os.environ.get("REDIS_URL")


@pytest.mark.skipif(
    not REDIS_URL,
    reason="REDIS_URL is not set: run with REDIS_URL=redis://127.0.0.1:6379/1 to test Redis",
)
def test_the_redis_backend_serves_and_invalidates_pages(
    client, settings, two_agendas, django_assert_num_queries
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # never sees another run's pages
        }
    }
    backend = caches["default"]
    assert type(backend).__name__ == "RedisCache"
    url = two_agendas[0].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"

    make_critique(agenda=two_agendas[0], title="Stored in Redis, then stale")

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Stored in Redis, then stale" in response.text


def test_writes_outside_any_request_make_cached_pages_stale(db):
    """Management commands (importers, load_content) never load the middleware: the app's
    ready() connects the signals for every process."""
    before = cache_generation.current_generation()
    make_agenda(name="Imported from a command")
    assert cache_generation.current_generation() != before


# -- every stale case of issue 11, one test each ------------------------------------------------


def cache_page(client, url):
    """Render url into the cache and check the next request is served from it."""
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit", url


def fresh_page(client, url, settings):
    """The next request misses the cache and serves what a fresh render shows."""
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss", url
    assert response.content == fresh(client, url, settings), url
    return response


def test_queryset_update_makes_cached_pages_stale(client, settings, two_agendas):
    debate, _ = two_agendas
    cache_page(client, debate.get_absolute_url())

    Agenda.objects.filter(pk=debate.pk).update(summary="Rewritten by update().")

    assert "Rewritten by update()." in fresh_page(client, debate.get_absolute_url(), settings).text


def test_bulk_create_makes_cached_pages_stale(client, settings, db):
    url = reverse("agendas:problem_list")
    cache_page(client, url)

    Problem.objects.bulk_create([Problem(number=7, name="Made in bulk", slug="made-in-bulk")])

    assert "Made in bulk" in fresh_page(client, url, settings).text


def test_bulk_update_makes_cached_pages_stale(client, settings, two_agendas):
    debate, _ = two_agendas
    url = reverse("agendas:agenda_list")
    cache_page(client, url)

    debate.name = "Renamed in bulk"
    Agenda.objects.bulk_update([debate], ["name"])

    assert "Renamed in bulk" in fresh_page(client, url, settings).text


def test_a_bulk_delete_makes_cached_pages_stale(client, settings, two_agendas):
    debate, _ = two_agendas
    make_critique(agenda=debate, title="Deleted in bulk")
    url = debate.get_absolute_url()
    cache_page(client, url)

    Critique.objects.filter(agenda=debate).delete()

    assert "Deleted in bulk" not in fresh_page(client, url, settings).text


@pytest.mark.loading
def test_load_content_makes_cached_pages_stale(client, settings, db):
    cache_page(client, "/")

    call_command("load_content", stdout=io.StringIO())

    home = fresh_page(client, "/", settings).text
    best = Agenda.objects.order_by("-overall_score", "name").first()
    assert best is not None and best.name in home


def test_loaddata_makes_cached_pages_stale(client, settings, db, tmp_path):
    url = reverse("agendas:problem_list")
    cache_page(client, url)
    fixture = tmp_path / "problem.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "agendas.problem",
                    "fields": {"number": 9, "name": "Loaded by loaddata", "slug": "loaded"},
                }
            ]
        )
    )

    call_command("loaddata", str(fixture), verbosity=0)

    assert "Loaded by loaddata" in fresh_page(client, url, settings).text


def test_import_shallow_review_makes_cached_pages_stale(client, settings, db):
    url = reverse("agendas:agenda_list")
    cache_page(client, url)
    sample = Path(__file__).parent / "data" / "shallow_review"
    call_command("loaddata", "areas", verbosity=0)  # the map the import merges into

    call_command(
        "import_shallow_review",
        str(sample / "agendas.csv"),
        papers=str(sample / "papers.csv"),
        taxonomy=str(sample / "taxonomy.yaml"),
        stdout=io.StringIO(),
    )

    assert "Feedback tuning" in fresh_page(client, url, settings).text


def test_import_agendas_makes_cached_pages_stale(client, settings, two_agendas, tmp_path):
    export = tmp_path / "agendas.json"
    call_command("export_agendas", output=str(export), stdout=io.StringIO())
    two_agendas[1].delete()  # Probes has no critiques or ratings, so it may go
    url = reverse("agendas:agenda_list")
    cache_page(client, url)
    assert "Probes" not in client.get(url).text

    call_command("import_agendas", str(export), stdout=io.StringIO())

    assert "Probes" in fresh_page(client, url, settings).text


def test_generate_demo_data_makes_cached_pages_stale(client, settings, two_agendas):
    url = reverse("agendas:agenda_list")
    cache_page(client, url)

    call_command("generate_demo_data", "--scale", "0.1", "--force", stdout=io.StringIO())

    demo = Agenda.objects.exclude(pk__in=[agenda.pk for agenda in two_agendas]).first()
    assert demo.name in fresh_page(client, url, settings).text


def test_a_data_migration_makes_cached_pages_stale(client, settings, two_agendas):
    """A data migration writes through historical models, which send no signal of ours; the
    post_migrate signal at the end of every `migrate` run makes the pages stale."""
    debate, _ = two_agendas
    url = debate.get_absolute_url()
    cache_page(client, url)
    state = MigrationLoader(connection).project_state()
    HistoricalAgenda = state.apps.get_model("agendas", "Agenda")  # as a migration sees it

    HistoricalAgenda.objects.filter(pk=debate.pk).update(name="Renamed by a migration")
    assert client.get(url)["X-Page-Cache"] == "hit"  # nothing noticed the write itself
    call_command("migrate", verbosity=0)

    assert "Renamed by a migration" in fresh_page(client, url, settings).text


def test_a_deploy_that_changes_a_template_makes_cached_pages_stale(
    client, settings, two_agendas, tmp_path
):
    templates = tmp_path / "templates"
    shutil.copytree(settings.BASE_DIR / "templates", templates)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates]}]
    cache_key.build_id.cache_clear()
    url = two_agendas[0].get_absolute_url()
    cache_page(client, url)

    base = templates / "base.html"
    base.write_text(base.read_text().replace("</main>", "<p>New in this deploy</p></main>"))
    # The deploy restarts the workers: each computes the build id and loads templates anew.
    cache_key.build_id.cache_clear()
    settings.TEMPLATES = [{**settings.TEMPLATES[0]}]

    try:
        assert "New in this deploy" in fresh_page(client, url, settings).text
    finally:
        cache_key.build_id.cache_clear()


@pytest.mark.parametrize("folder", ["templates", "static", "agendas", "config"])
def test_the_build_id_follows_every_file_that_shapes_a_page(settings, tmp_path, folder):
    roots = []
    for name in ["templates", "static", "agendas", "config"]:
        shutil.copytree(
            settings.BASE_DIR / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        roots.append(tmp_path / name)
    before = cache_key.code_digest(roots, ["django==5.2"])
    assert cache_key.code_digest(roots, ["django==5.2"]) == before  # stable

    changed = next(path for path in sorted((tmp_path / folder).rglob("*")) if path.is_file())
    changed.write_bytes(changed.read_bytes() + b"\n")

    assert cache_key.code_digest(roots, ["django==5.2"]) != before
    changed.write_bytes(changed.read_bytes()[:-1])
    assert cache_key.code_digest(roots, ["django==5.2"]) == before
    assert cache_key.code_digest(roots, ["django==5.3"]) != before  # a dependency upgrade


def test_the_running_build_id_covers_the_templates_static_files_and_code(settings):
    roots = cache_key.code_roots()
    for folder in ["templates", "static", "agendas", "config"]:
        assert settings.BASE_DIR / folder in roots, folder
    assert any(package.startswith("Django==") for package in cache_key.installed_packages())


HOSTS = ["testserver", "localhost", "agendas.example.org"]


@pytest.mark.parametrize("url", ["/robots.txt", "/sitemap.xml", "/feeds/critiques/"])
def test_each_host_and_scheme_gets_its_own_cached_copy(client, settings, two_agendas, url):
    """One request with Host: localhost once put https://localhost/ into everyone's copy."""
    settings.ALLOWED_HOSTS = HOSTS
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    cache_page(client, url)
    assert "https://localhost/" in client.get(url, HTTP_HOST="localhost", **https).text

    public = client.get(url, HTTP_HOST="agendas.example.org", **https)
    plain = client.get(url, HTTP_HOST="agendas.example.org")

    assert public["X-Page-Cache"] == plain["X-Page-Cache"] == "miss"
    assert "https://agendas.example.org/" in public.text
    assert "localhost" not in public.text
    assert "http://agendas.example.org/" in plain.text
    assert "https://agendas.example.org" not in plain.text
    again = client.get(url, HTTP_HOST="agendas.example.org", **https)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == public.content


@pytest.mark.parametrize(
    "host",
    ["AGENDAS.example.org", "agendas.example.org.", "agendas.example.org:1234"],
    ids=["case", "trailing-dot", "port"],
)
def test_other_spellings_of_a_host_are_rendered_but_never_stored(client, settings, db, host):
    settings.ALLOWED_HOSTS = HOSTS

    for _ in range(2):
        response = client.get("/robots.txt", HTTP_HOST=host)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


def test_a_host_django_refuses_gets_a_400_and_is_not_cached(client, settings, db):
    settings.ALLOWED_HOSTS = HOSTS

    response = client.get("/robots.txt", HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert "X-Page-Cache" not in response


# Issue 11 sent 300 junk query strings, which added 8.8 MB to Redis; 100 show the same.
JUNK_REQUESTS = 100


class StoreSpy:
    """Records which pages are stored in the shared cache."""

    def __init__(self, real):
        self.real, self.stored = real, []

    def __getattr__(self, name):
        return getattr(self.real, name)

    def set(self, key, *args, **kwargs):
        self.stored.append(key)
        return self.real.set(key, *args, **kwargs)


@pytest.mark.parametrize(
    "junk",
    [
        "/?utm_source=junk{i}",
        "/agendas/?sort=name&x{i}=1",
        "/agendas/?page={zeros}1",
        "/agendas/?q=junk{i}",
        "/search/?q=junk{i}",
        "/compare/?a=debate&a=probes&diff=yes{i}",
    ],
)
def test_junk_query_strings_do_not_grow_the_cache(client, two_agendas, monkeypatch, junk):
    spy = spy_on_the_shared_cache(monkeypatch, StoreSpy)

    for i in range(JUNK_REQUESTS):
        assert client.get(junk.format(i=i, zeros="0" * i)).status_code == 200

    assert len(spy.stored) <= 1


@pytest.mark.parametrize(
    ("sent", "canonical"),
    [
        ("/?utm_source=mail", "/"),
        (
            "/agendas/?sort=score&area=&approach=engineering&junk=1",
            "/agendas/?approach=engineering&sort=score",
        ),
        ("/compare/?diff=on&a=probes&a=debate", "/compare/?a=probes&a=debate&diff=1"),
        ("/compare/?a=probes&a=debate&diff=false", "/compare/?a=probes&a=debate"),
        ("/compare/?a=probes&a=debate&diff=0", "/compare/?a=probes&a=debate&diff=1"),
    ],
)
def test_a_query_is_made_canonical_before_the_page_sees_it(
    client, settings, two_agendas, sent, canonical
):
    """The two spellings share one cached page, and it is what the canonical one renders."""
    first = client.get(sent)
    assert first["X-Page-Cache"] == "miss"
    second = client.get(canonical)

    assert second["X-Page-Cache"] == "hit"
    assert first.content == second.content == fresh(client, canonical, settings)


def test_parameters_a_page_does_not_read_never_reach_its_links(client, two_agendas):
    response = client.get("/agendas/?sort=score&tracking=abc123&approach=engineering")

    assert response.status_code == 200
    assert "abc123" not in response.text
    assert "approach=engineering" in response.text  # the links keep what the page reads


@pytest.mark.parametrize(
    "url",
    [
        "/agendas/?page=01",  # one page, endless spellings
        "/agendas/?sort=name&sort=score",  # which one counts is the view's business
        "/agendas/?q=debate",  # free text
        "/search/?q=debate",
        "/compare/?a=%20debate&a=probes",  # the form strips the space
        "/agendas/?min_score=banana",  # a 400 (never cached anyway)
    ],
)
def test_queries_that_cannot_be_made_canonical_bypass_the_cache(client, settings, two_agendas, url):
    response = client.get(url)

    assert "X-Page-Cache" not in response
    assert response.content == fresh(client, url, settings)


class RecordingQueryDict(QueryDict):
    """A query that remembers which parameters were read."""

    def __init__(self, *args, **kwargs):
        self.read = set()
        super().__init__(*args, **kwargs)
        self.read.clear()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


def public_url_names():
    """Every named URL outside the admin, namespaced like ResolverMatch.view_name."""
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_the_cache_knows_every_parameter_each_page_reads(db, rf):
    """The cache drops what a page does not declare with @reads_query; a page that starts
    reading a new parameter must declare it, or cached copies would lose it."""
    landscape = make_landscape(agendas=3, criteria=2, assessors=1, critiques=1)
    agenda = landscape[0]
    critique = Critique.objects.published().first()
    samples = {
        "healthz": "/healthz",
        "sitemap": "/sitemap.xml",
        "sitemap_section": reverse("sitemap_section", args=["agendas"]),
        "robots_txt": "/robots.txt",
        "agendas:home": "/",
        "agendas:landscape": "/landscape/",
        "agendas:agenda_list": "/agendas/",
        "agendas:agenda_detail": agenda.get_absolute_url(),
        "agendas:compare": "/compare/",
        "agendas:search": "/search/?q=agenda",  # only a search with words reads the page
        "agendas:assumption_list": "/assumptions/",
        "agendas:assumption_detail": agenda.reliances.first().assumption.get_absolute_url(),
        "agendas:critique_list": "/critiques/",
        "agendas:disagreement_list": "/disagreements/",
        "agendas:agenda_json": f"/agendas/{agenda.slug}.json",
        "agendas:agenda_list_json": "/agendas.json",
        "agendas:compare_json": f"/compare.json?a={agenda.slug}&a={landscape[1].slug}",
        "agendas:critique_detail": critique.get_absolute_url(),
        "agendas:criterion_list": "/criteria/",
        "agendas:criterion_detail": Criterion.objects.first().get_absolute_url(),
        "agendas:problem_list": "/problems/",
        "agendas:organisation_list": "/organisations/",
        "agendas:organisation_detail": Organisation.objects.first().get_absolute_url(),
        "agendas:tag_list": "/tags/",
        "agendas:suggest": "/suggest/?from=/agendas/",
        "agendas:agenda_suggest": reverse("agendas:agenda_suggest", args=[agenda.slug]),
        "agendas:suggest_thanks": reverse("agendas:suggest_thanks"),
        "agendas:tag_detail": "/tags/tag-0/",
        "agendas:critiques_feed": reverse("agendas:critiques_feed"),
        "agendas:agenda_critiques_feed": reverse(
            "agendas:agenda_critiques_feed", args=[agenda.slug]
        ),
        "agendas:export_json": reverse("agendas:export_json"),
        "agendas:export_csv": reverse("agendas:export_csv"),
    }
    assert set(samples) == public_url_names(), "add a sample URL for the new page"

    for name, url in samples.items():
        path, _, query = url.partition("?")
        request = rf.get(path)
        request.GET = RecordingQueryDict(query)
        request.user = AnonymousUser()
        match = resolve(path)
        assert match.view_name == name
        response = match.func(request, *match.args, **match.kwargs)
        assert response.status_code == 200, url

        fields, declared_prefixes = cache_key.declared_query(match.func)
        prefixes = tuple(declared_prefixes)
        named = {key for key in request.GET.read if not (prefixes and key.startswith(prefixes))}
        assert named == set(fields), name
        # A page ranked by weights reads one weight per criterion (the bare compare picker
        # ranks nothing; a comparison's weights are tested below).
        ranks = prefixes and name != "agendas:compare"
        assert len(request.GET.read - named) == (Criterion.objects.count() if ranks else 0)


@pytest.mark.parametrize(
    "url",
    [
        "/?w-{slug}=5",
        "/landscape/?w-{slug}=5",
        "/agendas/?sort=score&w-{slug}=0",
        "/criteria/?w-{slug}=3",
        "/compare/?a=debate&a=probes&w-{slug}=4",
    ],
)
def test_a_readers_weights_reach_the_page_and_key_their_own_copy(
    client, settings, two_agendas, url
):
    slug = make_criterion().slug
    make_criterion()  # weighted 1 as published, so a weight of 0 leaves one above 0
    published = client.get(url.split("w-")[0].rstrip("?&"))
    first = client.get(url.format(slug=slug))
    second = client.get(url.format(slug=slug))

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "Ranked by your own weights" in first.text
    assert first.content == second.content != published.content


def test_every_model_of_the_app_is_watched_and_reports_bulk_writes():
    """A content model whose writes did not reach agendas/changes.py would leave cached pages
    (and scores, and rendered Markdown) stale."""
    watched = set(changes.watched_models())
    for model in apps.get_app_config("agendas").get_models():
        label = model._meta.label
        assert model in watched, label
        assert changes._after_save_or_delete in live_receivers(post_save, model), label
        assert changes._after_save_or_delete in live_receivers(post_delete, model), label
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            assert changes._after_m2m_change in live_receivers(m2m_changed, through), label
        queryset = model._default_manager.get_queryset()
        if label in NOT_CONTENT_QUERYSETS:
            assert not isinstance(queryset, ContentQuerySet), f"{label}: drop it from the list"
        else:
            assert isinstance(queryset, ContentQuerySet), (
                f"{label}: its manager must come from a ContentQuerySet, or update() and bulk "
                "writes leave cached pages stale"
            )
    assert apps.get_model("taggit", "Tag") in watched
    assert querysets._changes is changes  # bulk writes reach agendas/changes.py


def every_public_page(client, agendas):
    """Every public page of the site, found rather than listed: each URL name of the site
    that takes no argument, each page the sitemaps list, and the pages that take a query or
    an agenda (search, compare, an agenda's feed and JSON twin)."""
    _, namespace = get_resolver().namespace_dict["agendas"]
    urls = set()
    for name in namespace.reverse_dict:
        # A name that takes an argument does not reverse: the sitemaps list those pages.
        if isinstance(name, str):
            with contextlib.suppress(NoReverseMatch):
                urls.add(reverse(f"agendas:{name}"))
    for section in re.findall(
        r"<loc>[^<]*?(/sitemap-\w+\.xml)</loc>", client.get("/sitemap.xml").text
    ):
        urls.add(section)
        urls.update(re.findall(r"<loc>https?://[^/<]+(/[^<]*)</loc>", client.get(section).text))
    urls.add(reverse("agendas:search") + f"?q={agendas[0].name.split()[0]}")
    urls.add(reverse("agendas:compare") + f"?a={agendas[0].slug}&a={agendas[1].slug}")
    urls.add(reverse("agendas:agenda_critiques_feed", args=[agendas[0].slug]))
    # The JSON twins: compare's needs its agendas (bare, it answers 400), an agenda's its slug.
    urls.discard(reverse("agendas:compare_json"))
    urls.add(reverse("agendas:compare_json") + f"?a={agendas[0].slug}&a={agendas[1].slug}")
    urls.add(reverse("agendas:agenda_json", args=[agendas[0].slug]))
    return sorted(urls)


def test_every_model_a_public_page_reads_is_watched_and_reports_bulk_writes(client, db):
    """The models are derived from what the pages read (their SQL), so a model shown on a
    page whose writes do not invalidate the page cache fails here, whoever's model it is."""
    agendas = make_landscape(agendas=3)
    agendas[0].tags.add("oversight")
    tables = set()
    for url in every_public_page(client, agendas):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        for query in queries.captured_queries:
            tables.update(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"]))
    by_table = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    read = {by_table[table] for table in tables if table in by_table}
    # The derivation sees what it must: the app's rows, stored scores and taggit's tags.
    assert {Agenda, Critique, CriterionScore, apps.get_model("taggit", "Tag")} <= read
    watched = set(changes.watched_models())
    for model in read:
        label = model._meta.label
        if model._meta.auto_created:  # a many-to-many table: written through its relation
            assert changes._after_m2m_change in live_receivers(m2m_changed, model), label
            continue
        assert model in watched, label
        assert changes._after_save_or_delete in live_receivers(post_save, model), label
        assert changes._after_save_or_delete in live_receivers(post_delete, model), label
        assert isinstance(model._default_manager.get_queryset(), ContentQuerySet), (
            f"{label}: update() and bulk writes would leave cached pages stale"
        )


@pytest.mark.parametrize(
    "write",
    [
        lambda: Tag.objects.filter(name="oversight").update(name="renamed"),
        lambda: Tag.objects.filter(name="oversight").delete(),
        lambda: Tag.objects.bulk_create([Tag(name="new tag", slug="new-tag")]),
        lambda: CriterionScore.objects.update(mean=1.5),
        lambda: CriterionScore.objects.all().delete(),
        lambda: Tag.objects.get(name="oversight").save(),
    ],
    ids=["tag-update", "tag-delete", "tag-bulk-create", "score-update", "score-delete", "save"],
)
def test_bulk_writes_to_tags_and_stored_scores_make_pages_stale(client, settings, db, write):
    settings.CACHE_SECONDS = 600
    agenda = make_landscape(agendas=1)[0]
    agenda.tags.add("oversight")
    url = reverse("agendas:tag_list")
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    write()
    assert client.get(url)["X-Page-Cache"] == "miss"


# Models whose bulk writes need not report themselves, and why.
NOT_CONTENT_QUERYSETS = {
    # simple-history's records of past versions: written after a save that reports itself.
    "agendas.HistoricalAgenda": "history",
    "agendas.HistoricalAssumption": "history",
    "agendas.HistoricalReliance": "history",
    "agendas.HistoricalCritique": "history",
    "agendas.HistoricalRating": "history",
    # Readers' suggestions: queued for editors, never shown on a public page.
    "agendas.Suggestion": "private",
}


def test_the_models_excused_from_reporting_bulk_writes_are_history_derived_or_private(db):
    make_landscape(agendas=2, criteria=2, assessors=1, critiques=0)
    for label, why in NOT_CONTENT_QUERYSETS.items():
        model = apps.get_model(label)
        if why == "history":
            assert issubclass(model, HistoricalChanges), label
            continue
        if why == "private":  # test_suggestions.py: nothing sent appears on a public page
            continue
        assert why == "derived", label
        # Derived: its rows are rebuilt from content rows, whatever was written to it.
        fields = [field.attname for field in model._meta.concrete_fields if not field.primary_key]
        before = sorted(model.objects.order_by().values_list(*fields))
        model.objects.all().delete()
        scoring.recompute()
        assert before and sorted(model.objects.order_by().values_list(*fields)) == before, label


def live_receivers(signal, sender):
    """The functions connected to signal for sender (Django keeps them as weak references)."""
    sync, async_ = signal._live_receivers(sender)
    return [*sync, *async_]
