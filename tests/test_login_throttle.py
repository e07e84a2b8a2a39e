"""Guessing passwords at the admin login is throttled by django-axes: after
AXES_FAILURE_LIMIT failures for one username from one address, even the right password is
refused until the cool-off has passed."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings

LOGIN = "/admin/login/?next=/admin/"


def log_in(client, username, password, address="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_until_locked(client, username, address="127.0.0.1"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "wrong-password", address)


def test_the_limit_is_small_and_the_cooloff_real():
    assert 1 <= settings.AXES_FAILURE_LIMIT <= 10
    assert datetime.timedelta(minutes=15) <= settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_right_password_logs_in(client, editor):
    response = log_in(client, "editor", "pw-editor-1")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_few_failures_do_not_lock_the_account(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "editor", "wrong-password")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text
    assert log_in(client, "editor", "pw-editor-1").status_code == 302


def test_after_the_limit_even_the_right_password_is_refused(client, editor):
    fail_until_locked(client, "editor")
    response = log_in(client, "editor", "pw-editor-1")
    assert response.status_code == 429
    assert "locked" in response.text.lower()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_lockout_is_per_username_and_address(client, editor, superuser):
    fail_until_locked(client, "editor")
    # Another account from the same address, and the same account from elsewhere, still work.
    assert log_in(client, "admin", "pw-admin-1").status_code == 302
    client.logout()
    assert log_in(client, "editor", "pw-editor-1", address="192.0.2.7").status_code == 302


def test_lockout_ends_after_the_cooloff(client, editor):
    fail_until_locked(client, "editor")
    assert log_in(client, "editor", "pw-editor-1").status_code == 429
    long_ago = datetime.datetime.now(datetime.UTC) - settings.AXES_COOLOFF_TIME * 2
    AccessAttempt.objects.update(attempt_time=long_ago)
    assert log_in(client, "editor", "pw-editor-1").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "editor", "wrong-password")
    assert log_in(client, "editor", "pw-editor-1").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "editor", "wrong-password")
    assert log_in(client, "editor", "pw-editor-1").status_code == 302


@pytest.mark.parametrize("username", ["", "x" * 5000, "editor\x00"])
def test_odd_usernames_get_a_form_error_not_a_500(client, db, username):
    response = log_in(client, username, "whatever")
    assert response.status_code in (200, 429)


def test_behind_trusted_proxies_the_client_address_comes_from_x_forwarded_for(settings, rf):
    from agendas.throttling import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # the spoofable left entry is ignored
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer entries than proxies: don't trust it
