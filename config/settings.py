"""Settings for Alignment Agendas, read from the environment.

Every option is documented in README.md ("Configuration"). Malformed values stop
start-up with ImproperlyConfigured naming the variable (see config/env.py).
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_path,
    env_redis_url,
    with_timeouts,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# templates/, static/ and fixtures/: beside config/ in a checkout, inside it in an installed
# wheel (pyproject.toml).
SITE_FILES_DIR = BASE_DIR if (BASE_DIR / "templates").is_dir() else Path(__file__).resolve().parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "csp",
    "taggit",
    "simple_history",
    "axes",
    "agendas",
]

MIDDLEWARE = [
    # Whole-page cache for anonymous visitors (agendas/cache/): a hit skips everything
    # below. A page is stored with the headers the middleware below gave it on its first
    # render, so a hit need not build them again (a third of a hit's work).
    "agendas.cache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, which answers static files itself: they get these headers too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuses absurd addresses with a 400 (the page cache lets them through unread).
    "agendas.middleware.MalformedAddressMiddleware",
    "agendas.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its response.
    "axes.middleware.AxesMiddleware",
]

# Security. Headers on every response; HTTPS-only settings when HTTPS is on (the default
# when DEBUG is off). Behind a TLS-terminating proxy set TRUST_X_FORWARDED_PROTO=1.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form (expired page, blocked cookies) gets the site's 403 page, not Django's.
CSRF_FAILURE_VIEW = "agendas.middleware.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline script or style anywhere: pages use static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_FILES_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# A database that accepts connections but never answers, or a statement stuck behind a lock,
# gives the site's own 503 (agendas/middleware.py) after these many seconds, well before
# gunicorn's worker timeout (30 s) would kill the worker and send a bare 500. manage.py
# turns the statement timeout off: migrations and imports may run longer.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=1)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 5)
TIMEOUTS = {"connect": DATABASE_CONNECT_TIMEOUT, "statement": DATABASE_STATEMENT_TIMEOUT}
DATABASES = {
    "default": with_timeouts(
        env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), **TIMEOUTS
    ),
}
# A PostgreSQL read replica: reads go there, writes to DATABASE_URL (agendas/db_routers.py).
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = with_timeouts(env_database("DATABASE_REPLICA_URL", ""), **TIMEOUTS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["agendas.db_routers.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_redis_url("REDIS_URL")
# django-redis keeps one client per connection pool, where Django's own backend builds one
# per call: most of the cost of a page-cache hit (docs/performance.md).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "agendas",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if "replica" in DATABASES and not REDIS_URL:
    # The router learns of other processes' writes through the shared cache (db_routers.py).
    raise ImproperlyConfigured("DATABASE_REPLICA_URL needs REDIS_URL: a cache every process shares")
# Anonymous pages are cached this many seconds (0 turns the page cache off) and browsers
# may reuse them for CACHE_MAX_AGE seconds; any content change invalidates them at once
# server-side (agendas/cache/).
# Off by default without Redis: a local-memory cache is per process, so one gunicorn
# worker's edit would not invalidate another worker's cached pages.
CACHE_SECONDS = env_int("CACHE_SECONDS", 600 if REDIS_URL else 0)
CACHE_MAX_AGE = env_int("CACHE_MAX_AGE", 60)
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/healthz"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username
# from one IP address, that pair is refused (HTTP 429) until the cool-off has passed.
# Readers' suggestions (agendas/suggestions.py): how many one address may send an hour.
SUGGESTIONS_PER_HOUR = env_int("SUGGESTIONS_PER_HOUR", 5, minimum=1)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 60, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "agendas.throttling.attempted_username"
# Behind load balancers or proxies, how many of them append to X-Forwarded-For (0: none).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "agendas.throttling.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes; set it when the app is installed rather than run from a checkout.
STATIC_ROOT = env_path("STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [SITE_FILES_DIR / "static"]
# Hashed, compressed files in production; tests and development use plain storage.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = env_int("WHITENOISE_MAX_AGE", 3600)

TAGGIT_CASE_INSENSITIVE = True
FIXTURE_DIRS = [SITE_FILES_DIR / "fixtures"]

LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", LOG_LEVELS, "WARNING")},
}
