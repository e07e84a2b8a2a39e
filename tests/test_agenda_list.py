import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agendas.models import Agenda
from tests.builders import (
    make_agenda,
    make_area,
    make_assessor,
    make_criterion,
    make_critique,
    make_problem,
    make_rated_agenda,
    make_rating,
)
from tests.fuzzing import examples
from tests.markup import squash

pytestmark = pytest.mark.django_db


def names(response):
    return [agenda.name for agenda in response.context["rows"]]


def test_it_lists_every_agenda_by_name(client):
    make_agenda(name="Beta")
    make_agenda(name="Alpha")
    response = client.get("/agendas/")
    assert response.status_code == 200
    assert names(response) == ["Alpha", "Beta"]
    assert "2 agendas." in squash(response.text)


def test_text_filter_matches_name_summary_and_description(client):
    make_agenda(name="Debate", summary="Two models argue.")
    make_agenda(name="Other", summary="Nothing", description="Uses a *debate* game.")
    make_agenda(name="Unrelated", summary="Nothing")
    assert names(client.get("/agendas/?q=debate")) == ["Debate", "Other"]


def test_area_filter_includes_sub_areas(client):
    parent = make_area(name="Oversight")
    child = make_area(name="Debate-like", parent=parent)
    make_agenda(name="In parent", area=parent)
    make_agenda(name="In child", area=child)
    make_agenda(name="Elsewhere")
    assert names(client.get(f"/agendas/?area={parent.slug}")) == ["In child", "In parent"]
    assert names(client.get(f"/agendas/?area={child.slug}")) == ["In child"]


def test_tag_filter(client):
    make_agenda(name="Tagged").tags.add("interpretability")
    make_agenda(name="Untagged")
    assert names(client.get("/agendas/?tag=interpretability")) == ["Tagged"]


@pytest.mark.parametrize(
    ("param", "field", "value", "other"),
    [
        ("approach", "broad_approach", "cognitive", "engineering"),
        ("target", "target_case", "worst-case", "average"),
        ("supervision", "supervision", "independent", "relies"),
    ],
)
def test_choice_filters(client, param, field, value, other):
    make_agenda(name="Match", **{field: value})
    make_agenda(name="No match", **{field: other})
    assert names(client.get(f"/agendas/?{param}={value}")) == ["Match"]


def test_problem_filter(client):
    problem = make_problem(number=5)
    make_agenda(name="Addresses it").problems.add(problem)
    make_agenda(name="Does not")
    assert names(client.get("/agendas/?problem=5")) == ["Addresses it"]


def test_minimum_score_on_a_criterion_uses_the_mean_over_assessors(client):
    criterion, other = make_criterion(), make_criterion()
    first, second = make_assessor(), make_assessor()
    make_rated_agenda([criterion, other], [first, second], [[4, 3], [1, 1]], name="Mean 3.5")
    make_rated_agenda([criterion, other], [first, second], [[4, 2], [5, 5]], name="Mean 3")
    make_agenda(name="Unrated")
    url = f"/agendas/?criterion={criterion.slug}&min_score=3.5"
    assert names(client.get(url)) == ["Mean 3.5"]


def test_sort_by_overall_score_is_weighted_and_puts_unrated_last(client):
    heavy, light = make_criterion(weight=3), make_criterion(weight=1)
    assessor = make_assessor()
    # A plain mean of every rating would rank these the other way round.
    make_rated_agenda([heavy, light], [assessor], [[4], [1]], name="Weighted 3.25")
    make_rated_agenda([heavy, light], [assessor], [[3], [5]], name="Weighted 3.5")
    make_rated_agenda([heavy, light], [assessor], [[2], [5]], name="Weighted 2.75")
    make_agenda(name="A unrated")
    response = client.get("/agendas/?sort=score")
    assert names(response) == ["Weighted 3.5", "Weighted 3.25", "Weighted 2.75", "A unrated"]


def test_overall_score_counts_each_criterion_once_however_many_assessors(client):
    one, two = make_criterion(), make_criterion()
    a, b, c = make_assessor(), make_assessor(), make_assessor()
    agenda = make_rated_agenda([one], [a, b, c], [[5, 5, 5]], name="Many raters")
    make_rating(agenda=agenda, criterion=two, assessor=a, score=1)
    # mean of criterion means = (5 + 1) / 2 = 3, not (5+5+5+1)/4 = 4
    assert Agenda.objects.get(pk=agenda.pk).overall_score == pytest.approx(3.0)


def test_sort_by_one_criterion(client):
    criterion = make_criterion()
    assessor = make_assessor()
    make_rated_agenda([criterion], [assessor], [[2]], name="Low")
    make_rated_agenda([criterion], [assessor], [[5]], name="High")
    response = client.get(f"/agendas/?criterion={criterion.slug}&sort=criterion")
    assert names(response) == ["High", "Low"]
    assert criterion.name in response.text  # the column for the chosen criterion


def test_sort_by_number_of_published_critiques(client):
    few, many = make_agenda(name="Few"), make_agenda(name="Many")
    make_critique(agenda=few)
    make_critique(agenda=many)
    make_critique(agenda=many)
    for _ in range(3):
        make_critique(agenda=few, status="submitted")
    assert names(client.get("/agendas/?sort=critiques")) == ["Many", "Few"]


def test_sort_by_ftes_puts_unknown_last(client):
    make_agenda(name="Small", fte_low=1, fte_high=3)
    make_agenda(name="Big", fte_low=20, fte_high=40)
    make_agenda(name="A unknown")
    assert names(client.get("/agendas/?sort=fte")) == ["Big", "Small", "A unknown"]


def test_critique_count_with_ratings_is_not_multiplied_by_joins(client):
    criterion, assessor = make_criterion(), make_assessor()
    agenda = make_rated_agenda([criterion], [assessor], [[3]], name="Rated")
    make_critique(agenda=agenda)
    make_critique(agenda=agenda)
    make_agenda(name="Tagged twice").tags.add("x", "y")
    response = client.get("/agendas/?sort=critiques")
    assert [(a.name, a.critique_count) for a in response.context["rows"]] == [
        ("Rated", 2),
        ("Tagged twice", 0),
    ]


def test_pagination_keeps_the_filters_in_the_links(client):
    for i in range(25):
        make_agenda(name=f"Agenda {i:02d}", broad_approach="cognitive")
    first = client.get("/agendas/?approach=cognitive")
    assert len(names(first)) == 20
    assert "?approach=cognitive&amp;page=2" in first.text
    second = client.get("/agendas/?approach=cognitive&page=2")
    assert names(second) == [f"Agenda {i:02d}" for i in range(20, 25)]


def test_page_beyond_the_last_is_a_404_with_a_message(client):
    make_agenda()
    response = client.get("/agendas/?page=9")
    assert response.status_code == 404
    assert "There is no page 9: the last page is 1." in response.text


@pytest.mark.parametrize(
    "query",
    [
        "area=no-such-area",
        "tag=no-such-tag",
        "approach=magic",
        "target=best",
        "supervision=sometimes",
        "problem=99",
        "criterion=nope",
        "min_score=abc",
        "min_score=9",
        "sort=random",
        "band=5-6",
        "w-nope=1",
        "page=0",
        "page=abc",
        "q=" + "x" * 500,
    ],
)
def test_bad_parameters_answer_400_with_a_message(client, query):
    make_area(slug="real")
    response = client.get(f"/agendas/?{query}")
    assert response.status_code == 400
    assert "We could not read that request" in response.text
    assert 'class="error"' in response.text or "form-errors" in response.text


def test_sorting_by_criterion_needs_a_criterion(client):
    response = client.get("/agendas/?sort=criterion")
    assert response.status_code == 400
    assert "Choose a criterion" in response.text


def test_the_list_is_a_form_to_pick_agendas_to_compare(client):
    make_agenda(slug="debate", name="Debate")
    text = client.get("/agendas/").text
    assert 'action="/compare/"' in text
    assert 'name="a" value="debate"' in text


def test_the_filter_form_is_labelled_and_keeps_its_state(client):
    area = make_area(slug="theory", name="Theory")
    make_agenda(area=area)
    text = client.get("/agendas/?area=theory&q=abc").text
    assert '<label for="id_area">' in text
    assert '<option value="theory" selected>' in text
    assert 'value="abc"' in text


@settings(max_examples=examples(60))
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "area",
                "tag",
                "approach",
                "target",
                "supervision",
                "problem",
                "criterion",
                "min_score",
                "sort",
                "page",
                "band",
            ]
        ),
        st.text(max_size=40),
        max_size=5,
    )
)
def test_no_query_string_gives_a_server_error(client, params):
    response = client.get("/agendas/", params)
    assert response.status_code in (200, 400, 404)


def test_the_score_shown_and_sorted_is_the_stored_overall_score_with_its_confidence(client):
    criterion, assessor = make_criterion(), make_assessor()
    agenda = make_rated_agenda([criterion], [assessor], [[4]], name="Rated")
    agenda.ratings.update(confidence="high")
    response = client.get("/agendas/?sort=score")
    [row] = response.context["rows"]
    assert row.shown_score == Agenda.objects.get(pk=agenda.pk).overall_score == 4
    assert '4.00<span class="small">high confidence</span>' in squash(response.text)


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("under-2", ["Scores 1.5"]),
        ("2-3", ["Scores 2", "Scores 2.5"]),
        ("3-4", ["Scores 3.5"]),
        ("4-and-over", ["Scores 4"]),
    ],
)
def test_the_score_band_filter_uses_the_stored_score_and_includes_its_lower_edge(
    client, band, expected
):
    criterion, first, second = make_criterion(), make_assessor(), make_assessor()
    for scores in ([1, 2], [2, 2], [2, 3], [3, 4], [4, 4]):
        mean = sum(scores) / 2
        label = f"{mean:g}"
        make_rated_agenda([criterion], [first, second], [scores], name=f"Scores {label}")
    make_agenda(name="Unrated")
    assert names(client.get(f"/agendas/?band={band}")) == expected


def test_the_band_filter_is_a_labelled_field_of_the_form(client):
    text = client.get("/agendas/?band=3-4").text
    assert '<label for="id_band">Overall score:</label>' in text
    assert '<option value="3-4" selected>3 to 4</option>' in text
