"""Search text no input can slow down, and no control characters in stored text.

Search (PostgreSQL only). PostgreSQL's text-search parser takes time quadratic in the length
of a run of characters without a space when the run mixes letters with some punctuation
(`_a_a_a…`, `/./.`, `~/~/`): a 20 KB run took 3 s to index and as long again for each
ts_headline of it. `agendas_search_text(text)` puts a space after every 64 characters without
one, so the parser never sees a longer run; everything else reaches it unchanged. The stored
search vectors (0003_search) are regenerated through it, and agendas/search.py passes the
headline's input through it too. Re-adding the columns rewrites each table, which also
moves every existing row's vector into the row (the layout 0014 set for new rows).

Text (both databases). Every text field now refuses C0 control characters other than tab
and newline (agendas/validators.py); rows that already hold one (an Atom feed cannot carry
them) have them removed here.
"""

import importlib

from django.db import migrations

search_0003 = importlib.import_module("agendas.migrations.0003_search")

# Longest run of non-space characters the parser is given: the parse cost of a run grows
# with its length squared, and a word longer than this is no word a reader searches for.
MAX_RUN = 64

FUNCTION = f"""
CREATE OR REPLACE FUNCTION agendas_search_text(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT regexp_replace($1, '[^[:space:]]{{{MAX_RUN}}}', '\\& ', 'g') $$
"""

CONFIG = search_0003.CONFIG


def weighted(weight, *columns):
    text = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
    return f"setweight(to_tsvector({CONFIG}, agendas_search_text({text})), '{weight}')"


# The same fields and weights as 0003_search (tests/test_search.py holds both to agendas/search.py).
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

INDEXES = {
    "agendas_agenda": "CREATE INDEX agenda_search_vector ON agendas_agenda "
    "USING gin (search_vector)",
    "agendas_assumption": "CREATE INDEX assumption_search_vector ON agendas_assumption "
    "USING gin (search_vector)",
    "agendas_critique": "CREATE INDEX critique_search_vector ON agendas_critique "
    "USING gin (search_vector) WHERE status = 'published'",
    "agendas_source": "CREATE INDEX source_search_vector ON agendas_source "
    "USING gin (search_vector)",
}


def vector_columns(vectors):
    statements = []
    for table, parts in vectors.items():
        statements += [
            f"ALTER TABLE {table} DROP COLUMN search_vector",  # and its index
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({' || '.join(parts)}) STORED",
            f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE MAIN",
            INDEXES[table],
        ]
    return statements


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        # Rewriting the big tables may outlast a web request's statement timeout.
        schema_editor.execute("SET LOCAL statement_timeout = 0")
        for statement in statements:
            schema_editor.execute(statement)

    return run


FORWARDS = [FUNCTION, *vector_columns(VECTORS)]
BACKWARDS = [
    *vector_columns(search_0003.VECTORS),
    "DROP FUNCTION IF EXISTS agendas_search_text(text)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("agendas", "0018_editors_handle_suggestions_and_assumption_aliases"),
    ]

    operations = [
        migrations.RunPython(on_postgres(FORWARDS), on_postgres(BACKWARDS), elidable=False),
    ]
