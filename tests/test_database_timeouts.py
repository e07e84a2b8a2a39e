"""A database that hangs gives the site's own 503 within seconds, never a hung worker.

The hung database is real: a TCP listener in a thread that accepts connections and never
answers. A statement stuck behind a lock is real too (PostgreSQL only): another connection
holds the table while the page asks for it.
"""

import contextlib
import socket
import threading

import psycopg
import pytest
from django.db import connection, connections
from django.db.utils import ConnectionHandler
from django.urls import reverse

from config.env import env_database, with_timeouts
from tests.builders import make_critique

ON_POSTGRES = connection.vendor == "postgresql"
# Only a bound for a broken test: the listener hangs up by itself after this, and a test
# whose request was still waiting then fails.
SAFETY_SECONDS = 30


class SilentDatabase:
    """A listener on a free port that accepts connections and never sends a byte."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.peer = None
        self.hung_up_on_the_client = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sock.close()
        if self.peer is not None:
            # Ends the thread's wait, unless the client hung up and the thread closed it first.
            with contextlib.suppress(OSError):
                self.peer.shutdown(socket.SHUT_RDWR)
        self.thread.join(timeout=SAFETY_SECONDS + 5)

    def _serve(self):
        self.sock.settimeout(SAFETY_SECONDS)
        try:
            peer, _ = self.sock.accept()
        except OSError:
            return
        self.accepted += 1
        self.peer = peer
        peer.settimeout(SAFETY_SECONDS)
        with peer:
            try:
                while peer.recv(1024):  # the startup message; never answered
                    pass
            except TimeoutError:
                self.hung_up_on_the_client.set()
            except OSError:
                pass


@pytest.fixture
def default_database_is(django_db_blocker):
    """Point the default connection at another server for the test, as settings would."""
    saved = connections["default"]

    def point_at(url, **timeouts):
        config = with_timeouts(env_database("DATABASE_URL_UNDER_TEST", url), **timeouts)
        connections["default"] = ConnectionHandler({"default": config})["default"]

    with django_db_blocker.unblock():
        yield point_at
        connections["default"].close()
    connections["default"] = saved


def test_postgres_connections_have_both_timeouts():
    config = with_timeouts(
        env_database("UNSET_URL", "postgres://u:p@db:5432/agendas?options=-c%20search_path%3Dx"),
        connect=3,
        statement=7,
    )
    assert config["OPTIONS"]["connect_timeout"] == 3
    assert config["OPTIONS"]["options"] == "-c search_path=x -c statement_timeout=7000"
    unlimited = with_timeouts(env_database("UNSET_URL", "postgres://db/a"), connect=3, statement=0)
    assert "options" not in unlimited["OPTIONS"]
    sqlite = with_timeouts(env_database("UNSET_URL", "sqlite:///x.db"), connect=3, statement=7)
    assert "connect_timeout" not in sqlite.get("OPTIONS", {})


def test_the_settings_read_both_timeouts_from_the_environment(settings):
    assert settings.DATABASE_CONNECT_TIMEOUT >= 1
    if ON_POSTGRES:
        options = settings.DATABASES["default"]["OPTIONS"]
        assert options["connect_timeout"] == settings.DATABASE_CONNECT_TIMEOUT


def test_a_database_that_never_answers_gives_the_sites_503(client, default_database_is):
    with SilentDatabase() as database:
        default_database_is(
            f"postgres://agendas:agendas@127.0.0.1:{database.port}/agendas",
            connect=1,
            statement=1,
        )
        response = client.get(reverse("agendas:agenda_list"), {"sort": "name"})
        # The request reached the silent server and gave up by itself while the server was
        # still holding the connection open.
        assert database.accepted == 1
        assert not database.hung_up_on_the_client.is_set()
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.text
    assert response["Retry-After"] == "30"
    # The site's own page, with the headers every page carries.
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_healthz_reports_a_database_that_never_answers(client, default_database_is):
    with SilentDatabase() as database:
        default_database_is(
            f"postgres://agendas:agendas@127.0.0.1:{database.port}/agendas",
            connect=1,
            statement=1,
        )
        response = client.get("/healthz")
        assert database.accepted == 1
        assert not database.hung_up_on_the_client.is_set()
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"


postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="statement timeouts are PostgreSQL's; run with DATABASE_URL=postgres://"
)


@postgres_only
def test_postgres_requests_run_under_the_statement_timeout(db, settings):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')::interval")
        (value,) = cursor.fetchone()
    assert value.total_seconds() == settings.DATABASE_STATEMENT_TIMEOUT > 0


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_a_search_stuck_on_a_lock_gives_a_503(client):
    make_critique(title="Oversight fails")
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as holder:
        holder.execute("LOCK TABLE agendas_critique IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 200")  # shorter, for this test only
        try:
            response = client.get(reverse("agendas:search"), {"q": "oversight"})
        finally:
            holder.rollback()
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")  # back to the connection's setting
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.text
