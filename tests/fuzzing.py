"""How hard the property-based tests push, from Hypothesis profiles chosen by HYPOTHESIS_PROFILE.

- dev (the default, `make test`): a fifth of the examples, at least 10, so a commit gets an
  answer in minutes;
- ci (`make test-all`, which .ci/run runs): every test at full strength. .ci/run also fixes
  the seed (HYPOTHESIS_SEED), so a failure there replays with the same examples.
"""

import os

from hypothesis import HealthCheck, settings

PROFILES = ("dev", "ci")
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
if PROFILE not in PROFILES:
    raise RuntimeError(f"HYPOTHESIS_PROFILE={PROFILE!r}: use one of {', '.join(PROFILES)}")

# The tests build rows and make requests per example, so no per-example deadline; function-
# scoped fixtures (the client, a user) are meant to be shared by every example.
for name in PROFILES:
    settings.register_profile(
        name,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
settings.load_profile(PROFILE)


def examples(full):
    """`full` examples at full strength (the ci profile); a fifth of them, at least 10, in dev."""
    return full if PROFILE == "ci" else max(10, full // 5)
