"""Settings for the test run: production settings with a throwaway key and plain static files."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "0")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
