"""Send reads to a PostgreSQL read replica and writes to the primary.

Enabled by config/settings.py when DATABASE_REPLICA_URL is set (the "replica" alias).
A replica lags the primary by a little, so three kinds of read stay on the primary:
- reads inside a transaction on the primary (they must see its own uncommitted writes);
- every read later in a request that has already written (read-your-writes: the admin
  saves, then redirects to a page that must show the change);
- sessions, users and login throttling, whose rows are written and read back at once.
"""

from contextvars import ContextVar

from django.core.signals import request_started
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
PRIMARY_ONLY_APPS = {"sessions", "auth", "admin", "axes"}

_wrote_in_this_request = ContextVar("wrote_in_this_request", default=False)


def forget_writes(**kwargs):
    _wrote_in_this_request.set(False)


request_started.connect(forget_writes, dispatch_uid="db-router-forget-writes")


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            model._meta.app_label in PRIMARY_ONLY_APPS
            or _wrote_in_this_request.get()
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        _wrote_in_this_request.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data, so rows from either may be related.
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's schema; never migrate it directly.
        return db == PRIMARY
