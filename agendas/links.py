"""Links to a row's own page, without running Django's reverse() for every row.

reverse() matches the URL pattern afresh on every call: on the assumption list at 100x,
with hundreds of links, that was much of the page's time (docs/performance.md).
A row page's URL is its view's URL with the slug in it, so the view's URL is reversed once
(per view, script prefix and URLconf) with a marker for the slug, and each link puts the
slug where the marker was. A slug the slug converter would refuse goes through reverse()
itself, so it still raises NoReverseMatch.
"""

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

MARKER = "0slug0marker0"
# What Django's slug converter matches: the characters reverse() would not quote.
SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")


@functools.lru_cache(maxsize=64)
def _around_slug(view_name, script_prefix, urlconf):
    """(before, after) the slug in the view's URL."""
    before, _, after = reverse(view_name, urlconf=urlconf, args=[MARKER]).partition(MARKER)
    return before, after


def slug_url(view_name, slug):
    """reverse(view_name, args=[slug]) for a view whose only argument is a slug."""
    if not SLUG.match(slug):
        return reverse(view_name, args=[slug])
    before, after = _around_slug(
        view_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
    return before + slug + after


def twin_url(view_name, request):
    """The URL of `view_name` with the request's own query string: a page's JSON twin."""
    query = request.GET.urlencode()
    return reverse(view_name) + (f"?{query}" if query else "")
