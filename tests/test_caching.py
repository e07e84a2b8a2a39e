"""The whole-page cache: hits cost no queries, any content change shows on the next request,
conditional GETs get a 304, and signed-in users never see or feed the cache."""

import os
import uuid

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agendas import caching
from agendas.models import Critique
from tests.builders import make_agenda, make_critique, make_problem


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
    caching.bump_generation()
    yield
    caching.bump_generation()  # logs rather than raises when a test pointed at a dead Redis


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
    assert not caching.is_cacheable_response(response)


def test_an_unreachable_cache_does_not_break_pages(client, settings, two_agendas):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
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


class SharedCacheSpy:
    """Records which keys are read from the shared cache."""

    def __init__(self, real):
        self.real, self.reads = real, []

    def __getattr__(self, name):
        return getattr(self.real, name)

    def get(self, key, *args, **kwargs):
        self.reads.append(key)
        return self.real.get(key, *args, **kwargs)


def test_a_hit_reads_only_the_generation_from_the_shared_cache(client, two_agendas, monkeypatch):
    url = two_agendas[0].get_absolute_url()
    client.get(url)
    spy = SharedCacheSpy(caching.cache)
    monkeypatch.setattr(caching, "cache", spy)

    assert client.get(url)["X-Page-Cache"] == "hit"
    assert spy.reads == [caching.GENERATION_KEY]


def test_another_process_gets_the_page_from_the_shared_cache(client, two_agendas, monkeypatch):
    url = two_agendas[0].get_absolute_url()
    first = client.get(url)
    monkeypatch.setattr(caching, "local_pages", caching.LocalPages(max_bytes=1024 * 1024))

    second = client.get(url)

    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # never sees another run's pages
        }
    }
    assert type(caches["default"]).__name__ == "RedisCache"
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
    from agendas import caching

    before = caching.current_generation()
    make_agenda(name="Imported from a command")
    assert caching.current_generation() != before
