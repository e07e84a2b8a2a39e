"""Settings for the test run: production settings over plain HTTP, a throwaway key and plain
static files."""

import os
from urllib.parse import urlsplit

os.environ.setdefault("SECRET_KEY", "test-only-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("HTTPS", "0")
# Creating and flushing test databases on a busy machine can take longer than a page may.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "60")

# pytest-xdist runs the suite in several processes (gw0, gw1, ...). Each gets its own test
# database (pytest-django adds the worker's name) and its own Redis database, the URL's plus
# the worker's number, so one worker's cache.clear() or new generation never reaches another's
# pages. It is set in the environment, so the servers a test starts use the same one.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_redis = urlsplit(os.environ.get("REDIS_URL", "").strip())
if _worker.startswith("gw") and _redis.scheme.startswith("redis"):
    _db = int(_redis.path.strip("/") or 0) + int(_worker[2:])
    os.environ["REDIS_URL"] = _redis._replace(path=f"/{_db}").geturl()

from config.settings import *  # noqa: E402,F403
from config.settings import STATIC_ROOT  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Serve static files straight from static/ (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(exist_ok=True)
# The whole-page cache is off for the suite, so a test's second request is rendered afresh;
# tests/test_caching.py turns it on.
CACHE_SECONDS = 0
