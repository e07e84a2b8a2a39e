import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import transaction

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
    "loaddata",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_TIERS & {marker.name for marker in item.iter_markers()}:
            item.add_marker(pytest.mark.slow)
    # The tests that read the shipped content run last, in one transaction (shipped_content).
    items.sort(key=lambda item: "shipped" in getattr(item, "fixturenames", ()))


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
