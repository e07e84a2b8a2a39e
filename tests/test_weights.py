"""A reader's own criterion weights: set in a GET form on the criteria page and the agenda
list, carried in the address, used by the list, the landscape and compare, never stored."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agendas.forms import ReaderWeightsForm
from agendas.models import Agenda, Criterion
from agendas.scoring import Weights, weighted_mean
from tests.builders import make_agenda, make_assessor, make_criterion, make_rated_agenda
from tests.fuzzing import examples
from tests.markup import squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(db):
    """Two criteria and three agendas whose order flips when deception counts most."""
    scales = make_criterion(name="Scales", slug="scales", weight=1)
    deception = make_criterion(name="Robust to deception", slug="deception", weight=1)
    assessor = make_assessor()
    # published (equal weights): Broad 3.5 > Even 3 > Deep 2.5
    # deception x5:               Deep 4.17 > Even 3 > Broad 1.5... see each test
    make_rated_agenda([scales, deception], [assessor], [[5], [2]], name="Broad", slug="broad")
    make_rated_agenda([scales, deception], [assessor], [[3], [3]], name="Even", slug="even")
    make_rated_agenda([scales, deception], [assessor], [[1], [4]], name="Deep", slug="deep")
    return scales, deception


DECEPTION_FIRST = "w-scales=1&w-deception=5"


def names(response):
    return [agenda.name for agenda in response.context["rows"]]


def test_the_criteria_page_shows_the_published_weights_in_a_plain_get_form(client, field):
    text = client.get("/criteria/").text
    form = text[text.index('<form method="get" action="/agendas/"') :]
    form = form[: form.index("</form>")]
    assert '<label for="id_w-scales">Scales</label>' in form
    assert 'name="w-scales" value="1" min="0" max="5"' in form
    assert "published: 1" in form
    assert '<button type="submit" name="sort" value="score">' in form
    assert 'formaction="/"' in form
    assert "<script" not in text


def test_the_criteria_page_keeps_the_readers_weights_and_says_they_are_in_use(client, field):
    text = client.get(f"/criteria/?{DECEPTION_FIRST}").text
    assert 'name="w-deception" value="5"' in text
    assert "Ranked by your own weights" in text
    assert '<a href="/criteria/">Use the published weights</a>' in text


def test_the_list_reranks_by_the_readers_weights_and_shows_their_scores(client, field):
    assert names(client.get("/agendas/?sort=score")) == ["Broad", "Even", "Deep"]
    response = client.get(f"/agendas/?sort=score&{DECEPTION_FIRST}")
    assert names(response) == ["Deep", "Even", "Broad"]
    # (1 x 1 + 5 x 4) / 6 = 3.5; (5 + 5 x 2) / 6 = 2.5
    assert [agenda.shown_score for agenda in response.context["rows"]] == [3.5, 3.0, 2.5]
    assert "3.50" in squash(response.text)
    assert "Ranked by your own weights" in squash(response.text)
    assert "Robust to deception 5" in squash(response.text)


def test_the_readers_score_is_the_one_definition_under_other_weights(client, field):
    weights = {criterion.pk: w for criterion, w in zip(field, (2, 3), strict=True)}
    rows = Agenda.objects.for_list(Weights(weights, is_custom=True))
    for agenda in rows:
        means = {s.criterion_id: s.mean for s in agenda.criterion_scores.all()}
        expected = weighted_mean((means[pk], w) for pk, w in weights.items())
        assert agenda.shown_score == pytest.approx(expected), agenda.name


def test_a_band_filter_uses_the_score_under_the_readers_weights(client, field):
    published = names(client.get("/agendas/?band=3-4"))
    custom = names(client.get(f"/agendas/?band=3-4&{DECEPTION_FIRST}"))
    assert published == ["Broad", "Even"]
    assert custom == ["Deep", "Even"]


def test_the_list_keeps_the_weights_in_its_sort_pagination_and_compare_links(client, field):
    for i in range(25):
        make_agenda(name=f"Filler {i:02d}")
    text = client.get(f"/agendas/?{DECEPTION_FIRST}").text
    assert "w-scales=1&amp;w-deception=5&amp;sort=score" in text
    assert "page=2" in text and re.search(r'href="\?[^"]*w-deception=5[^"]*page=2', text)
    compare_form = text[text.index('<form class="compare-pick"') :]
    assert '<input type="hidden" name="w-deception" value="5">' in compare_form


def test_the_list_form_has_the_weights_fields_open_when_they_are_in_use(client, field):
    plain = client.get("/agendas/").text
    assert '<details class="weights-details">' in plain
    assert 'name="w-scales"' in plain
    custom = client.get(f"/agendas/?{DECEPTION_FIRST}").text
    assert '<details class="weights-details" open>' in custom


def test_the_landscape_reranks_and_links_back_to_the_published_weights(client, field):
    published = client.get("/").context["landscape"]
    custom = client.get(f"/?{DECEPTION_FIRST}")
    assert [p.name for p in published.points] == ["Broad", "Even", "Deep"]
    assert [p.name for p in custom.context["landscape"].points] == ["Deep", "Even", "Broad"]
    assert "Ranked by your own weights" in custom.text
    assert '<a href="/">Use the published weights</a>' in custom.text
    assert "Ranked by your own weights" not in client.get("/").text


def test_compare_shows_the_readers_score_per_column_and_keeps_the_column_order(client, field):
    response = client.get(f"/compare/?a=broad&a=deep&{DECEPTION_FIRST}")
    assert response.status_code == 200
    assert [c["agenda"].slug for c in response.context["columns"]] == ["broad", "deep"]
    [row] = [
        row
        for section in response.context["sections"]
        for row in section.rows
        if row.label == "Overall score, your weights"
    ]
    assert row.cells == ["2.50 / 5", "3.50 / 5"]
    assert "The columns stay in the order you picked them" in response.text
    assert f"a=broad&amp;diff=1&amp;{DECEPTION_FIRST.replace('&', '&amp;')}" not in response.text
    assert "a=broad&amp;a=deep&amp;diff=1&amp;w-scales=1&amp;w-deception=5" in response.text
    published = client.get("/compare/?a=broad&a=deep")
    labels = [row.label for section in published.context["sections"] for row in section.rows]
    assert "Overall score, your weights" not in labels


def test_weights_equal_to_the_published_ones_are_the_published_ones(client, field):
    response = client.get("/agendas/?w-scales=1&w-deception=1")
    assert "Ranked by your own weights" not in response.text
    assert response.context["custom_weights"] is False


def test_a_criterion_left_out_keeps_its_published_weight(client, field):
    scales, deception = field
    form = ReaderWeightsForm({"w-deception": "5"}, Criterion.objects.all())
    assert form.is_valid()
    assert form.weights.by_criterion == {scales.pk: scales.weight, deception.pk: 5}
    assert form.query_items() == [("w-deception", 5)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("w-scales=6", "must be a whole number from 0 to 5"),
        ("w-scales=-1", "must be a whole number from 0 to 5"),
        ("w-scales=2.5", "must be a whole number from 0 to 5"),
        ("w-scales=lots", "must be a whole number from 0 to 5"),
        ("w-scales=0&w-deception=0", "At least one criterion needs a weight above 0"),
        ("w-nothing=2", "There is no criterion “nothing” to weigh"),
    ],
)
@pytest.mark.parametrize("url", ["/", "/landscape/", "/agendas/", "/criteria/", "/compare/"])
def test_weights_that_cannot_be_used_get_a_400_page_with_a_message(
    client, field, url, query, message
):
    if url == "/compare/":
        query += "&a=broad&a=deep"
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_the_400_page_offers_the_form_to_fix_the_weights(client, field):
    text = client.get("/?w-scales=9").text
    assert '<form method="get" action="/"' in text
    assert 'name="w-scales" value="9"' in text
    assert '<a href="/">Use the published weights</a>' in text


def test_nothing_is_stored_for_the_reader(client, field, django_assert_num_queries):
    before = {model: model.objects.count() for model in (Agenda, Criterion)}
    response = client.get(f"/agendas/?{DECEPTION_FIRST}")
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert {model: model.objects.count() for model in before} == before


@settings(max_examples=examples(40))
@given(
    params=st.dictionaries(
        st.sampled_from(["w-scales", "w-deception", "w-", "w-x"]), st.text(max_size=12), max_size=3
    )
)
def test_no_weights_give_a_server_error(client, field, params):
    for url in ("/", "/agendas/", "/criteria/"):
        assert client.get(url, params).status_code in (200, 400)
