"""Search text no input can slow down, and no control characters in stored text.

Search (PostgreSQL only). PostgreSQL's text-search parser takes time quadratic in the length
of a run of characters without a space when the run mixes letters with some punctuation
(`_a_a_a…`, `/./.`, `~/~/`), so a long run tied a worker up on every save and on every
ts_headline of it (docs/performance.md). `agendas_search_text(text)` puts a space after every 64 characters without
one, so the parser never sees a longer run; everything else reaches it unchanged. The stored
search vectors (0003_search) are regenerated through it, and agendas/search.py passes the
headline's input through it too. Re-adding the columns rewrites each table, which also
moves every existing row's vector into the row (the layout 0014 set for new rows).

Text (both databases). Every text field now refuses C0 control characters other than tab
and newline (agendas/validators.py); rows that already hold one (an Atom feed cannot carry
them) have them removed here.
"""

import importlib

import django.core.validators
from django.db import migrations, models

import agendas.markdown
import agendas.models.base

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
            # The new column has no statistics: without them search's plans go wrong.
            f"ANALYZE {table}",
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


# The characters agendas.models.base.NoControlCharacters refuses, but NUL, which PostgreSQL
# cannot store and SQLite rows never got (forms refuse it). A pattern both databases read:
# PostgreSQL's own regular expressions, Python's on SQLite (Django's REGEXP function).
CONTROL = r"[\x01-\x08\x0b\x0c\x0e-\x1f]"


def remove_control_characters(apps, schema_editor):
    """Remove the refused characters from every text column of the app (history included),
    written straight to the rows: the text is otherwise unchanged, so nothing derived from
    it (rendered HTML, which is cleaned the same way, scores) needs to follow."""
    import re

    control = re.compile(CONTROL)
    using = schema_editor.connection.alias
    for model in apps.get_app_config("agendas").get_models():
        fields = [
            field.attname
            for field in model._meta.local_fields
            if isinstance(field, (models.CharField, models.TextField))
        ]
        if not fields:
            continue
        holding = models.Q()
        for name in fields:
            holding |= models.Q(**{f"{name}__regex": CONTROL})
        rows = model._base_manager.using(using).filter(holding)
        for row in rows.values("pk", *fields).iterator():
            cleaned = {
                name: control.sub("", value)
                for name, value in row.items()
                if name != "pk" and isinstance(value, str) and control.search(value)
            }
            model._base_manager.using(using).filter(pk=row["pk"]).update(**cleaned)


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
        migrations.RunPython(remove_control_characters, migrations.RunPython.noop, elidable=False),
        # Every text field refuses control characters (no change to the database).
        migrations.AlterField(
            model_name='agenda',
            name='broad_approach',
            field=models.CharField(blank=True, choices=[('engineering', 'Engineering'), ('behavioural', 'Behavioural science'), ('cognitive', 'Cognitive science'), ('maths-philosophy', 'Maths / philosophy')], max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='description',
            field=models.TextField(blank=True, help_text='Markdown. What the work consists of, with links to its outputs.', max_length=20000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='description_html',
            field=models.TextField(blank=True, editable=False, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='fte_text',
            field=models.CharField(blank=True, help_text='The estimate as the source wrote it.', max_length=100, validators=[agendas.models.base.NoControlCharacters()], verbose_name='FTE estimate as given'),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='funders',
            field=models.TextField(blank=True, help_text='Markdown. Who funds the work, as reported.', max_length=4000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='funders_html',
            field=models.TextField(blank=True, editable=False, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='name',
            field=models.CharField(max_length=200, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='people',
            field=models.TextField(blank=True, help_text='Key people, comma-separated.', max_length=2000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='score_confidence',
            field=models.CharField(blank=True, choices=[('low', 'Low confidence'), ('medium', 'Medium confidence'), ('high', 'High confidence')], editable=False, max_length=10, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='slug',
            field=models.SlugField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='status',
            field=models.CharField(choices=[('active', 'Active'), ('dormant', 'Dormant'), ('graveyard', 'Graveyard')], default='active', max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='summary',
            field=models.CharField(help_text='One sentence in our own words: what the agenda does.', max_length=400, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='supervision',
            field=models.CharField(blank=True, choices=[('relies', 'Relies on human supervision'), ('partly', 'Partly relies on human supervision'), ('independent', 'Does not rely on human supervision')], help_text='Whether the method still needs humans to judge outputs once models outrun them.', max_length=20, validators=[agendas.models.base.NoControlCharacters()], verbose_name='dependence on human supervision'),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='target_case',
            field=models.CharField(blank=True, choices=[('average', 'Average case'), ('pessimistic', 'Pessimistic case'), ('worst-case', 'Worst case'), ('mixed', 'Mixed')], max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='theory_of_change',
            field=models.TextField(blank=True, help_text='Markdown. How success here would make AI go well.', max_length=10000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agenda',
            name='theory_of_change_html',
            field=models.TextField(blank=True, editable=False, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='agendaalias',
            name='name',
            field=models.CharField(help_text='Matched case-insensitively.', max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='area',
            name='description',
            field=models.TextField(blank=True, help_text='One sentence in our own words, shown on the home page and the area filter.', max_length=500, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='area',
            name='name',
            field=models.CharField(max_length=200, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='area',
            name='slug',
            field=models.SlugField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='areaalias',
            name='name',
            field=models.CharField(help_text='Matched case-insensitively.', max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assessor',
            name='caveats',
            field=models.TextField(blank=True, help_text='What readers must know wherever these scores appear. Shown with every score.', max_length=4000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assessor',
            name='kind',
            field=models.CharField(choices=[('person', 'Person'), ('document', 'A document, read by the editors'), ('editors', 'The editors'), ('external', 'A public rater, mapped onto our rubric by the editors')], max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assessor',
            name='mapping_rule',
            field=models.TextField(blank=True, help_text='For a public rater: how its published levels became scores on our criteria, and which of its entries were matched to which agendas. Shown to readers.', max_length=4000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assessor',
            name='name',
            field=models.CharField(max_length=200, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assessor',
            name='slug',
            field=models.SlugField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assessor',
            name='viewpoint',
            field=models.TextField(help_text='Where this assessor is coming from, in a few sentences.', max_length=4000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assumption',
            name='description',
            field=models.TextField(blank=True, help_text='Markdown. What would make it false.', max_length=10000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assumption',
            name='description_html',
            field=models.TextField(blank=True, editable=False, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assumption',
            name='slug',
            field=models.SlugField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assumption',
            name='statement',
            field=models.CharField(help_text='Stated so that it can fail.', max_length=300, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='assumptionalias',
            name='name',
            field=models.CharField(help_text='Matched case-insensitively.', max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='criterion',
            name='guidance_1',
            field=models.TextField(max_length=2000, validators=[agendas.models.base.NoControlCharacters()], verbose_name='what a 1 means'),
        ),
        migrations.AlterField(
            model_name='criterion',
            name='guidance_2',
            field=models.TextField(max_length=2000, validators=[agendas.models.base.NoControlCharacters()], verbose_name='what a 2 means'),
        ),
        migrations.AlterField(
            model_name='criterion',
            name='guidance_3',
            field=models.TextField(max_length=2000, validators=[agendas.models.base.NoControlCharacters()], verbose_name='what a 3 means'),
        ),
        migrations.AlterField(
            model_name='criterion',
            name='guidance_4',
            field=models.TextField(max_length=2000, validators=[agendas.models.base.NoControlCharacters()], verbose_name='what a 4 means'),
        ),
        migrations.AlterField(
            model_name='criterion',
            name='guidance_5',
            field=models.TextField(max_length=2000, validators=[agendas.models.base.NoControlCharacters()], verbose_name='what a 5 means'),
        ),
        migrations.AlterField(
            model_name='criterion',
            name='name',
            field=models.CharField(max_length=200, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='criterion',
            name='question',
            field=models.CharField(max_length=400, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='criterion',
            name='slug',
            field=models.SlugField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='criterionscore',
            name='confidence',
            field=models.CharField(choices=[('low', 'Low confidence'), ('medium', 'Medium confidence'), ('high', 'High confidence')], max_length=10, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='critique',
            name='author',
            field=models.CharField(blank=True, help_text='Whose argument this is (a person or document). Empty only while the critique is merely linked and its author is not known.', max_length=300, validators=[agendas.models.base.NoControlCharacters()], verbose_name='credited author'),
        ),
        migrations.AlterField(
            model_name='critique',
            name='basis',
            field=models.CharField(blank=True, choices=[('full-text', 'the full text'), ('excerpts', 'parts of the full text'), ('abstract', 'the abstract only'), ('account', "another work's account of it")], help_text='What the editors read to write the summary. It never claims more than that text supports.', max_length=10, validators=[agendas.models.base.NoControlCharacters()], verbose_name='summary rests on'),
        ),
        migrations.AlterField(
            model_name='critique',
            name='body',
            field=models.TextField(blank=True, help_text='Markdown. The argument, in our words, with attribution. Empty only while the critique is merely linked.', max_length=20000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='critique',
            name='body_html',
            field=models.TextField(blank=True, editable=False, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='critique',
            name='kind',
            field=models.CharField(blank=True, choices=[('scalability', 'Scalability'), ('tractability', 'Tractability'), ('theory-of-change', 'Theory of change'), ('evidence', 'Evidence'), ('safety', 'Side effects / safety'), ('other', 'Other')], max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='critique',
            name='response',
            field=models.TextField(blank=True, help_text="Markdown. The proponents' reply, if any.", max_length=10000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='critique',
            name='response_html',
            field=models.TextField(blank=True, editable=False, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='critique',
            name='severity_confidence',
            field=models.CharField(blank=True, choices=[('low', 'Low confidence'), ('medium', 'Medium confidence'), ('high', 'High confidence')], help_text='How sure the editors are of the severity they gave.', max_length=10, validators=[agendas.models.base.NoControlCharacters()], verbose_name='confidence in the severity'),
        ),
        migrations.AlterField(
            model_name='critique',
            name='slug',
            field=models.SlugField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='critique',
            name='status',
            field=models.CharField(choices=[('submitted', 'Submitted'), ('published', 'Published'), ('rejected', 'Rejected'), ('linked', 'Linked by the Shallow Review, not yet summarised')], default='submitted', max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='critique',
            name='title',
            field=models.CharField(max_length=300, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='critique',
            name='voice',
            field=models.CharField(blank=True, choices=[('outside', 'From outside the agenda'), ('own', "From the agenda's own people"), ('editors', "The editors' own analysis")], help_text="Outside: people not working on the agenda. Own: the agenda's people stating a limitation or open problem. Editors: our own analysis, credited to the editors and citing what it rests on.", max_length=10, validators=[agendas.models.base.NoControlCharacters()], verbose_name='whose voice'),
        ),
        migrations.AlterField(
            model_name='figure',
            name='dispute',
            field=models.TextField(blank=True, help_text='Filled in when the figure is disputed: by whom and why.', max_length=2000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='figure',
            name='kind',
            field=models.CharField(choices=[('alignment', 'Alignment researchers'), ('capabilities', 'ML / capabilities researchers'), ('staff', 'Total staff'), ('estimate', 'Other estimate')], max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='figure',
            name='label',
            field=models.CharField(max_length=300, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='figure',
            name='note',
            field=models.TextField(blank=True, max_length=2000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='figure',
            name='slug',
            field=models.SlugField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='figure',
            name='unit',
            field=models.CharField(default='people', max_length=50, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='broad_approach',
            field=models.CharField(blank=True, choices=[('engineering', 'Engineering'), ('behavioural', 'Behavioural science'), ('cognitive', 'Cognitive science'), ('maths-philosophy', 'Maths / philosophy')], max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='description',
            field=models.TextField(blank=True, help_text='Markdown. What the work consists of, with links to its outputs.', max_length=20000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='fte_text',
            field=models.CharField(blank=True, help_text='The estimate as the source wrote it.', max_length=100, validators=[agendas.models.base.NoControlCharacters()], verbose_name='FTE estimate as given'),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='funders',
            field=models.TextField(blank=True, help_text='Markdown. Who funds the work, as reported.', max_length=4000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='name',
            field=models.CharField(max_length=200, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='people',
            field=models.TextField(blank=True, help_text='Key people, comma-separated.', max_length=2000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='slug',
            field=models.SlugField(max_length=200, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='status',
            field=models.CharField(choices=[('active', 'Active'), ('dormant', 'Dormant'), ('graveyard', 'Graveyard')], default='active', max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='summary',
            field=models.CharField(help_text='One sentence in our own words: what the agenda does.', max_length=400, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='supervision',
            field=models.CharField(blank=True, choices=[('relies', 'Relies on human supervision'), ('partly', 'Partly relies on human supervision'), ('independent', 'Does not rely on human supervision')], help_text='Whether the method still needs humans to judge outputs once models outrun them.', max_length=20, validators=[agendas.models.base.NoControlCharacters()], verbose_name='dependence on human supervision'),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='target_case',
            field=models.CharField(blank=True, choices=[('average', 'Average case'), ('pessimistic', 'Pessimistic case'), ('worst-case', 'Worst case'), ('mixed', 'Mixed')], max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='theory_of_change',
            field=models.TextField(blank=True, help_text='Markdown. How success here would make AI go well.', max_length=10000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalassumption',
            name='description',
            field=models.TextField(blank=True, help_text='Markdown. What would make it false.', max_length=10000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalassumption',
            name='slug',
            field=models.SlugField(max_length=200, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalassumption',
            name='statement',
            field=models.CharField(help_text='Stated so that it can fail.', max_length=300, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='author',
            field=models.CharField(blank=True, help_text='Whose argument this is (a person or document). Empty only while the critique is merely linked and its author is not known.', max_length=300, validators=[agendas.models.base.NoControlCharacters()], verbose_name='credited author'),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='basis',
            field=models.CharField(blank=True, choices=[('full-text', 'the full text'), ('excerpts', 'parts of the full text'), ('abstract', 'the abstract only'), ('account', "another work's account of it")], help_text='What the editors read to write the summary. It never claims more than that text supports.', max_length=10, validators=[agendas.models.base.NoControlCharacters()], verbose_name='summary rests on'),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='body',
            field=models.TextField(blank=True, help_text='Markdown. The argument, in our words, with attribution. Empty only while the critique is merely linked.', max_length=20000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='kind',
            field=models.CharField(blank=True, choices=[('scalability', 'Scalability'), ('tractability', 'Tractability'), ('theory-of-change', 'Theory of change'), ('evidence', 'Evidence'), ('safety', 'Side effects / safety'), ('other', 'Other')], max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='response',
            field=models.TextField(blank=True, help_text="Markdown. The proponents' reply, if any.", max_length=10000, validators=[agendas.markdown.validate_markdown, agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='severity_confidence',
            field=models.CharField(blank=True, choices=[('low', 'Low confidence'), ('medium', 'Medium confidence'), ('high', 'High confidence')], help_text='How sure the editors are of the severity they gave.', max_length=10, validators=[agendas.models.base.NoControlCharacters()], verbose_name='confidence in the severity'),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='slug',
            field=models.SlugField(max_length=200, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='status',
            field=models.CharField(choices=[('submitted', 'Submitted'), ('published', 'Published'), ('rejected', 'Rejected'), ('linked', 'Linked by the Shallow Review, not yet summarised')], default='submitted', max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='title',
            field=models.CharField(max_length=300, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='voice',
            field=models.CharField(blank=True, choices=[('outside', 'From outside the agenda'), ('own', "From the agenda's own people"), ('editors', "The editors' own analysis")], help_text="Outside: people not working on the agenda. Own: the agenda's people stating a limitation or open problem. Editors: our own analysis, credited to the editors and citing what it rests on.", max_length=10, validators=[agendas.models.base.NoControlCharacters()], verbose_name='whose voice'),
        ),
        migrations.AlterField(
            model_name='historicalrating',
            name='confidence',
            field=models.CharField(choices=[('low', 'Low confidence'), ('medium', 'Medium confidence'), ('high', 'High confidence')], help_text='Low: rated from a summary and a few titles. Medium: from the outputs themselves. High: from a body of results, critiques included, that agree.', max_length=10, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalrating',
            name='rationale',
            field=models.TextField(help_text='Why this score: name the rubric level and what in the source supports it.', max_length=4000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalreliance',
            name='reason',
            field=models.TextField(help_text='Why the agenda needs this assumption.', max_length=2000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='description',
            field=models.TextField(blank=True, help_text='What it is and does, as of the date below.', max_length=2000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='kind',
            field=models.CharField(choices=[('lab', 'AI company'), ('nonprofit', 'Non-profit'), ('academic', 'Academic'), ('government', 'Government'), ('funder', 'Funder'), ('other', 'Other')], default='other', max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='name',
            field=models.CharField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='slug',
            field=models.SlugField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='url',
            field=models.URLField(blank=True, max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https']), agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='problem',
            name='description',
            field=models.TextField(blank=True, help_text='Our short explanation of the problem.', max_length=2000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='problem',
            name='name',
            field=models.CharField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='problem',
            name='slug',
            field=models.SlugField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='rating',
            name='confidence',
            field=models.CharField(choices=[('low', 'Low confidence'), ('medium', 'Medium confidence'), ('high', 'High confidence')], help_text='Low: rated from a summary and a few titles. Medium: from the outputs themselves. High: from a body of results, critiques included, that agree.', max_length=10, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='rating',
            name='rationale',
            field=models.TextField(help_text='Why this score: name the rubric level and what in the source supports it.', max_length=4000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='reliance',
            name='reason',
            field=models.TextField(help_text='Why the agenda needs this assumption.', max_length=2000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='source',
            name='authors',
            field=models.CharField(blank=True, max_length=1000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='source',
            name='kind',
            field=models.CharField(choices=[('paper', 'Paper'), ('post', 'Post'), ('report', 'Report'), ('talk', 'Talk'), ('dataset', 'Dataset'), ('web', 'Web page')], default='paper', max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='source',
            name='note',
            field=models.TextField(blank=True, help_text='What in the source supports our claims.', max_length=2000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='source',
            name='slug',
            field=models.SlugField(max_length=200, unique=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='source',
            name='title',
            field=models.CharField(max_length=500, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='source',
            name='url',
            field=models.URLField(blank=True, max_length=1000, validators=[django.core.validators.URLValidator(schemes=['http', 'https']), agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='email',
            field=models.EmailField(blank=True, help_text='Optional, for a question back. Shown to editors only.', max_length=254, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='kind',
            field=models.CharField(choices=[('correction', 'A correction (something stale or wrong)'), ('critique', 'A critique we should summarise'), ('other', 'Something else')], default='correction', max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='note',
            field=models.TextField(blank=True, help_text='What was done with it (e.g. the critique it became).', max_length=2000, validators=[agendas.models.base.NoControlCharacters()], verbose_name="editors' note"),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='page',
            field=models.CharField(help_text='The page it was sent from.', max_length=500, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='sender',
            field=models.CharField(editable=False, help_text="A keyed digest of the sender's address, for the rate limit only.", max_length=64, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='source_url',
            field=models.URLField(blank=True, help_text="Where the reader's claim can be checked.", max_length=1000, validators=[django.core.validators.URLValidator(schemes=['http', 'https']), agendas.models.base.NoControlCharacters()], verbose_name='source link'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='status',
            field=models.CharField(choices=[('new', 'New'), ('used', 'Used: turned into content'), ('dismissed', 'Dismissed')], default='new', max_length=20, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='text',
            field=models.TextField(help_text='What the reader says, as sent. Never shown publicly.', max_length=4000, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='history_change_reason',
            field=models.CharField(max_length=100, null=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalagenda',
            name='history_type',
            field=models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalassumption',
            name='history_change_reason',
            field=models.CharField(max_length=100, null=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalassumption',
            name='history_type',
            field=models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='history_change_reason',
            field=models.CharField(max_length=100, null=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalcritique',
            name='history_type',
            field=models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalrating',
            name='history_change_reason',
            field=models.CharField(max_length=100, null=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalrating',
            name='history_type',
            field=models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalreliance',
            name='history_change_reason',
            field=models.CharField(max_length=100, null=True, validators=[agendas.models.base.NoControlCharacters()]),
        ),
        migrations.AlterField(
            model_name='historicalreliance',
            name='history_type',
            field=models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1, validators=[agendas.models.base.NoControlCharacters()]),
        ),
    ]
