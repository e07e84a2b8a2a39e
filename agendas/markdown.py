"""Markdown to safe HTML, bounded by construction. Every person-written Markdown field goes
through here once, when its row is written; pages show the stored result.

- Parsing: cmark-gfm (through cmarkgfm), the CommonMark reference parser in C. It parses in
  time linear in the input, without recursion, so neither nested list markers nor long runs
  of brackets (which made Python-Markdown recurse without bound or go quadratic) cost more
  than their length. Raw HTML in the text is dropped by the parser.
- Nesting: the one thing downstream cost grows with faster than length is how deep the
  produced HTML nests (the sanitiser's work grows with depth times size). Text that nests
  deeper than MAX_DEPTH is refused by validate_markdown (a form error), and if such text
  still arrives another way (an importer, a script) it is shown as escaped plain text.
- Sanitising: nh3 keeps an allow-list of tags and attributes, web and mail links only, and
  adds rel="nofollow noopener" to links.
- Size: fields are limited in the database (agendas/models/base.py); render_markdown also
  refuses to parse more than MAX_CHARS whatever the caller passes.
- Characters: code points HTML forbids (controls other than whitespace, noncharacters) and
  lone surrogates, which neither the parser nor the sanitiser can encode, become U+FFFD
  first, as cmark itself does with NUL.

Measured worst cases (tests/test_markdown.py's payloads, bench/markdown.py): see
docs/performance.md.
"""

import logging
import re
import time
from html import unescape

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.core.exceptions import ValidationError
from django.utils.html import escape

logger = logging.getLogger(__name__)

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

MAX_DEPTH = 16  # nested lists and quotes; real text rarely goes past 4
MAX_CHARS = 50_000  # above every field's limit
SLOW_RENDER_SECONDS = 0.1  # logged, so a regression shows up in the logs

_NESTING_TAG = re.compile(r"<(/?)(ul|ol|li|blockquote)\b[^>]*>")
_NONCHARACTERS = "".join(
    chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)
)
_UNSHOWABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)


def nesting_depth(html):
    """How deep lists and block quotes nest in cmark's output (a linear scan of its tags)."""
    depth = deepest = 0
    for match in _NESTING_TAG.finditer(html):
        if match[1]:
            depth -= 1
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _showable(text):
    return _UNSHOWABLE.sub("\ufffd", text)


def _parse(text):
    # CMARK_OPT_SAFE is cmark's default: raw HTML and unsafe link schemes are dropped.
    return cmarkgfm.markdown_to_html(text, options=Options.CMARK_OPT_DEFAULT)


def _plain(text):
    """Text shown as it was typed: escaped, paragraphs kept."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(f"<p>{escape(part)}</p>" for part in paragraphs)


def render_markdown(text: str) -> str:
    """Sanitised HTML for a Markdown text. Never raises for any text."""
    text = _showable(text or "")
    started = time.perf_counter()
    if len(text) > MAX_CHARS:
        html = _plain(text[:MAX_CHARS])
    else:
        html = _parse(text)
        # Every list item is a <li> inside a <ul>/<ol>, so the tag depth counts two per level.
        if nesting_depth(html) > 2 * MAX_DEPTH:
            html = _plain(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    elapsed = time.perf_counter() - started
    if elapsed > SLOW_RENDER_SECONDS:
        logger.warning("Rendering %d characters of Markdown took %.0f ms", len(text), elapsed * 1e3)
    return cleaned


def plain_text(html):
    """The words of HTML this module produced, for snippets and excerpts: tags dropped,
    entities decoded, whitespace collapsed. nh3 parses it as a browser would (and faster
    than Django's strip_tags)."""
    return " ".join(unescape(nh3.clean(html, tags=set())).split())


def validate_markdown(text):
    """Refuse Markdown nested deeper than MAX_DEPTH (a form error in the admin)."""
    if not text or len(text) > MAX_CHARS:
        return  # the field's max_length reports the length
    if nesting_depth(_parse(_showable(text))) > 2 * MAX_DEPTH:
        raise ValidationError(
            "Lists or quotes are nested more than %(depth)d levels deep; flatten them.",
            code="too_deep",
            params={"depth": MAX_DEPTH},
        )
