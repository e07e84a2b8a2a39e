import pytest
from django.contrib.auth.models import Group, User

from tests.shared_data import reference


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
