"""Property-based tests: whatever arrives in a URL, no public page answers with a 5xx.

Hypothesis throws arbitrary query strings, slugs, page numbers, sort keys, compare selections
and search strings at every public URL. A 500 raises inside the test client, so any crash fails
with the example that caused it.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import make_critique, make_rating, make_reliance
from tests.fuzzing import examples

FUZZ = settings(max_examples=examples(150))
# Parameter names the pages read, plus whatever else Hypothesis invents.
KNOWN_PARAMS = [
    "q",
    "area",
    "tag",
    "approach",
    "broad_approach",
    "target_case",
    "supervision",
    "problem",
    "criterion",
    "min_score",
    "sort",
    "order",
    "page",
    "a",
    "diff",
    "kind",
    "severity",
    "voice",
    "basis",
    "reply",
    "assumption",
    "agenda",
    "type",
    "status",
    "band",
    "w-",
]
LIST_PAGES = [
    "agendas:home",
    "agendas:landscape",
    "agendas:agenda_list",
    "agendas:compare",
    "agendas:assumption_list",
    "agendas:critique_list",
    "agendas:disagreement_list",
    "agendas:agenda_list_json",
    "agendas:compare_json",
    "agendas:criterion_list",
    "agendas:problem_list",
    "agendas:organisation_list",
    "agendas:tag_list",
    "agendas:search",
    "agendas:suggest",
]
SLUG_PAGES = [
    "/agendas/{}/",
    "/agendas/{}/feed/",
    "/agendas/{}.json",
    "/agendas/{}/suggest/",
    "/assumptions/{}/",
    "/critiques/{}/",
    "/criteria/{}/",
    "/organisations/{}/",
    "/tags/{}/",
]

text = st.text(st.characters(codec="utf-8"), max_size=300)
values = st.one_of(
    text,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "-1", "1e9", "NaN", "null", "' OR 1=1 --", "%00", "\x00", "😀" * 50]),
    st.sampled_from(["rlhf", "agenda-known", "name", "-name", "score", "critiques", "fte"]),
)
params = st.lists(st.tuples(st.one_of(st.sampled_from(KNOWN_PARAMS), text), values), max_size=12)


@pytest.fixture
def some_content(db):
    reliance = make_reliance()
    agenda = reliance.agenda
    agenda.slug = "agenda-known"
    agenda.save()
    agenda.tags.add("oversight")
    make_critique(agenda=agenda, assumption=reliance.assumption)
    make_rating(agenda=agenda)
    return agenda


def assert_no_server_error(client, url, data=None):
    response = client.get(url, data or {})
    assert response.status_code < 500, (url, data, response.status_code)


@FUZZ
@given(page=st.sampled_from(LIST_PAGES), query=params)
def test_list_pages_never_answer_5xx(client, some_content, page, query):
    url = reverse(page)
    query_string = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
    assert_no_server_error(client, f"{url}?{query_string}")


@FUZZ
@given(pattern=st.sampled_from(SLUG_PAGES), slug=text)
def test_slug_pages_never_answer_5xx(client, some_content, pattern, slug):
    assert_no_server_error(client, pattern.format(quote(slug, safe="")))


@FUZZ
@given(
    selection=st.lists(st.one_of(st.just("agenda-known"), text), max_size=10),
    diff=st.one_of(st.none(), values),
)
def test_compare_never_answers_5xx(client, some_content, selection, diff):
    data = {"a": selection}
    if diff is not None:
        data["diff"] = diff
    assert_no_server_error(client, reverse("agendas:compare"), data)


@FUZZ
@given(q=st.text(max_size=1500), page=values, kind=values)
def test_search_never_answers_5xx(client, some_content, q, page, kind):
    assert_no_server_error(client, reverse("agendas:search"), {"q": q, "page": page, "type": kind})


@FUZZ
@given(
    fields=st.dictionaries(
        st.one_of(st.sampled_from(["kind", "text", "source_url", "email", "website"]), text),
        values,
        max_size=8,
    ),
    came_from=values,
)
def test_suggestions_never_answer_5xx_nor_store_what_the_form_refuses(
    client, some_content, fields, came_from
):
    from agendas.models import Suggestion

    before = Suggestion.objects.count()
    url = f"/agendas/agenda-known/suggest/?from={quote(came_from, safe='')}"
    response = client.post(url, fields, REMOTE_ADDR=f"203.0.113.{before % 250}")
    assert response.status_code < 500, (fields, response.status_code)
    stored = Suggestion.objects.count() - before
    assert stored == (1 if response.status_code == 302 and not fields.get("website") else 0)
