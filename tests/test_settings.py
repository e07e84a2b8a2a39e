"""Settings come from the environment and refuse malformed values, naming the variable."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE_ENV = {"PATH": os.environ.get("PATH", ""), "SECRET_KEY": "k" * 50}
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def load_settings(**env):
    """Import config.settings in a fresh interpreter with exactly this environment."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], "
            "s.CACHES['default']['BACKEND'], ','.join(s.ALLOWED_HOSTS))",
        ],
        cwd=settings.BASE_DIR,
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_are_production_like_and_use_sqlite():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3", LOCMEM]


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_runs_without_a_secret_key_and_allows_localhost():
    result = load_settings(SECRET_KEY="", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"
    assert "127.0.0.1" in result.stdout


def test_postgres_url_selects_postgresql():
    result = load_settings(DATABASE_URL="postgres://u:p@127.0.0.1:5432/agendas")
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout


def test_redis_url_selects_the_redis_cache():
    result = load_settings(REDIS_URL="redis://127.0.0.1:6379/1")
    assert result.returncode == 0, result.stderr
    assert "django_redis.cache.RedisCache" in result.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DEBUG", "2"),
        ("DATABASE_URL", "mysql://localhost/agendas"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "postgres://localhost"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("REDIS_URL", "redis://"),
        ("ALLOWED_HOSTS", "example.org,,other.org"),
        ("WHITENOISE_MAX_AGE", "an hour"),
        ("WHITENOISE_MAX_AGE", "-5"),
        ("STATIC_MANIFEST", "perhaps"),
        ("LOG_LEVEL", "LOUD"),
        ("TRUSTED_PROXY_COUNT", "two"),
        ("AXES_FAILURE_LIMIT", "0"),
        ("CACHE_SECONDS", "-1"),
        ("STATIC_ROOT", "staticfiles"),
    ],
)
def test_malformed_values_stop_start_up_naming_the_variable(name, value):
    result = load_settings(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.splitlines()[-1]


def test_manage_py_runs_in_development_mode_when_debug_is_unset():
    """README tells newcomers to run `manage.py createsuperuser` with no environment."""
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_wsgi_entry_point_still_requires_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_gunicorn_config_reads_its_settings_strictly():
    def load(**env):
        return subprocess.run(
            [sys.executable, "-c", "import config.gunicorn as g; print(g.workers, g.threads)"],
            cwd=settings.BASE_DIR,
            env={**BASE_ENV, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert load(WEB_CONCURRENCY="3", GUNICORN_THREADS="2").stdout.split() == ["3", "2"]
    refused = load(WEB_CONCURRENCY="lots")
    assert refused.returncode != 0
    assert "WEB_CONCURRENCY" in refused.stderr.splitlines()[-1]
