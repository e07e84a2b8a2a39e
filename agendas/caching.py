"""Whole-page cache for anonymous visitors, right by construction.

A cached page is served only to a request that would render the same bytes. Its key is a
digest of the absolute URI (scheme, host, path and query; the site has one language and
one time zone) under a prefix of
- the build id: a digest of the code, templates, static files and installed packages, so a
  deploy never serves pages rendered by the old code;
- the content generation: one site-wide number that every content change bumps.

Why coarse: a page shows rows from many tables (the home page alone shows agendas, areas,
ratings, critiques and figures), so working out which pages one edit touches is error-prone.
Instead every content change bumps the generation, and the next request after any change
renders afresh. Cheap here because edits are rare next to reads; the cost is that one edit
empties the whole page cache (docs/performance.md measures a cold page). Every write path
bumps it through agendas/changes.py (signals, bulk writes, commands, migrations); as a safety
net any successful unsafe request (POST, ...) by a signed-in user bumps it too.

The query string is made canonical before the view sees it: parameters the page does not read
are dropped, blank ones too, the rest sorted by name. A request whose query cannot be made
canonical without changing what the page's form would read (free text, a number written
"007", a single-valued parameter given twice) bypasses the cache: it is rendered, never
stored. So is a host that is not literally one of ALLOWED_HOSTS. Junk in the address can
therefore not grow the cache, and the key space is bounded by the content.

The generation lives in Django's default cache, so it is shared by every process only when
that cache is shared (Redis, REDIS_URL). With the per-process local-memory cache a change
made in one process is invisible to the others, so `make serve` turns page caching off
(CACHE_SECONDS=0) when REDIS_URL is unset.
"""

import functools
import hashlib
import importlib.metadata
import logging
import threading
import time
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost, ValidationError
from django.db import connections, transaction
from django.http import HttpResponse, QueryDict
from django.http.request import split_domain_port
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.datastructures import MultiValueDict

from agendas.middleware import address_problem

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"
CACHED_METHODS = {"GET", "HEAD"}
LOCAL_MAX_BYTES = 32 * 1024 * 1024  # per process; see LocalPages


# -- the generation ------------------------------------------------------------------------


def current_generation():
    # The Redis backend's get_int reads an integer at half the cost of get() (every hit
    # reads the generation); other backends use get().
    read = getattr(cache, "get_int", cache.get)
    generation = read(GENERATION_KEY)
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


# -- the build id --------------------------------------------------------------------------


@functools.cache
def build_id():
    """What this process runs: computed once per process, so a deploy (which restarts the
    workers) gets a new id whenever code, templates, static files or packages changed."""
    return code_digest(code_roots(), installed_packages())


def code_roots():
    import config

    roots = [Path(apps.get_app_config("agendas").path), Path(config.__file__).parent]
    for engine in settings.TEMPLATES:
        roots.extend(Path(folder) for folder in engine.get("DIRS", []))
    roots.extend(Path(folder) for folder in settings.STATICFILES_DIRS)
    return roots


def installed_packages():
    return sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )


def code_digest(roots, packages=()):
    digest = hashlib.sha256()
    for root in roots:
        files = sorted(
            path for path in root.rglob("*") if path.is_file() and "__pycache__" not in path.parts
        )
        for path in files:
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(path.read_bytes())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()[:16]


# -- what a cached page may answer ------------------------------------------------------------


@functools.cache
def query_fields():
    """URL name -> {parameter: form field} for every page that reads its query string.

    tests/test_caching.py checks this against the parameters each view actually reads, so a
    new parameter cannot be silently dropped from cached pages.
    """
    from agendas.filters import (
        AssumptionMatrixForm,
        ComparePickerForm,
        CritiqueFilterForm,
        DisagreementFilterForm,
        PageForm,
    )
    from agendas.forms import AgendaFilterForm, CompareForm
    from agendas.views.search import SearchForm

    page_number = forms.IntegerField(min_value=1)
    return {
        "agendas:landscape": PageForm.base_fields,
        "agendas:agenda_list": AgendaFilterForm.base_fields,
        "agendas:agenda_list_json": AgendaFilterForm.base_fields,
        "agendas:compare_json": CompareForm.base_fields,
        "agendas:compare": {**CompareForm.base_fields, **ComparePickerForm.base_fields},
        "agendas:search": {**SearchForm.base_fields, "page": page_number},
        "agendas:assumption_list": AssumptionMatrixForm.base_fields,
        "agendas:critique_list": CritiqueFilterForm.base_fields,
        "agendas:disagreement_list": DisagreementFilterForm.base_fields,
        # The page a suggestion came from (never cached, but the query reaches the view).
        "agendas:suggest": {"from": forms.CharField()},
        "agendas:criterion_detail": PageForm.base_fields,
        "agendas:organisation_list": PageForm.base_fields,
        "sitemap_section": {"p": page_number},
    }


@functools.cache
def query_prefixes():
    """URL name -> {parameter name prefix: form field} for parameters named after content:
    a reader's weight for each criterion, ?w-<criterion slug>=0..5 (agendas/forms.py), on
    every page ranked by weights. Unknown criteria get a 400, which is never cached, so the
    key space stays bounded by the content."""
    from agendas.forms import ReaderWeightsForm, WeightField

    weight = {ReaderWeightsForm.PREFIX: WeightField(min_value=0)}
    ranked = [
        "agendas:home",
        "agendas:landscape",
        "agendas:agenda_list",
        "agendas:criterion_list",
        "agendas:compare",
        "agendas:agenda_list_json",
        "agendas:compare_json",
    ]
    return {name: weight for name in ranked}


class NotCanonical(Exception):
    """The query cannot be rewritten without changing what the page would read."""


def canonical_query(request):
    """The query string the page will see, or None when the request must bypass the cache.

    Known parameters only, blanks dropped, sorted by name (the values of one repeated
    parameter keep their order). Values are kept as sent, so the view's form reads exactly
    what it would have read from the original query.
    """
    if not request.META.get("QUERY_STRING"):
        return ""
    view_name = view_name_of(request.path_info, get_urlconf() or settings.ROOT_URLCONF)
    if view_name is None:
        return None  # a 404 is not cached anyway
    fields = dict(query_fields().get(view_name, {}))
    for prefix, field in query_prefixes().get(view_name, {}).items():
        fields.update({name: field for name in request.GET if name.startswith(prefix)})
    pairs = []
    try:
        for name in sorted(fields):
            values = [value for value in request.GET.getlist(name) if value != ""]
            if values:
                pairs.extend((name, value) for value in canonical_values(fields[name], values))
    except NotCanonical:
        return None
    return urlencode(pairs)


@functools.lru_cache(maxsize=1024)
def view_name_of(path_info, urlconf):
    """The URL name of a path, or None for a 404. Resolving a path took a third of the
    work of a cache hit with a query string; the cache is bounded, so junk paths only
    push out other paths."""
    try:
        return resolve(path_info, urlconf).view_name
    except Resolver404:
        return None


def canonical_values(field, values):
    """The values of one parameter as the page will see them, read the way its form field
    reads them; raises NotCanonical when only the values as sent would do."""
    many = isinstance(field.widget, (forms.MultipleHiddenInput, forms.SelectMultiple))
    if isinstance(field, forms.CharField) or (len(values) > 1 and not many):
        raise NotCanonical  # free text is unbounded; a repeated value is ambiguous
    if isinstance(field, forms.ModelChoiceField):
        return values  # looked up in the database by the view: a 400 unless it exists
    data = MultiValueDict({"v": values})
    try:
        python = field.to_python(field.widget.value_from_datadict(data, {}, "v"))
    except ValidationError:
        raise NotCanonical from None  # the view answers 400, which is never cached
    if isinstance(field, forms.BooleanField):
        return ["1"] if python else []
    as_sent = [str(item) for item in python] if isinstance(python, list) else [str(python)]
    if as_sent != values:
        raise NotCanonical  # e.g. page=007: one page, endless spellings
    return values


def use_query(request, query):
    if request.META.get("QUERY_STRING", "") != query:
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def canonical_host(request):
    """The request's host when it is exactly as listed in ALLOWED_HOSTS (not through a
    wildcard, nor in another case or with a trailing dot) with no port or the port the
    request came in on, so the spellings of one host an attacker can send are few; else
    None. Raises DisallowedHost for a host Django refuses."""
    host = request.get_host()
    domain, port = split_domain_port(host)
    name = host[: -len(port) - 1] if port else host
    if (
        name == domain
        and domain in settings.ALLOWED_HOSTS
        and port in ("", request.META.get("SERVER_PORT"))
    ):
        return host
    return None


# -- the key ---------------------------------------------------------------------------------


def page_key(request, host, generation):
    """The build and the content generation, then a digest of the absolute URI (scheme,
    canonical host, path and canonical query). GET and HEAD share it. Django's own
    cache-middleware key adds the language and time zone, which are fixed on this site,
    and cost a third of a hit's own work to compute (docs/performance.md)."""
    uri = f"{request.scheme}://{host}{request.path}?{request.META.get('QUERY_STRING', '')}"
    digest = hashlib.md5(uri.encode(), usedforsecurity=False).hexdigest()
    return f"page.{build_id()}.{generation}.{digest}"


def etag_for(key):
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def is_cacheable_request(request):
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


def is_cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # A page that varies on a request header the key does not hold cannot be shared;
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
    """Serve anonymous GET/HEAD pages from the cache; see the module docstring.

    First in MIDDLEWARE: a page is stored with the headers every middleware below gave it
    (security headers, CSP), so a hit skips all of them as well as sessions, CSRF, auth
    and the database.
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

        query = canonical_query(request)
        try:
            host = canonical_host(request) if query is not None else None
        except DisallowedHost:
            host = None  # CommonMiddleware answers 400
        if host is None:
            return self.get_response(request)
        use_query(request, query)

        try:
            key = page_key(request, host, current_generation())
            stored = local_pages.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    local_pages.set(key, stored, seconds)
        except Exception:  # the cache is down: serve uncached rather than fail
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        etag = etag_for(key)

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
