"""One way to cut a list into pages: a page past the last one is a 404, like a missing row.

The page number itself comes from a form's PageField (agendas/forms/fields.py), which
refuses anything but a whole number from 1 with a form error (400).
"""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.http import Http404


def paginate(
    items: Sequence[Any] | Any,
    number: int | None,
    per_page: int,
    orphans: int = 0,
    count: int | None = None,
    on_each_side: int = 3,
) -> Page[Any]:
    """Page `number` (None: the first) of `items`, with `elided_range`, the page numbers
    the pagination include links to. `count`, when the caller has counted the rows
    already, saves the paginator's own count."""
    paginator = Paginator(items, per_page, orphans=orphans)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    try:
        page = paginator.page(number or 1)
    except EmptyPage:
        raise Http404(
            f"There is no page {number}: the last page is {paginator.num_pages}."
        ) from None
    page.elided_range = list(  # type: ignore[attr-defined]
        paginator.get_elided_page_range(page.number, on_each_side=on_each_side)
    )
    return page
