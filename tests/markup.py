"""Page HTML as a test compares it: laid out over lines or not, the same text."""

import re

WHITESPACE = re.compile(r"\s+")
BESIDE_A_TAG = re.compile(r" ?(<[^<>]*>?) ?")  # a snippet may end inside a tag


def squash(html: str) -> str:
    """`html` with each run of whitespace made one space and none kept beside a tag, so an
    expected snippet matches however the template spreads the markup over lines. Apply it to
    both sides of a comparison."""
    return BESIDE_A_TAG.sub(r"\1", WHITESPACE.sub(" ", html))
