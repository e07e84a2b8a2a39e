"""Send reads to a PostgreSQL read replica when it is current, and writes to the primary.

Enabled by config/settings.py when DATABASE_REPLICA_URL is set (the "replica" alias).

A replica lags the primary: by milliseconds usually, by minutes when replay stalls. No page
may show less than a write that finished before it was requested, whoever made it (an
editor in the admin, a command, another host): the writer would not see their edit, and
the page cache would keep the stale page under the new content generation for everyone.
A time window ("read the primary for 5 s after a write") cannot promise that, since lag
has no bound. So a request reads the replica only when the replica has replayed every
write made before the request began, and the primary otherwise:

- every content write bumps the page cache's content generation once it has committed
  (agendas/changes.py), so a write that finished before a request began is counted in the
  generation that request sees;
- the first request to see a generation asks the primary where its write-ahead log is
  (pg_current_wal_lsn()) and notes it beside the generation in the shared cache: every
  write counted in that generation ends at or before that point;
- a request reads the replica only if the replica has replayed up to that point
  (pg_last_wal_replay_lsn()); otherwise the whole request reads the primary. Each
  process remembers the furthest point the replica has confirmed, so while nothing is
  written this costs two small cache reads and no SQL; after a write, one query on the
  replica per process and one on the primary per generation.

Outside requests (commands, shells) the choice is made at the first read and kept: the
command sees at least what was written before it began. The cache must be shared by every
process (REDIS_URL, which settings require with a replica); a replica that cannot be
reached, or a cache that cannot be read, sends reads to the primary.
Point DATABASE_REPLICA_URL at one replica, or at a pooler that keeps a client on one
server: the replay check holds for the server that answered it.

Three kinds of read always stay on the primary:
- reads inside a transaction on the primary (they must see its own uncommitted writes);
- every read later in a request that has already written (its writes are not yet counted
  in the generation it started with);
- sessions, users, the admin log and login throttling, which are written and read back at
  once and are not content (no generation bump).
"""

import logging
from contextvars import ContextVar

from django.core.cache import cache
from django.core.signals import request_started
from django.db import connections

from agendas.cache import generation as content_generation

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
PRIMARY_ONLY_APPS = {"sessions", "auth", "admin", "axes"}
# The primary's WAL position when a generation was first seen, kept beside the generation.
POSITION_KEY = "replica-needs:{generation}"
POSITION_SECONDS = 24 * 3600

_wrote_in_this_request = ContextVar("wrote_in_this_request", default=False)
# None until the request's first read asks; then PRIMARY or REPLICA for the rest of it.
_reads_go_to = ContextVar("reads_go_to", default=None)


def forget_writes(**kwargs):
    """A new request: nothing written yet, and where reads go is decided afresh."""
    _wrote_in_this_request.set(False)
    _reads_go_to.set(None)


request_started.connect(forget_writes, dispatch_uid="db-router-forget-writes")


# -- WAL positions ---------------------------------------------------------------------------


def lsn_to_int(text):
    """PostgreSQL's pg_lsn text "16/B374D848" as a number that orders like the position."""
    high, low = text.split("/")
    return (int(high, 16) << 32) | int(low, 16)


class ReplicaProgress:
    """The furthest WAL position the replica has confirmed replaying, for this process.
    Replay only moves forward, so once confirmed a position need not be asked again."""

    def __init__(self):
        self.replayed = -1

    def has_reached(self, position, ask_replica):
        if position <= self.replayed:
            return True
        self.replayed = max(self.replayed, ask_replica())
        return position <= self.replayed


replica_progress = ReplicaProgress()


def server_position(alias):
    """Where this server is in the WAL: the replayed point on a replica, the written point on
    a primary (so a "replica" URL pointing at the primary itself counts as current)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
            " ELSE pg_current_wal_lsn() END::text"
        )
        return lsn_to_int(cursor.fetchone()[0])


def position_needed_for(generation):
    """The primary's WAL position at or after every write counted in `generation`."""
    key = POSITION_KEY.format(generation=generation)
    position = cache.get(key)
    if position is None:
        # Asked after the generation existed, so after the writes it counts had committed;
        # whichever request notes it first, any such answer is far enough.
        position = server_position(PRIMARY)
        if not cache.add(key, position, timeout=POSITION_SECONDS):
            position = cache.get(key, position)
    return position


def replica_is_current():
    """Has the replica replayed every write made before this request began?"""
    try:
        needed = position_needed_for(content_generation.current_generation())
        return replica_progress.has_reached(needed, lambda: server_position(REPLICA))
    except Exception:  # the replica, the primary or the cache: read the primary, never fail
        logger.warning("Replica freshness unknown; reading the primary", exc_info=True)
        return False


def reads_go_to():
    where = _reads_go_to.get()
    if where is None:
        where = REPLICA if replica_is_current() else PRIMARY
        _reads_go_to.set(where)
    return where


# -- the router ------------------------------------------------------------------------------


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            model._meta.app_label in PRIMARY_ONLY_APPS
            or _wrote_in_this_request.get()
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return reads_go_to()

    def db_for_write(self, model, **hints):
        _wrote_in_this_request.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data, so rows from either may be related.
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's schema; never migrate it directly.
        return db == PRIMARY
