"""The documented backup and restore (docs/backup.md) restores everything into an empty database."""

import io
import re
import subprocess

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from agendas.models import Critique
from tests.builders import make_critique, make_rating, make_reliance

DUMP_EXCLUDES = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def build_content():
    reliance = make_reliance()
    make_critique(agenda=reliance.agenda, assumption=reliance.assumption, body="**Bold** claim")
    make_critique(agenda=reliance.agenda, status=Critique.Status.SUBMITTED)
    make_rating(agenda=reliance.agenda, score=2)
    reliance.agenda.tags.add("oversight", "theory")


def at_millisecond_precision(dumped):
    """Django's JSON serialiser keeps timestamps to the millisecond, so ``12:00:00.000Z``
    (a time with a few microseconds) restores as ``12:00:00Z``: the same instant to the ms."""
    return re.sub(r"\.000(Z|[+-]\d\d:\d\d)\"", r'\1"', dumped)


def dump():
    out = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=DUMP_EXCLUDES,
        indent=1,
        stdout=out,
    )
    return out.getvalue()


# flush truncates tables, so not inside a transaction (pytest-django runs such tests after
# the others, so the groups that migrations create are gone only for later transactional tests).
@pytest.mark.django_db(transaction=True)
def test_dumpdata_backup_restores_into_an_empty_database(tmp_path):
    build_content()
    backup = tmp_path / "agendas.json"
    before = dump()
    backup.write_text(before)
    call_command("flush", interactive=False, verbosity=0)
    assert Critique.objects.count() == 0
    call_command("loaddata", str(backup), verbosity=0)
    assert at_millisecond_precision(dump()) == at_millisecond_precision(before)
    assert Critique.objects.count() == 2


def table_fingerprints(dsn):
    """Row count and an order-independent hash of every table's rows."""
    with psycopg.connect(dsn) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f'FROM "{table}" t'
            ).fetchone()
            for table in tables
        }


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump/pg_restore need PostgreSQL: this runs in CI's PostgreSQL pass (DATABASE_URL)",
)
def test_pg_dump_backup_restores_into_an_empty_database(transactional_db, tmp_path):
    build_content()
    params = connection.get_connection_params()
    host = params.get("host") or "127.0.0.1"
    port = params.get("port") or 5432
    base = f"postgresql://{params['user']}:{params.get('password', '')}@{host}:{port}"
    source_dsn = f"{base}/{params['dbname']}"
    restored = f"{params['dbname']}_restored"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        dump_file = tmp_path / "agendas.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump_file}", source_dsn],
            check=True,
            timeout=120,
        )
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={base}/{restored}",
                str(dump_file),
            ],
            check=True,
            timeout=120,
        )
        original = table_fingerprints(source_dsn)
        assert original["agendas_critique"][0] == 2
        assert table_fingerprints(f"{base}/{restored}") == original
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
