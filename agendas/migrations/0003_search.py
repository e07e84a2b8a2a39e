"""Search columns and indexes for agendas/search.py, on PostgreSQL only.

- A stored generated `search_vector` tsvector column on each searched table: the name or
  title weighted A, summary-like fields B, bodies C. Stored, because ranking (ts_rank)
  needs each match's vector, and recomputing to_tsvector over long bodies for thousands
  of matches took tens of seconds at 100x the shipped data.
- A GIN index on each column, serving `search_vector @@ websearch_to_tsquery(...)`.
- pg_trgm and GIN trigram indexes on names and titles, serving the typo fallback
  `title %> 'words'` (trigram word similarity).

The columns are deliberately not model fields: SQLite has no tsvector (there, search uses
LIKE and these operations do nothing), and a model field would leak into forms, history
tables, fixtures and exports. agendas.search.StoredVector reads them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CONFIG = "'english'::regconfig"


def weighted(weight, *columns):
    text = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
    return f"setweight(to_tsvector({CONFIG}, {text}), '{weight}')"


VECTORS = {
    "agendas_agenda": [
        weighted("A", "name"),
        weighted("B", "summary"),
        weighted("C", "description", "theory_of_change", "people"),
    ],
    "agendas_assumption": [weighted("A", "statement"), weighted("C", "description")],
    "agendas_critique": [
        weighted("A", "title"),
        weighted("B", "author"),
        weighted("C", "body", "response"),
    ],
    "agendas_source": [weighted("A", "title"), weighted("B", "authors"), weighted("C", "note")],
}

FORWARDS = [
    *(
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({' || '.join(parts)}) STORED"
        for table, parts in VECTORS.items()
    ),
    # Full-text match, one per searched table.
    "CREATE INDEX agenda_search_vector ON agendas_agenda USING gin (search_vector)",
    "CREATE INDEX assumption_search_vector ON agendas_assumption USING gin (search_vector)",
    # Search only ever looks at published critiques.
    "CREATE INDEX critique_search_vector ON agendas_critique USING gin (search_vector) "
    "WHERE status = 'published'",
    "CREATE INDEX source_search_vector ON agendas_source USING gin (search_vector)",
    # Typo fallback on names and titles.
    "CREATE INDEX agenda_name_trgm ON agendas_agenda USING gin (name gin_trgm_ops)",
    "CREATE INDEX assumption_statement_trgm ON agendas_assumption "
    "USING gin (statement gin_trgm_ops)",
    "CREATE INDEX critique_title_trgm ON agendas_critique USING gin (title gin_trgm_ops) "
    "WHERE status = 'published'",
    "CREATE INDEX source_title_trgm ON agendas_source USING gin (title gin_trgm_ops)",
]

BACKWARDS = [
    "DROP INDEX IF EXISTS agenda_name_trgm",
    "DROP INDEX IF EXISTS assumption_statement_trgm",
    "DROP INDEX IF EXISTS critique_title_trgm",
    "DROP INDEX IF EXISTS source_title_trgm",
    # Dropping a column drops its index.
    *(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector" for table in VECTORS),
]


def run_on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class TrigramExtensionOnPostgres(TrigramExtension):
    """Django's operation skips other databases going forwards, but not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("agendas", "0002_moderation_groups"),
    ]

    operations = [
        TrigramExtensionOnPostgres(),
        migrations.RunPython(
            run_on_postgres(FORWARDS), run_on_postgres(BACKWARDS), elidable=False
        ),
    ]
