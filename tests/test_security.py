"""Security headers, production settings and error pages that leak nothing."""

import http.client
import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.views.defaults import server_error

from agendas.middleware import DatabaseUnavailableMiddleware
from tests.builders import make_agenda

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "DEBUG": "0",
    "SECRET_KEY": "x7#kP0!vQ2@lM9$zR4^tW8&yB1*nC5(eH3)jF6_gD0-sA2+uI7=oL4~" * 2,
    "ALLOWED_HOSTS": "agendas.example.org",
    "HTTPS": "1",
}


def test_check_deploy_passes_with_the_documented_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_response_carries_the_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/agendas/no-such-agenda/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response


@override_settings(
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_https_responses_carry_hsts_and_secure_httponly_cookies(admin_client):
    response = admin_client.get("/admin/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    redirect = admin_client.get("/", secure=False)
    assert redirect.status_code == 301
    assert redirect["Location"].startswith("https://")
    login_page = admin_client.get("/admin/logout/", secure=True)
    for cookie in login_page.cookies.values():
        assert cookie["secure"]
        assert cookie["httponly"]


def test_unknown_pages_answer_a_friendly_404_without_internals(client):
    make_agenda(slug="rlhf")
    response = client.get("/agendas/rlhf-typo/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Traceback" not in response.text
    assert "URLconf" not in response.text


def test_the_500_page_says_sorry_and_leaks_nothing():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "Traceback" not in body


def test_a_database_failure_becomes_a_503_page():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(
        RequestFactory().get("/"), OperationalError("connection refused")
    )
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    assert "connection refused" not in response.content.decode()
    assert response["Retry-After"] == "30"


def test_other_errors_are_left_to_django():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


def test_healthz_reports_a_healthy_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_an_oversized_query_string_is_refused_with_a_clear_message(client):
    response = client.get("/", {"q": "x" * 5000})
    assert response.status_code == 400
    assert "The address is too long" in response.text


@pytest.mark.parametrize(
    "url", ["/tags/%00/", "/agendas/a%00b/", "/agendas/?q=%00", "/search/?q=a%00"]
)
def test_nul_characters_in_the_address_answer_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.text


def test_the_favicon_address_points_at_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("agendas/favicon.svg")


def test_static_files_carry_the_security_headers_too(client):
    """WhiteNoise answers static files before most middleware; the headers come first."""
    response = client.get("/static/agendas/favicon.svg")

    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_refused_form_gets_the_sites_403_page(client, db):
    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post("/admin/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.text
    assert "Reload the page and try again" in response.text
    assert 'href="/static/agendas/' in response.text  # the site's stylesheet, not Django's
    assert "CSRF" not in response.text  # nothing for developers only
    assert "Content-Security-Policy" in response


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_sends_no_server_banner(tmp_path):
    """`make serve` and the documented command run gunicorn with config/gunicorn.py."""
    port = free_port()
    env = {
        **PRODUCTION_ENV,
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:config.gunicorn"]
        + ["--bind", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        response = None
        deadline = time.monotonic() + 60
        while response is None and time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/robots.txt")
                response = connection.getresponse()
            except OSError:
                time.sleep(0.2)
        assert response is not None, "gunicorn did not answer within 60 s"
        assert response.status == 200
        assert response.getheader("Server") is None
        assert response.getheader("X-Content-Type-Options") == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("trusted", [False, True], ids=["proxy-not-trusted", "proxy-trusted"])
def test_gunicorn_trusts_x_forwarded_proto_only_when_told_to(tmp_path, trusted):
    """Without TRUST_X_FORWARDED_PROTO, a request from this very host claiming https is
    still plain http: the HTTPS redirect answers it."""
    port = free_port()
    env = {
        **PRODUCTION_ENV,
        "HTTPS": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WEB_CONCURRENCY": "1",
        "TRUST_X_FORWARDED_PROTO": "1" if trusted else "0",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:config.gunicorn"]
        + ["--bind", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        response = None
        deadline = time.monotonic() + 60
        while response is None and time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/robots.txt", headers={"X-Forwarded-Proto": "https"})
                response = connection.getresponse()
            except OSError:
                time.sleep(0.2)
        assert response is not None, "gunicorn did not answer within 60 s"
        if trusted:
            assert response.status == 200
        else:
            assert response.status == 301
            assert response.getheader("Location") == f"https://127.0.0.1:{port}/robots.txt"
    finally:
        server.terminate()
        server.wait(timeout=30)
