"""Routing with a read replica: reads go to the replica only when it has replayed every
write made before the request began; writes, reads after a write and reads in a transaction
go to the primary; migrations only to the primary.

The replica's WAL position is the one thing faked here (`positions`); tests/test_replica.py
runs the same router against a real streaming replica.
"""

import uuid

import pytest
from django.contrib.sessions.models import Session
from django.core.signals import request_started
from django.db import connection, transaction

from agendas import db_routers
from agendas.cache import generation as cache_generation
from agendas.db_routers import PrimaryReplicaRouter, forget_writes, lsn_to_int
from agendas.models import Agenda, Critique


@pytest.fixture
def positions(monkeypatch, settings):
    """The servers' WAL positions, as the router would read them, and who was asked."""
    if "Redis" in settings.CACHES["default"]["BACKEND"]:
        # Other test runs may share this Redis database and bump the generation mid-test.
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        }
    state = {"default": 100, "replica": 100, "asked": []}

    def server_position(alias):
        state["asked"].append(alias)
        return state[alias]

    monkeypatch.setattr(db_routers, "server_position", server_position)
    monkeypatch.setattr(db_routers, "replica_progress", db_routers.ReplicaProgress())
    cache_generation.bump_generation()  # a generation no earlier test has noted a position for
    return state


@pytest.fixture
def router(positions):
    forget_writes()  # a fresh request: nothing written yet
    return PrimaryReplicaRouter()


def new_request():
    """What request_started does for the router (test_the_next_request_reads_the_replica_again
    sends the signal itself; sending it here would close the test's database connection)."""
    forget_writes()


def someone_writes(positions, to):
    """A write elsewhere: the primary moves on, and the content generation is bumped."""
    positions["default"] = to
    cache_generation.bump_generation()


def test_reads_go_to_a_current_replica(router):
    assert router.db_for_read(Agenda) == "replica"
    assert router.db_for_read(Critique) == "replica"


def test_reads_go_to_the_primary_while_the_replica_has_not_replayed_an_earlier_write(
    router, positions
):
    someone_writes(positions, to=200)
    new_request()

    assert router.db_for_read(Agenda) == "default"


def test_reads_return_to_the_replica_once_it_has_caught_up(router, positions):
    someone_writes(positions, to=200)
    new_request()
    assert router.db_for_read(Agenda) == "default"

    positions["replica"] = 200
    new_request()

    assert router.db_for_read(Agenda) == "replica"


def test_a_request_keeps_one_database_for_all_its_reads(router, positions):
    assert router.db_for_read(Agenda) == "replica"
    someone_writes(positions, to=200)  # during the request: it may keep its snapshot

    assert router.db_for_read(Critique) == "replica"


def test_nothing_is_asked_again_while_nothing_is_written(router, positions):
    router.db_for_read(Agenda)
    asked = list(positions["asked"])

    for _ in range(3):
        new_request()
        router.db_for_read(Agenda)

    assert asked == ["default", "replica"]  # where the generation starts; how far replayed
    assert positions["asked"] == asked


def test_the_primary_is_asked_once_per_generation_not_once_per_request(router, positions):
    someone_writes(positions, to=200)
    for _ in range(3):
        new_request()
        router.db_for_read(Agenda)

    assert positions["asked"].count("default") == 1


def test_reads_go_to_the_primary_when_the_replica_cannot_be_asked(router, positions):
    del positions["replica"]  # asking it raises, as an unreachable server would

    assert router.db_for_read(Agenda) == "default"


def test_reads_go_to_the_primary_when_the_cache_cannot_be_read(router, monkeypatch):
    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache_generation, "current_generation", broken)

    assert router.db_for_read(Agenda) == "default"


def test_writes_go_to_the_primary(router):
    assert router.db_for_write(Agenda) == "default"


def test_after_a_write_the_rest_of_the_request_reads_the_primary(router):
    router.db_for_write(Critique)

    assert router.db_for_read(Agenda) == "default"


def test_the_next_request_reads_the_replica_again(router, transactional_db):
    router.db_for_write(Critique)

    request_started.send(sender=None)

    assert router.db_for_read(Agenda) == "replica"


def test_reads_inside_a_transaction_stay_on_the_primary(router, db):
    with transaction.atomic():
        assert router.db_for_read(Agenda) == "default"


def test_sessions_are_read_from_the_primary(router):
    assert router.db_for_read(Session) == "default"


def test_only_the_primary_is_migrated(router):
    assert router.allow_migrate("default", "agendas")
    assert not router.allow_migrate("replica", "agendas")


def test_rows_from_primary_and_replica_may_be_related(router):
    agenda, critique = Agenda(), Critique()
    agenda._state.db, critique._state.db = "default", "replica"

    assert router.allow_relation(agenda, critique)


def test_wal_positions_order_as_numbers():
    assert lsn_to_int("0/3000060") == 0x3000060
    assert lsn_to_int("1/0") > lsn_to_int("0/FFFFFFFF")
    assert lsn_to_int("16/B374D848") < lsn_to_int("16/B374D849")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="WAL positions are PostgreSQL's (DATABASE_URL)"
)
def test_the_primary_position_moves_past_a_committed_write(transactional_db):
    from tests.builders import make_agenda

    before = db_routers.server_position("default")
    make_agenda()

    assert db_routers.server_position("default") > before


def test_a_replica_without_a_shared_cache_is_refused():
    from tests.test_settings import load_settings

    result = load_settings(DATABASE_REPLICA_URL="postgres://127.0.0.1/agendas")

    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs REDIS_URL" in result.stderr
