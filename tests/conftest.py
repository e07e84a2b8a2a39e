import hashlib
import io
import os
import sqlite3
from importlib.metadata import version
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

import tests.fuzzing  # noqa: F401 - loads the Hypothesis profile before any test module
from tests.shared_data import reference

# The slow tiers: `make test` leaves them out (-m "not slow"), `make test-all` and .ci/run
# run them. Each has its own marker (pyproject.toml), so a tier can be run on its own.
SLOW_TIERS = {
    "browser",
    "html_checker",
    "packaging",
    "replica",
    "outage",
    "real_export",
    "loading",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_TIERS & {marker.name for marker in item.iter_markers()}:
            item.add_marker(pytest.mark.slow)

    # The tests that read the shipped content run last, in one transaction (shipped_content).
    # Before them, pytest-django's order (database tests, then transactional ones, which empty
    # the database, then the rest), the slow tiers first in each; the slow tiers that use no
    # test database (replica, outage, packaging: their own servers) go first of all. pytest-
    # xdist hands tests out in this order, so the longest start early, side by side, rather
    # than one finishing the run alone on one worker.
    def position(item):
        slow = item.get_closest_marker("slow") is not None
        order = django_test_order(item)
        return (
            "shipped" in getattr(item, "fixturenames", ()),
            -1 if slow and order == 2 else order,
            not slow,
        )

    items.sort(key=position)


def django_test_order(item):
    """0 for a test on the database, 1 for a transactional one, 2 for the rest: the order
    pytest-django sorts them in (its plugin.py), as Django's test runner does."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    options = marker.kwargs if marker else {}
    if {"transactional_db", "live_server"} & set(fixtures) or options.get("transaction"):
        return 1
    if marker or "db" in fixtures:
        return 0
    return 2


def migrated_snapshot(cache):
    """Where a SQLite test database migrated by exactly these migrations is kept: in pytest's
    cache folder, named by a digest of every app's migration files and Django's version."""
    digest = hashlib.sha256(version("django").encode())
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        for path in sorted((Path(app.path) / "migrations").glob("*.py")):
            digest.update(f"{app.label}/{path.name}".encode() + path.read_bytes())
    return cache.mkdir("migrated-sqlite") / f"{digest.hexdigest()[:24]}.sqlite3"


def on_sqlite():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, request):
    """On SQLite, once a migrated test database is kept (see django_db_setup), make the test
    database from the models alone: django_db_setup then copies the kept one over it."""
    if on_sqlite() and migrated_snapshot(request.config.cache).exists():
        settings.DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """Running the migrations takes most of a minute on SQLite (Django renders the model
    states of every operation), so the first session keeps the migrated database, with what
    the data migrations wrote, and later sessions copy it in (SQLite's backup) until a
    migration file or Django changes. PostgreSQL (CI's second pass) always migrates, and so
    does a fresh checkout, so CI runs every migration."""
    if not on_sqlite():
        return
    snapshot = migrated_snapshot(request.config.cache)
    with django_db_blocker.unblock():
        connection.ensure_connection()
        if snapshot.exists():
            with sqlite3.connect(snapshot) as kept:
                kept.backup(connection.connection)
            kept.close()
            ContentType.objects.clear_cache()  # the ids the models-only database gave them
        else:
            # Named for the worker: under pytest-xdist, several may build it at once.
            partial = snapshot.with_suffix(f".partial-{os.environ.get('PYTEST_XDIST_WORKER', '')}")
            with sqlite3.connect(partial) as copy:
                connection.connection.backup(copy)
            copy.close()
            partial.replace(snapshot)


@pytest.fixture
def contributor(db):
    user = User.objects.create_user("contributor", password="pw-contributor-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Contributors"))
    return user


@pytest.fixture
def other_contributor(db):
    user = User.objects.create_user("contributor2", password="pw-contributor-2", is_staff=True)
    user.groups.add(Group.objects.get(name="Contributors"))
    return user


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("admin", password="pw-admin-1")


@pytest.fixture
def shared_reference():
    """../shared/reference, or a skip saying why (a failure with REQUIRE_SHARED_DATA=1)."""
    return reference()


@pytest.fixture(scope="session")
def shipped_content(django_db_setup, django_db_blocker):
    """The shipped content, loaded once per session (loading takes seconds): `load_content`'s
    report. The load runs in a transaction rolled back at the end of the session, and each
    test's own transaction nests inside it, so what a test writes is rolled back too.
    pytest_collection_modifyitems puts the tests that use it last, so no other test sees it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        report = io.StringIO()
        call_command("load_content", stdout=report)
        yield report.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def shipped(shipped_content, db):
    """A test on the shipped content; what it writes is rolled back."""
    return shipped_content
