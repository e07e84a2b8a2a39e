"""Keep each row's search vector in the row itself, on PostgreSQL.

A critique row (title, Markdown body, its HTML, the vector) passes PostgreSQL's 2 KB TOAST
threshold, and the vector, as large as the body, went out of line like the text. Every
search then fetched and decompressed one TOAST chunk per match to test and rank it: a
common word matching 32,000 of the 100x demo's 50,000 critiques took 450 ms to count.
With STORAGE MAIN, PostgreSQL moves the long text out of line first and keeps the vector
(1.2 KB on average, at most 2 KB there) in the row: the same count takes 80 ms
(docs/performance.md).

The setting applies to rows written from now on. A database that already holds many rows
gets the new layout for all of them with `VACUUM FULL` on these tables (it locks each
table while it rewrites it); the shipped content is small enough that it makes no
difference.
"""

from django.db import migrations

TABLES = ("agendas_agenda", "agendas_assumption", "agendas_critique", "agendas_source")


def storage(strategy):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite has no search_vector column (migration 0003)
        for table in TABLES:
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE {strategy}"
            )

    return alter


class Migration(migrations.Migration):
    dependencies = [
        ("agendas", "0013_critique_indexes"),
    ]

    operations = [
        migrations.RunPython(storage("MAIN"), storage("EXTENDED"), elidable=False),
    ]
