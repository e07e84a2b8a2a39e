"""Whole-page cache for anonymous visitors, invalidated by a site-wide content generation.

Why coarse: a page shows rows from many tables (the home page alone shows agendas, areas,
ratings, critiques and figures), so working out which pages one edit touches is error-prone.
Instead every content change bumps one number, the generation, and every cached page is
keyed by it, so the next request after any change renders afresh. Correct by construction,
simple, and cheap here because edits are rare next to reads; the cost is that one edit
empties the whole page cache (docs/performance.md measures a cold page).

The generation lives in Django's default cache, so it is shared by every process only when
that cache is shared (Redis, REDIS_URL). With the per-process local-memory cache a change
made in one process is invisible to the others, so `make serve` turns page caching off
(CACHE_SECONDS=0) when REDIS_URL is unset.

Every write path bumps it through agendas/changes.py (signals, bulk writes, migrations); as a
safety net any successful unsafe request (POST, ...) by a signed-in user bumps it too.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"
PAGE_KEY = "page:{generation}:{digest}"
CACHED_METHODS = {"GET", "HEAD"}
LOCAL_MAX_BYTES = 32 * 1024 * 1024  # per process; see LocalPages


# -- the generation ------------------------------------------------------------------------


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, not 1: if the key is evicted while pages survive, a fresh
        # start must not land on an old generation and revive its pages.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    """Make every cached page stale. Safe to call often; failures are logged, not raised."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key is missing: any fresh generation will do
        current_generation()
    except Exception:
        logger.exception("Could not bump the page-cache generation")


def bump_after_write(using=None):
    """Bump now and again once the transaction commits.

    The second bump matters: a request that reads while the transaction is still open sees
    the old rows and could cache them under the first bumped generation.
    """
    bump_generation()
    if connections[using or "default"].in_atomic_block:
        transaction.on_commit(bump_generation, using=using, robust=True)


# -- the middleware ------------------------------------------------------------------------


def page_key(generation, request):
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return PAGE_KEY.format(generation=generation, digest=digest), digest


def etag_for(generation, digest):
    return f'"{generation}-{digest[:16]}"'


def is_cacheable_request(request):
    if request.method not in CACHED_METHODS:
        return False
    if any(request.path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS):
        return False
    # Signed-in users (and anyone holding a session or pending messages) get fresh pages.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def is_cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # The key is the path alone, so a page that varies on a request header cannot be shared;
    # Vary: Cookie in particular means it used the session or a CSRF token.
    if response.has_header("Vary"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


class LocalPages:
    """A small per-process copy of the pages this process served last.

    With it a hit costs one small read (the generation) from the shared cache instead of
    moving the whole page out of Redis: a hit on the 250 KB home page went from 2.0 to
    1.05 ms in-process (docs/performance.md).
    Keys carry the generation, so a local copy is never stale; it is bounded in bytes and
    expires with the shared entry's timeout.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.entries = OrderedDict()  # key -> (expires at, stored page, size)
        self.size = 0
        self.lock = threading.Lock()  # gunicorn may run threaded workers

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def set(self, key, stored, seconds):
        size = len(stored[0])
        if size > self.max_bytes // 4:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + seconds, stored, size)
            self.size += size
            while self.size > self.max_bytes:
                self._drop(next(iter(self.entries)))

    def _drop(self, key):
        self.size -= self.entries.pop(key)[2]


local_pages = LocalPages(max_bytes=LOCAL_MAX_BYTES)


def wrote_as_staff(request, response):
    """A successful unsafe request by a signed-in user: it may have changed content without
    signals (QuerySet.update() in an admin action). Anonymous POSTs (a failed login) do not
    count, so strangers cannot empty the cache at will."""
    user = getattr(request, "user", None)
    return (
        request.method not in CACHED_METHODS
        and response.status_code < 400
        and user is not None
        and user.is_authenticated
    )


class PageCacheMiddleware:
    """Serve anonymous GET/HEAD pages from the cache; see the module docstring.

    Placed right after WhiteNoise, so a hit skips sessions, CSRF, auth and the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.CACHE_SECONDS
        if not seconds or not is_cacheable_request(request):
            response = self.get_response(request)
            if wrote_as_staff(request, response):
                bump_generation()
            return response

        try:
            generation = current_generation()
            key, digest = page_key(generation, request)
            stored = local_pages.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    local_pages.set(key, stored, seconds)
        except Exception:  # the cache is down: serve uncached rather than fail
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        etag = etag_for(generation, digest)

        if stored is not None:
            response = rebuild(stored)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not is_cacheable_response(response):
                return response
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=settings.CACHE_MAX_AGE)
            stored = freeze(response)
            local_pages.set(key, stored, seconds)
            try:
                cache.set(key, stored, seconds)
            except Exception:
                logger.exception("Could not store a page in the cache")
            response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=etag, response=response)


def freeze(response):
    return (response.content, list(response.items()))


def rebuild(stored):
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
