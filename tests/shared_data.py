"""Tests that read ../shared/reference (the real Shallow Review export, the essay, sources.md).

A fresh clone has nothing beside it, so such tests skip and say why. CI sets
REQUIRE_SHARED_DATA=1 (.ci/run), which turns the skip into a failure: there the data must be
present and the tests must run.
"""

import os

import pytest

from tests.content_rules import REFERENCE, has_reference


def require_shared_reference():
    """Skip (or, under REQUIRE_SHARED_DATA=1, fail) unless ../shared/reference is present."""
    if has_reference():
        return
    reason = (
        f"needs the reference data in {REFERENCE} (../shared/reference beside the checkout), "
        "which a fresh clone does not have"
    )
    if os.environ.get("REQUIRE_SHARED_DATA") == "1":
        pytest.fail(f"REQUIRE_SHARED_DATA=1 but this test {reason}")
    pytest.skip(reason)
