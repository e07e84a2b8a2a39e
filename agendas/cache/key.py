"""What a cached page is keyed by: the build, the generation and the canonical address."""

import functools
import hashlib
import importlib.metadata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.http.request import split_domain_port
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.datastructures import MultiValueDict

View = TypeVar("View", bound=Callable[..., Any])
Fields = Mapping[str, forms.Field]

# -- the build id --------------------------------------------------------------------------


@functools.cache
def build_id() -> str:
    """What this process runs: computed once per process, so a deploy (which restarts the
    workers) gets a new id whenever code, templates, static files or packages changed."""
    return code_digest(code_roots(), installed_packages())


def code_roots() -> list[Path]:
    import config

    roots = [Path(apps.get_app_config("agendas").path), Path(config.__file__).parent]
    for engine in settings.TEMPLATES:
        roots.extend(Path(folder) for folder in engine.get("DIRS", []))  # type: ignore[attr-defined]
    roots.extend(Path(folder) for folder in settings.STATICFILES_DIRS)
    return roots


def installed_packages() -> list[str]:
    return sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )


def code_digest(roots: Iterable[Path], packages: Iterable[str] = ()) -> str:
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


# -- the query parameters each view reads ---------------------------------------------------


def reads_query(*declarations: type[forms.Form] | Fields) -> Callable[[View], View]:
    """Declare the query parameters a view reads: the fields of these forms (or of these
    {name: field} mappings), and every parameter starting with a name in a form's
    `field_prefixes` ({prefix: field}), for fields named after content (a reader's weight
    per criterion). The cache drops every other parameter before the view sees the request;
    tests/test_caching.py checks each declaration against what the view actually reads."""
    fields: dict[str, forms.Field] = {}
    prefixes: dict[str, forms.Field] = {}
    for declared in declarations:
        if isinstance(declared, Mapping):
            fields.update(declared)
        else:
            fields.update(declared.base_fields)
            prefixes.update(getattr(declared, "field_prefixes", {}))

    def declare(view: View) -> View:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs)

        wrapper.query_fields = fields  # type: ignore[attr-defined]
        wrapper.query_prefixes = prefixes  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return declare


def declared_query(view: Callable[..., Any]) -> tuple[Fields, Fields]:
    """The (fields, prefixes) a view declared with @reads_query; none for the others."""
    return getattr(view, "query_fields", {}), getattr(view, "query_prefixes", {})


@functools.lru_cache(maxsize=1024)
def _declared_at(path_info: str, urlconf: str) -> tuple[Fields, Fields] | None:
    """Resolving a path is most of the work of a hit with a query string; the cache is
    bounded, so junk paths only push out other paths. None for a 404."""
    try:
        return declared_query(resolve(path_info, urlconf).func)
    except Resolver404:
        return None


class NotCanonical(Exception):
    """The query cannot be rewritten without changing what the page would read."""


def canonical_query(request: HttpRequest) -> str | None:
    """The query string the page will see, or None when the request must bypass the cache.

    Declared parameters only, blanks dropped, sorted by name (the values of one repeated
    parameter keep their order). Values are kept as sent, so the view's form reads exactly
    what it would have read from the original query.
    """
    if not request.META.get("QUERY_STRING"):
        return ""
    declared = _declared_at(request.path_info, str(get_urlconf() or settings.ROOT_URLCONF))
    if declared is None:
        return None  # a 404 is not cached anyway
    fields, prefixes = declared
    known = dict(fields)
    for prefix, field in prefixes.items():
        known.update({name: field for name in request.GET if name.startswith(prefix)})
    pairs: list[tuple[str, str]] = []
    try:
        for name in sorted(known):
            values = [value for value in request.GET.getlist(name) if value != ""]
            if values:
                pairs.extend((name, value) for value in canonical_values(known[name], values))
    except NotCanonical:
        return None
    return urlencode(pairs)


def canonical_values(field: forms.Field, values: list[str]) -> list[str]:
    """The values of one parameter as the page will see them, read the way its form field
    reads them; raises NotCanonical when only the values as sent would do."""
    many = isinstance(field.widget, forms.MultipleHiddenInput | forms.SelectMultiple)
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


def use_query(request: HttpRequest, query: str) -> None:
    if request.META.get("QUERY_STRING", "") != query:
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def canonical_host(request: HttpRequest) -> str | None:
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


def page_key(request: HttpRequest, host: str) -> str:
    """The build, then a digest of the absolute URI (scheme, canonical host, path and
    canonical query). GET and HEAD share it. Django's own cache-middleware key adds the
    language and time zone, which are fixed on this site. The content generation is stored
    with the page (middleware.py), so that one read fetches both."""
    uri = f"{request.scheme}://{host}{request.path}?{request.META.get('QUERY_STRING', '')}"
    digest = hashlib.md5(uri.encode(), usedforsecurity=False).hexdigest()
    return f"page.{build_id()}.{digest}"


def etag_for(key: str, generation: int) -> str:
    return f'"{hashlib.sha256(f"{key}.{generation}".encode()).hexdigest()[:32]}"'
