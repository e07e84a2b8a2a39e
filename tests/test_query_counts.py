"""Every page of site part A renders in a fixed number of queries, whatever the data size.

Each test runs at two sizes (the landscape builder makes agendas with ratings by several
assessors, assumptions, critiques, tags, problems, organisations and sources).
"""

import pytest

from agendas.views.pages import HOME_PER_AREA
from tests.builders import make_landscape

SIZES = [3, 12]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-agendas")
def landscape(request, db):
    return make_landscape(agendas=request.param, criteria=4, assessors=3, critiques=3)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def test_home(client, landscape, django_assert_num_queries):
    # agendas with area, scores, disagreement and critique count, the best few per area (was
    # 4: their ratings were a second query, now the database summarises them); headcount
    # figures with organisation and source; latest critiques with agenda
    with django_assert_num_queries(3):
        get(client, "/")


def test_home_when_areas_hold_more_agendas_than_it_shows(client, db, django_assert_num_queries):
    make_landscape(agendas=2 * HOME_PER_AREA + 4, criteria=4, assessors=3, critiques=1)
    with django_assert_num_queries(3):
        response = get(client, "/")
    assert [more for _, _, more in response.context["landscape"]] == [2, 2]


def test_agenda_list(client, landscape, django_assert_num_queries):
    # form choices: areas, problems, criteria, tags; count; page of agendas with scores;
    # their tags; their ratings; their stored criterion scores
    with django_assert_num_queries(9):
        get(client, "/agendas/")


def test_agenda_list_filtered_and_sorted(client, landscape, django_assert_num_queries):
    criterion = landscape[0].ratings.first().criterion
    url = f"/agendas/?criterion={criterion.slug}&min_score=1&sort=criterion&tag=tag-0&problem=1"
    with django_assert_num_queries(9):
        response = get(client, url)
    assert response.context["rows"]


def test_agenda_detail(client, landscape, django_assert_num_queries):
    # agenda with area, parent, FTE source; aliases; children; problems; organisations;
    # sources; tags; ratings; stored criterion scores; reliances; the other agendas'
    # reliances on the same assumptions; published critiques; the rubric's criteria; related
    # agendas ranked in one query (agendas/related.py), and the orthodox problems they share
    with django_assert_num_queries(15):
        get(client, landscape[-1].get_absolute_url())


def test_compare(client, landscape, django_assert_num_queries):
    query = "&".join(f"a={agenda.slug}" for agenda in landscape[:3])
    # areas for the picker's narrowing form; agendas with area; problems; organisations;
    # ratings; stored criterion scores; reliances; criteria; published critique counts by
    # agenda and severity; the agendas the picker offers, with their areas (bounded)
    with django_assert_num_queries(10):
        get(client, f"/compare/?{query}")
    with django_assert_num_queries(10):
        get(client, f"/compare/?{query}&diff=1&area={landscape[0].area.slug}&q=agenda")


def test_compare_picker(client, landscape, django_assert_num_queries):
    # areas for the narrowing form; the agendas offered, with their areas (bounded)
    with django_assert_num_queries(2):
        get(client, "/compare/")
    with django_assert_num_queries(2):
        response = get(client, f"/compare/?area={landscape[0].area.slug}&q=agenda")
    assert response.context["picker"].groups


def test_compare_picker_with_one_agenda_chosen(client, landscape, django_assert_num_queries):
    # areas; the chosen agenda; the agendas offered
    with django_assert_num_queries(3):
        get(client, f"/compare/?a={landscape[0].slug}")


def test_agenda_list_with_bad_input(client, landscape, django_assert_num_queries):
    # form choices only: areas, problems, criteria, tags
    with django_assert_num_queries(4):
        response = client.get("/agendas/?area=nowhere")
    assert response.status_code == 400


def test_compare_with_an_unknown_agenda(client, landscape, django_assert_num_queries):
    # areas; the compared agendas, with the prefetches that follow them (6: which tells
    # which slugs exist); the valid ones again, for the picker; the agendas offered
    with django_assert_num_queries(9):
        response = client.get(f"/compare/?a={landscape[0].slug}&a=nowhere")
    assert response.status_code == 404
