"""The reference material beside the checkout, in ../shared/reference: the Shallow Review
2025 export, the essay, sources.md, orthodox-problems.md. It is not in the repository (the
export carries no licence), so a fresh clone has none of it.

Every test that reads it gets its paths from the `shared_reference` fixture (tests/conftest.py,
so a skip is reported at the test's own line) or from reference(): without the material the
test skips and says why, so `make test` passes on a fresh clone; with REQUIRE_SHARED_DATA=1, as
.ci/run sets it, the same test fails instead, so CI cannot go green while skipping them.
"""

from pathlib import Path

import pytest

from config.env import env_bool

REFERENCE = Path(__file__).resolve().parent.parent.parent / "shared" / "reference"
REQUIRED = "REQUIRE_SHARED_DATA"


def reference(*parts):
    """../shared/reference/<parts>, or skip the test (fail it when required) if missing."""
    path = REFERENCE.joinpath(*parts)
    if not path.exists():
        message = (
            f"{path} is missing: this test reads the reference material kept beside the "
            "checkout (../shared/reference), which is not in the repository"
        )
        if env_bool(REQUIRED, False):
            pytest.fail(f"{message}, and {REQUIRED}=1 makes it required.")
        pytest.skip(f"{message}; set {REQUIRED}=1 to make this a failure.")
    return path
