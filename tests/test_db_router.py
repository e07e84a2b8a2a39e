"""Routing with a read replica: reads to the replica, writes and read-your-writes to the
primary, and migrations only on the primary."""

import pytest
from django.contrib.sessions.models import Session
from django.core.signals import request_started
from django.db import transaction

from agendas.db_routers import PrimaryReplicaRouter, forget_writes
from agendas.models import Agenda, Critique


@pytest.fixture
def router():
    forget_writes()  # a fresh request: nothing written yet
    return PrimaryReplicaRouter()


def test_reads_go_to_the_replica(router):
    assert router.db_for_read(Agenda) == "replica"
    assert router.db_for_read(Critique) == "replica"


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
