"""The middleware that serves and stores whole pages; see the package docstring."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control

from agendas.cache.generation import GENERATION_KEY, bump_generation, current_generation
from agendas.cache.key import canonical_host, canonical_query, etag_for, page_key, use_query
from agendas.middleware import address_problem

logger = logging.getLogger(__name__)

CACHED_METHODS = {"GET", "HEAD"}
# The generation the page was rendered in, its body and its headers.
Stored = tuple[int, bytes, list[tuple[str, str]]]


def is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in CACHED_METHODS:
        return False
    # Static files are WhiteNoise's, further down: they pass the page cache unread.
    excluded = (*settings.PAGE_CACHE_EXCLUDED_PATHS, settings.STATIC_URL)
    if any(request.path.startswith(prefix) for prefix in excluded):
        return False
    # Absurd addresses are refused further down (a 400), before anything reads them.
    if address_problem(request):
        return False
    # Signed-in users (and anyone holding a session or pending messages) get fresh pages.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def is_cacheable_response(response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # A page that varies on a request header the key does not hold cannot be shared;
    # Vary: Cookie in particular means it used the session or a CSRF token.
    if response.has_header("Vary"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


def wrote_as_staff(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A successful unsafe request by a signed-in user: it may have changed content in a
    way no signal reports (raw SQL). Anonymous POSTs (a failed login) do not count, so
    strangers cannot empty the cache at will."""
    user = getattr(request, "user", None)
    return (
        request.method not in CACHED_METHODS
        and response.status_code < 400
        and user is not None
        and user.is_authenticated
    )


class PageCacheMiddleware:
    """Serve anonymous GET/HEAD pages from the cache.

    First in MIDDLEWARE: a page is stored with the headers every middleware below gave it
    (security headers, CSP), so a hit skips all of them as well as sessions, CSRF, auth
    and the database.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = settings.CACHE_SECONDS
        if not seconds or not is_cacheable_request(request):
            response = self.get_response(request)
            if wrote_as_staff(request, response):
                bump_generation()
            return response

        query = canonical_query(request)
        try:
            host = canonical_host(request) if query is not None else None
        except DisallowedHost:
            host = None  # CommonMiddleware answers 400
        if query is None or host is None:
            return self.get_response(request)
        use_query(request, query)

        key = page_key(request, host)
        try:
            # One round trip: the page is served only if it was rendered in the current
            # generation, so one edit makes every stored page stale.
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY) or current_generation()
        except Exception:  # the cache is down: serve uncached rather than fail
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        stored: Stored | None = found.get(key)
        if stored is not None and stored[0] != generation:
            stored = None
        etag = etag_for(key, generation)

        if stored is not None:
            response = rebuild(stored)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not isinstance(response, HttpResponse) or not is_cacheable_response(response):
                return response
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=settings.CACHE_MAX_AGE)
            try:
                cache.set(key, freeze(generation, response), seconds)
            except Exception:
                logger.exception("Could not store a page in the cache")
            response["X-Page-Cache"] = "miss"
        conditional = get_conditional_response(request, etag=etag, response=response)
        return response if conditional is None else conditional


def freeze(generation: int, response: HttpResponse) -> Stored:
    return (generation, response.content, list(response.items()))


def rebuild(stored: Stored) -> HttpResponse:
    _, content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
