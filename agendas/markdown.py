"""Markdown to safe HTML: every user-written field goes through here.

Markdown is rendered first, then nh3 (a maintained HTML sanitiser) keeps only an
allow-list of tags and attributes and adds rel="nofollow noopener" to links.

The result depends only on the text, so it is memoised: the agenda page renders dozens of
critique bodies and building a Markdown parser for each was most of its Python time.
"""

from functools import lru_cache

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h3",
    "h4",
    "h5",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# An agenda page renders up to ~100 texts (critique bodies and replies), so this holds
# dozens of pages; texts average 1-2 KB, so a full cache is some 10-20 MB per process.
CACHE_SIZE = 4096


@lru_cache(maxsize=CACHE_SIZE)
def render_markdown(text: str) -> str:
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
    )
