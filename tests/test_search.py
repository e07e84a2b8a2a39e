"""Site search at /search/: what it finds, what it hides, facets, odd input, query counts.

Most tests run on both databases. PostgreSQL adds stemming, websearch "or", trigram typo
tolerance and GIN indexes; those tests are skipped on SQLite (which has none of them)
and SQLite's own substring behaviour has its own tests, skipped on PostgreSQL.
"""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agendas import search as search_module
from agendas.models import Agenda, Critique
from agendas.search import KINDS, KINDS_BY_KEY, StoredVector, highlight, search
from tests.builders import (
    make_agenda,
    make_area,
    make_assumption,
    make_critique,
    make_reliance,
    make_source,
)
from tests.markup import squash

URL = reverse("agendas:search")
ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="PostgreSQL-only search feature (stemming, websearch OR, trigrams, GIN indexes); "
    "SQLite's simpler search has its own tests in this file. Run with DATABASE_URL=postgres://",
)
sqlite_only = pytest.mark.skipif(
    ON_POSTGRES, reason="SQLite's substring search; PostgreSQL uses full-text search instead"
)


def hit_titles(response):
    return [hit.title for hit in response.context["page"].object_list]


def kind_counts(response):
    return {facet.kind.key: facet.count for facet in response.context["results"].kind_facets}


# Finding things


def test_empty_query_shows_the_search_page(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Type a word or phrase" in response.text
    assert "results" not in response.context


def test_blank_query_counts_as_empty(client, db):
    response = client.get(URL, {"q": "   "})
    assert response.status_code == 200
    assert "Type a word or phrase" in response.text


def test_it_finds_every_kind_and_links_to_it(client, db):
    agenda = make_agenda(name="Debate", summary="Two models argue and a person judges.")
    assumption = make_assumption(statement="Judges can follow a debate")
    make_reliance(agenda=agenda, assumption=assumption)
    critique = make_critique(agenda=agenda, title="Debate rewards persuasion")
    source = make_source(title="Safety via debate", url="https://example.org/debate")
    response = client.get(URL, {"q": "debate"})
    assert response.status_code == 200
    assert sorted(hit_titles(response)) == sorted(
        ["Debate", "Judges can follow a debate", "Debate rewards persuasion", "Safety via debate"]
    )
    for url in (
        agenda.get_absolute_url(),
        assumption.get_absolute_url(),
        critique.get_absolute_url(),
        source.url,
    ):
        assert f'href="{url}"' in response.text
    assert kind_counts(response) == {"agenda": 1, "assumption": 1, "critique": 1, "source": 1}


def test_it_searches_bodies_and_descriptions(client, db):
    make_agenda(name="Plain name", description="The method trains a **reporter** head.")
    make_critique(title="Another plain title", body="The reporter may learn to imitate.")
    response = client.get(URL, {"q": "reporter"})
    assert sorted(hit_titles(response)) == ["Another plain title", "Plain name"]


def test_it_hides_unpublished_critiques(client, db):
    agenda = make_agenda(name="Amplification")
    make_critique(agenda=agenda, title="Published distillation worry")
    make_critique(agenda=agenda, title="Draft distillation worry", status="submitted")
    make_critique(agenda=agenda, title="Rejected distillation worry", status="rejected")
    response = client.get(URL, {"q": "distillation"})
    assert hit_titles(response) == ["Published distillation worry"]
    assert kind_counts(response)["critique"] == 1
    assert "Draft distillation" not in response.text
    assert "Rejected distillation" not in response.text


def test_every_word_must_match(client, db):
    make_agenda(name="Debate with judges")
    make_agenda(name="Debate alone")
    response = client.get(URL, {"q": "debate judges"})
    assert hit_titles(response) == ["Debate with judges"]


def test_a_quoted_phrase_must_appear_as_written(client, db):
    make_agenda(name="Weak to strong generalisation")
    make_agenda(name="Strong but weak", summary="Strong at first, weak later.")
    response = client.get(URL, {"q": '"weak to strong"'})
    assert hit_titles(response) == ["Weak to strong generalisation"]


def test_a_minus_word_excludes(client, db):
    make_agenda(name="Interpretability of circuits")
    make_agenda(name="Interpretability of features")
    response = client.get(URL, {"q": "interpretability -circuits"})
    assert hit_titles(response) == ["Interpretability of features"]


def test_name_ranks_above_summary_above_body(client, db):
    make_agenda(name="Body match", summary="Nothing here.", description="About honesty.")
    make_agenda(name="Summary match", summary="Training for honesty.")
    make_agenda(name="Honesty", summary="Nothing here either.")
    response = client.get(URL, {"q": "honesty"})
    assert hit_titles(response) == ["Honesty", "Summary match", "Body match"]


# Snippets


def test_snippet_marks_the_match_and_escapes_html(client, db):
    make_critique(
        title="Tricky body",
        body='Look: <script>alert("x")</script> the <b>wormhole</b> argument & more.',
    )
    response = client.get(URL, {"q": "wormhole"})
    hit = response.context["page"].object_list[0]
    assert "<mark>wormhole</mark>" in hit.snippet
    assert "<script" not in hit.snippet and "<b>" not in hit.snippet
    assert "<script>alert" not in response.text


def test_snippet_markers_in_the_text_cannot_open_a_mark(client, db):
    make_agenda(name="Markers", description="odd \ue000 chars \ue001 around the keyword here")
    response = client.get(URL, {"q": "keyword"})
    snippet = response.context["page"].object_list[0].snippet
    assert snippet.count("<mark>") == snippet.count("</mark>") == 1


MARKDOWN_BODY = (
    "[Leike and Wu 2022](https://openai.com/research/oversight "
    '"a > b") and [a note][1] say **reward** models can be _gamed_ by `optimisers` & '
    "<em>friends</em>.\n\n[1]: https://example.org/note"
)


@pytest.mark.parametrize("kind_key", ["agenda", "assumption", "critique"])
def test_snippets_are_plain_text_not_markdown(client, db, kind_key):
    if kind_key == "agenda":
        make_agenda(name="Snippet test", description=MARKDOWN_BODY)
    elif kind_key == "assumption":
        make_assumption(statement="Snippet test", description=MARKDOWN_BODY)
    else:
        make_critique(title="Snippet test", body="Nothing here.", response=MARKDOWN_BODY)
    response = client.get(URL, {"q": "reward"})
    snippet = response.context["page"].object_list[0].snippet
    assert "Leike and Wu 2022 and a note say <mark>reward</mark> models" in snippet
    # What the Markdown says, not how it says it: no link targets, titles or syntax.
    for syntax in ("](", "https://", "openai.com", "a &gt; b", "**", "`", "_gamed_", "[1]"):
        assert syntax not in snippet, syntax
    assert "can be gamed by optimisers" in snippet
    # Entities are decoded once and escaped once: text, not markup, and not doubled.
    assert "&amp;amp;" not in snippet
    # Raw HTML in Markdown is dropped by the renderer: the tags go, their text stays.
    assert "em&gt;" not in snippet and "optimisers &amp; friends" in snippet


def test_snippets_keep_plain_fields_literal(client, db):
    make_agenda(name="Literal", summary="Compares <b> and & in a reward summary.")
    snippet = client.get(URL, {"q": "reward"}).context["page"].object_list[0].snippet
    assert "Compares &lt;b&gt; and &amp; in a" in snippet


def test_snippet_markers_written_as_entities_cannot_open_a_mark(client, db):
    make_agenda(name="Entities", description="odd &#xE000; chars &#57345; around the keyword")
    snippet = client.get(URL, {"q": "keyword"}).context["page"].object_list[0].snippet
    assert snippet.count("<mark>") == snippet.count("</mark>") == 1


def test_snippets_come_from_the_stored_html(client, db):
    """A row's snippet is cut from what was rendered when it was written."""
    agenda = make_agenda(name="Stored", description="The *original* reward text.")
    Agenda.objects.filter(pk=agenda.pk).update(description_html="<p>Stored reward words.</p>")
    snippet = client.get(URL, {"q": "reward"}).context["page"].object_list[0].snippet
    assert "Stored <mark>reward</mark> words" in snippet


def test_highlight_escapes_everything_but_its_marks():
    html = highlight("a <i>b</i> & Needle, needle", ["needle"])
    assert html == "a &lt;i&gt;b&lt;/i&gt; &amp; <mark>Needle</mark>, <mark>needle</mark>"


def test_highlight_cuts_a_window_around_the_first_match():
    text = "filler " * 100 + "needle " + "tail " * 100
    html = highlight(text, ["needle"], width=80)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>needle</mark>" in html
    assert len(html) < 120


def test_highlight_does_not_treat_terms_as_regular_expressions():
    assert highlight("cost (a+b) or ab", ["(a+b)"]) == "cost <mark>(a+b)</mark> or ab"


# Facets and narrowing


@pytest.fixture
def two_areas(db):
    interp = make_area(name="Interpretability", slug="interpretability")
    oversight = make_area(name="Oversight", slug="oversight")
    probes = make_agenda(name="Probes for honesty", area=interp)
    debate = make_agenda(name="Debate for honesty", area=oversight)
    make_critique(agenda=probes, title="Probes find honesty features too easily")
    make_critique(agenda=debate, title="Honesty in debate is not incentivised")
    make_critique(agenda=debate, title="Another honesty worry")
    shared = make_assumption(statement="Honesty is a natural concept")
    make_reliance(agenda=probes, assumption=shared)
    make_reliance(agenda=debate, assumption=shared)
    return interp, oversight


def test_facets_count_by_kind_and_area(client, two_areas):
    response = client.get(URL, {"q": "honesty"})
    assert kind_counts(response) == {"agenda": 2, "assumption": 1, "critique": 3, "source": 0}
    areas = {facet.slug: facet.count for facet in response.context["results"].area_facets}
    # The shared assumption counts once in each area whose agendas rest on it.
    assert areas == {"oversight": 4, "interpretability": 3}
    assert 'href="?q=honesty&amp;kind=critique"' in response.text
    assert 'href="?q=honesty&amp;area=oversight"' in response.text


def test_narrowing_by_kind_keeps_the_other_kind_counts(client, two_areas):
    response = client.get(URL, {"q": "honesty", "kind": "critique"})
    assert len(hit_titles(response)) == 3
    assert {hit.kind.key for hit in response.context["page"].object_list} == {"critique"}
    assert kind_counts(response)["agenda"] == 2
    areas = {facet.slug: facet.count for facet in response.context["results"].area_facets}
    assert areas == {"oversight": 2, "interpretability": 1}


def test_narrowing_by_area_takes_critiques_and_assumptions_of_its_agendas(client, two_areas):
    response = client.get(URL, {"q": "honesty", "area": "interpretability"})
    assert sorted(hit_titles(response)) == [
        "Honesty is a natural concept",
        "Probes find honesty features too easily",
        "Probes for honesty",
    ]
    assert kind_counts(response) == {"agenda": 1, "assumption": 1, "critique": 1, "source": 0}
    assert "in Interpretability" in response.text


def test_area_facets_show_the_busiest_areas_and_the_chosen_one(client, db):
    areas = [make_area(name=f"Area {i:02d}", slug=f"area-{i:02d}") for i in range(14)]
    for i, area in enumerate(areas):
        for _ in range(20 - i):  # area-00 is the busiest
            make_agenda(name="Corrigibility work", area=area)
    shown = client.get(URL, {"q": "corrigibility"}).context["results"].area_facets
    assert [facet.slug for facet in shown] == [f"area-{i:02d}" for i in range(12)]
    chosen = client.get(URL, {"q": "corrigibility", "area": "area-13"})
    assert [f.slug for f in chosen.context["results"].area_facets][-1] == "area-13"
    assert 'href="?q=corrigibility&amp;area=area-13" aria-current="true"' in chosen.text


def test_unknown_area_is_a_clear_400(client, db):
    response = client.get(URL, {"q": "honesty", "area": "no-such-area"})
    assert response.status_code == 400
    assert "There is no such area." in response.text


def test_unknown_kind_is_a_clear_400(client, db):
    response = client.get(URL, {"q": "honesty", "kind": "banana"})
    assert response.status_code == 400
    assert "Narrow by agendas, assumptions, critiques or sources." in response.text


# Pagination


def test_results_are_paginated(client, db):
    area = make_area()
    for i in range(25):
        make_agenda(name=f"Scalable oversight {i:02d}", area=area)
    first = client.get(URL, {"q": "oversight"})
    second = client.get(URL, {"q": "oversight", "page": "2"})
    assert len(hit_titles(first)) == 20 and len(hit_titles(second)) == 5
    assert set(hit_titles(first)).isdisjoint(hit_titles(second))
    assert first.context["results"].total == 25
    assert 'href="?q=oversight&amp;page=2"' in first.text


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999999999999999999999", "1.5"])
def test_a_page_number_that_is_not_one_is_refused_with_a_message(client, db, page):
    make_agenda(name="Oversight")
    response = client.get(URL, {"q": "oversight", "page": page})
    assert response.status_code == 400
    assert response.context["form"].errors["page"]


def test_a_blank_page_number_means_the_first_page(client, db):
    make_agenda(name="Oversight")
    response = client.get(URL, {"q": "oversight", "page": ""})
    assert response.status_code == 200
    assert hit_titles(response) == ["Oversight"]


# Bad and odd input


def test_overlong_query_is_refused_with_a_message(client, db):
    response = client.get(URL, {"q": "a" * 1001})
    assert response.status_code == 400
    assert "Search for at most 1000 characters (1001 given)." in response.text


def test_query_of_exactly_the_limit_is_searched(client, db):
    response = client.get(URL, {"q": "word " * 200})
    assert response.status_code == 200
    assert response.context["results"].total == 0


def test_nul_byte_is_refused_with_a_message(client, db):
    response = client.get(URL + "?q=debate%00")
    assert response.status_code == 400
    assert "NUL character" in response.text


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        '"unclosed phrase',
        "-",
        "--",
        "-debate",
        "or",
        "debate or",
        "! & | : * ( ) < > <-> \\",
        "debate:* & !x",
        "'; DROP TABLE agendas_agenda; --",
        "%_%",
        "<script>alert(1)</script>",
        "the a of",
        "Überwachung 監督 🤖",
        "\u200b\u202e",
        "\ue000\ue001",
        "x" * 1000,
    ],
)
def test_odd_queries_are_answered_cleanly(client, db, query):
    make_agenda(name="Debate", summary="Arguing models.")
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.text


def test_the_query_is_escaped_on_the_page(client, db):
    response = client.get(URL, {"q": "<b>bold</b>"})
    assert "&lt;b&gt;bold&lt;/b&gt;" in response.text
    assert "<b>bold</b>" not in response.text


def test_percent_and_underscore_are_literal(client, db):
    make_agenda(name="Fifty percent", summary="Half of 100% is 50%.")
    make_agenda(name="Other")
    response = client.get(URL, {"q": "100%"})
    assert hit_titles(response) == ["Fifty percent"]
    assert hit_titles(client.get(URL, {"q": "_"})) == []


# Query counts


@pytest.mark.parametrize("size", [2, 30])
def test_search_page_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, size):
    area = make_area(slug="oversight")
    for i in range(size):
        agenda = make_agenda(name=f"Oversight agenda {i}", area=area)
        make_critique(agenda=agenda, title=f"Oversight critique {i}")
        assumption = make_assumption(statement=f"Oversight assumption {i}")
        make_reliance(agenda=agenda, assumption=assumption)
        agenda.sources.add(make_source(title=f"Oversight source {i}"))
    # the counts by kind and by area, the page of ranked hits, their titles and snippets
    with django_assert_num_queries(3):
        response = client.get(URL, {"q": "oversight"})
    assert response.context["results"].total == 4 * size
    # ... plus looking up the area to narrow by (a second page exists with 30 of each)
    page = "2" if size == 30 else "1"
    with django_assert_num_queries(4):
        response = client.get(URL, {"q": "oversight", "area": "oversight", "page": page})
    assert response.status_code == 200


def test_a_search_page_past_the_last_is_a_404_that_says_so(client, db):
    make_agenda(name="Oversight")
    response = client.get(URL, {"q": "oversight", "page": "2"})
    assert response.status_code == 404
    assert "There is no page 2: the last page is 1." in response.text


def test_a_search_with_no_hits_skips_the_page_queries(client, db, django_assert_num_queries):
    make_agenda(name="Debate")
    # the counts (on PostgreSQL twice: exact, then with the typo fallback)
    with django_assert_num_queries(2 if ON_POSTGRES else 1):
        response = client.get(URL, {"q": "nothingmatchesthis"})
    assert "Nothing matched" in response.text


# SQLite's simple search


@sqlite_only
def test_sqlite_matches_parts_of_words(client, db):
    make_agenda(name="Interpretability")
    assert hit_titles(client.get(URL, {"q": "interp"})) == ["Interpretability"]


@sqlite_only
def test_sqlite_treats_or_as_noise_and_needs_every_other_word(client, db):
    make_agenda(name="Debate")
    make_agenda(name="Amplification")
    assert hit_titles(client.get(URL, {"q": "debate or amplification"})) == []


@sqlite_only
def test_sqlite_never_falls_back_to_fuzzy_matching(db):
    make_agenda(name="Interpretability")
    results = search("interpretabilty")
    assert results.total == 0 and not results.is_fuzzy


# PostgreSQL full-text search


@postgres_only
def test_postgres_matches_word_forms(client, db):
    make_agenda(name="Debates between models")
    assert hit_titles(client.get(URL, {"q": "debating"})) == ["Debates between models"]


@postgres_only
def test_postgres_websearch_or(client, db):
    make_agenda(name="Debate")
    make_agenda(name="Amplification")
    make_agenda(name="Unrelated")
    response = client.get(URL, {"q": "debate or amplification"})
    assert sorted(hit_titles(response)) == ["Amplification", "Debate"]


@postgres_only
def test_postgres_falls_back_to_trigrams_for_typos(client, db):
    make_agenda(name="Mechanistic interpretability")
    make_critique(title="Scalable oversight may not scale")
    response = client.get(URL, {"q": "interpretabilty"})
    assert hit_titles(response) == ["Mechanistic interpretability"]
    assert response.context["results"].is_fuzzy
    assert "spelt like your words" in response.text
    assert hit_titles(client.get(URL, {"q": "oversigth"})) == ["Scalable oversight may not scale"]


@postgres_only
@pytest.mark.parametrize("size", [2, 30])
def test_postgres_typo_search_runs_a_fixed_number_of_queries(
    client, db, django_assert_num_queries, size
):
    for i in range(size):
        make_critique(title=f"Interpretability worry {i}")
    # exact counts, fuzzy counts (by kind and area), the page, its snippets
    with django_assert_num_queries(4):
        response = client.get(URL, {"q": "interpretabilty"})
    assert response.context["results"].total == size


@postgres_only
def test_postgres_does_not_fuzz_short_words(db):
    make_agenda(name="The agenda")
    results = search("the")  # a stop word: the full-text query is empty
    assert results.total == 0 and not results.is_fuzzy


@postgres_only
def test_postgres_takes_phrases_and_exclusions_literally(db):
    make_agenda(name="Mechanistic interpretability")
    assert search('"interpretabilty"').total == 0
    assert search("interpretabilty -circuits").total == 0


@postgres_only
def test_postgres_does_not_fuzz_when_exact_matches_are_plenty(db):
    for i in range(3):
        make_agenda(name=f"Debate {i}")
    make_agenda(name="Debater")  # same stem: an exact match, not a fuzzy one
    make_agenda(name="Delegate")  # spelt a bit like "debate", must not appear
    results = search("debate")
    assert not results.is_fuzzy
    assert results.total == 4


@postgres_only
def test_postgres_headline_highlights_stemmed_matches(client, db):
    make_critique(title="On training", body="Models trained on feedback learn to please.")
    response = client.get(URL, {"q": "training"})
    assert "<mark>trained</mark>" in response.context["page"].object_list[0].snippet


@postgres_only
@pytest.mark.parametrize("kind_key", ["agenda", "assumption", "critique", "source"])
def test_postgres_search_uses_the_gin_indexes(db, kind_key):
    """The planner can answer both kinds of match from the migration's GIN indexes."""
    kind = KINDS_BY_KEY[kind_key]
    rows = (
        kind.rows()
        .annotate(r_vector=StoredVector())
        .filter(r_vector=search("x").engine.query)
        .values("pk")
    )
    fuzzy = kind.rows().filter(**{f"{kind.title}__trigram_word_similar": "oversigth"}).values("pk")
    with connection.cursor() as cursor:
        # Tables are tiny here, so make the planner show which index it could use. The
        # btrees holding status (critique_published_recent, critique_public_newest,
        # critique_agenda_status) would otherwise win for critiques; the test's transaction
        # rolls the DROPs back.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for index in ["published_recent", "public_newest", "agenda_status"]:
            cursor.execute(f"DROP INDEX critique_{index}")
        title_index = {"agenda": "name", "assumption": "statement"}.get(kind_key, "title")
        fuzzy_plan = fuzzy.explain()
        # On tiny tables the trigram index can look as cheap as the vector's; set it aside
        # to see whether the full-text match can use its own index.
        cursor.execute(f"DROP INDEX {kind_key}_{title_index}_trgm")
        vector_plan = rows.explain()
    assert f"{kind_key}_search_vector" in vector_plan
    assert f"{kind_key}_{title_index}_trgm" in fuzzy_plan


@postgres_only
def test_postgres_has_the_trigram_extension(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)


VECTOR_MIGRATIONS = ["0003_search", "0019_search_runs_capped_and_no_control_characters"]


@pytest.mark.parametrize("name", VECTOR_MIGRATIONS)
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_stored_vectors_weigh_the_fields_the_search_names(kind, name):
    """Migrations 0003 and 0019 define the columns in SQL; they must follow each Kind."""
    migration = importlib.import_module(f"agendas.migrations.{name}")
    expected = [migration.weighted("A", kind.title)]
    if kind.summary:
        expected.append(migration.weighted("B", *kind.summary))
    expected.append(migration.weighted("C", *kind.body))
    assert migration.VECTORS[kind.model._meta.db_table] == expected


# Text that would make PostgreSQL's parser slow (quadratic in the longest run without a space)
SLOW_RUNS = ["_a" * 10_000, "/." * 10_000, "~/" * 10_000, "a-b." * 5_000]


def longest_run(text):
    return max((len(run) for run in text.split()), default=0)


def test_the_query_reaches_the_parser_in_short_runs():
    for payload in SLOW_RUNS:
        broken = search_module.break_runs(payload)
        assert longest_run(broken) == search_module.MAX_RUN
        assert broken.replace(" ", "") == payload
    assert search_module.break_runs("scalable oversight") == "scalable oversight"


def test_the_sql_function_breaks_runs_as_the_python_does():
    migration = importlib.import_module(
        "agendas.migrations.0019_search_runs_capped_and_no_control_characters"
    )
    assert migration.MAX_RUN == search_module.MAX_RUN


@postgres_only
@pytest.mark.parametrize("payload", SLOW_RUNS, ids=["underscores", "slash-dot", "tilde", "hyphen"])
def test_postgres_never_parses_a_long_run(db, payload):
    with connection.cursor() as cursor:
        cursor.execute("SELECT agendas_search_text(%s)", [payload])
        (broken,) = cursor.fetchone()
    assert longest_run(broken) == search_module.MAX_RUN
    assert broken.replace(" ", "") == payload


@postgres_only
def test_postgres_stored_vectors_and_headlines_go_through_the_run_breaker(client, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, pg_get_expr(adbin, adrelid) FROM pg_attrdef "
            "JOIN pg_attribute ON attrelid = adrelid AND attnum = adnum "
            "WHERE attname = 'search_vector'"
        )
        expressions = dict(cursor.fetchall())
    assert set(expressions) == {kind.model._meta.db_table for kind in KINDS}
    for table, expression in expressions.items():
        assert expression.count("to_tsvector(") == expression.count("agendas_search_text("), table

    make_critique(title="Underscores", body="_a" * 4_500 + " oversight")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "oversight " + "_a" * 400})
    assert response.status_code == 200
    headline = next(q["sql"] for q in queries.captured_queries if "ts_headline" in q["sql"])
    assert "ts_headline('english'::regconfig, agendas_search_text(" in headline


def test_past_the_candidates_counts_are_capped_and_the_page_says_so(client, db, monkeypatch):
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    for i in range(5):
        make_critique(title=f"Oversight {i}")
    make_agenda(name="Oversight agenda")
    response = client.get(URL, {"q": "oversight"})
    counts = {f.kind.key: (f.count, f.is_capped) for f in response.context["results"].kind_facets}
    assert counts["critique"] == (3, True)
    assert counts["agenda"] == (1, False)
    assert response.context["results"].total == 4
    ranked = response.context["results"]._ranked()
    assert sorted(row["r_kind"] for row in ranked) == ["agenda", *["critique"] * 3]
    assert len(hit_titles(response)) == 4
    assert "More than 4 results" in squash(response.text)
    assert "only the first 3 of each kind found are counted and ranked" in squash(response.text)
    assert '<span class="search-count">3+</span>' in squash(response.text)

    below = client.get(URL, {"q": "oversight agenda"})
    assert not below.context["results"].is_capped
    assert "counted and ranked" not in squash(below.text)


def test_text_edits_are_searchable_at_once(client, db):
    critique = make_critique(title="Plain", body="Nothing yet.")
    critique.body = "Now about gradient hacking."
    critique.decide(Critique.Status.PUBLISHED, None)  # an editor publishes the new text
    critique.save()
    assert hit_titles(client.get(URL, {"q": "gradient hacking"})) == ["Plain"]


@postgres_only
def test_postgres_keeps_search_vectors_in_the_row(db):
    """Migration 0014: a vector stored out of line cost a TOAST fetch per match."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstorage FROM pg_attribute "
            "WHERE attname = 'search_vector' AND attrelid::regclass::text LIKE 'agendas_%'"
        )
        storage = dict(cursor.fetchall())
    assert storage == {
        "agendas_agenda": "m",
        "agendas_assumption": "m",
        "agendas_critique": "m",
        "agendas_source": "m",
    }
