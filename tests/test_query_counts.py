"""Every page of site part A renders in a fixed number of queries, whatever the data size.

Each test runs at two sizes (the landscape builder makes agendas with ratings by several
assessors, assumptions, critiques, tags, problems, organisations and sources).
"""

import pytest
from django.db import transaction

from tests.builders import make_landscape

pytestmark = pytest.mark.django_db

SIZES = [3, 12]


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}-agendas")
def landscape(request, django_db_setup, django_db_blocker):
    """Built once per size for this module's tests, which only read it, in a transaction
    rolled back after them; each test's own transaction nests inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_landscape(agendas=request.param, criteria=4, assessors=3, critiques=3)
        transaction.set_rollback(True)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def test_home(client, landscape, django_assert_num_queries):
    # criteria (for the weights form); top-level areas; one row per agenda with its score,
    # FTEs and top-level area; latest critiques with agenda
    with django_assert_num_queries(4):
        response = get(client, "/")
    assert len(response.context["landscape"].points) == len(landscape)


def test_home_with_a_readers_weights(client, landscape, django_assert_num_queries):
    criterion = landscape[0].ratings.first().criterion
    # the same: the reader's score is a subquery of the agenda rows' query
    with django_assert_num_queries(4):
        response = get(client, f"/?w-{criterion.slug}=4")
    assert response.context["custom_weights"]


def test_home_when_it_aggregates(client, landscape, django_assert_num_queries, monkeypatch):
    from agendas import landscape as landscape_module

    monkeypatch.setattr(landscape_module, "AGGREGATE_OVER", 2)
    with django_assert_num_queries(4):
        response = get(client, "/")
    assert response.context["landscape"].aggregated


def test_landscape_table(client, landscape, django_assert_num_queries):
    # criteria; top-level areas; agenda rows; headcount figures with organisation and source
    with django_assert_num_queries(4):
        get(client, "/landscape/")


def test_criteria_page(client, landscape, django_assert_num_queries):
    # the criteria with how many agendas each rates (the weights form reuses them); the
    # assessors with their sources and rating counts
    with django_assert_num_queries(2):
        get(client, "/criteria/")


def test_agenda_list(client, landscape, django_assert_num_queries):
    # form choices: areas, problems, criteria (also the weights form's), tags; count; page of
    # agendas with their stored scores; their tags
    with django_assert_num_queries(7):
        get(client, "/agendas/")


def test_agenda_list_with_a_readers_weights_and_a_band(
    client, landscape, django_assert_num_queries
):
    criterion = landscape[0].ratings.first().criterion
    with django_assert_num_queries(7):
        get(client, f"/agendas/?w-{criterion.slug}=5&band=2-3&sort=score")


def test_agenda_list_filtered_and_sorted(client, landscape, django_assert_num_queries):
    criterion = landscape[0].ratings.first().criterion
    url = f"/agendas/?criterion={criterion.slug}&min_score=1&sort=criterion&tag=tag-0&problem=1"
    with django_assert_num_queries(7):
        response = get(client, url)
    assert response.context["rows"]


def test_agenda_detail(client, landscape, django_assert_num_queries):
    # agenda with area, parent, FTE source; aliases; children; problems; organisations;
    # sources; tags; ratings; stored criterion scores; reliances; the other agendas'
    # reliances on the same assumptions; public critiques counted by state; the most severe
    # published ones; the first linked ones; the rubric's criteria; related agendas
    # (agendas/related.py): those sharing a problem, every candidate's name, area and
    # score, and the winners
    with django_assert_num_queries(18):
        get(client, landscape[-1].get_absolute_url())


def test_compare(client, landscape, django_assert_num_queries):
    query = "&".join(f"a={agenda.slug}" for agenda in landscape[:3])
    # areas for the picker's narrowing form; agendas with area; problems; organisations;
    # ratings; stored criterion scores; reliances; criteria; published critique counts by
    # agenda and severity; each agenda's most severe published critique; the agendas the
    # picker offers, with their areas (bounded)
    with django_assert_num_queries(11):
        get(client, f"/compare/?{query}")
    with django_assert_num_queries(11):
        get(client, f"/compare/?{query}&diff=1&area={landscape[0].area.slug}&q=agenda")
    criterion = landscape[0].ratings.first().criterion
    # the reader's score per column is a subquery of the agendas' query
    with django_assert_num_queries(11):
        get(client, f"/compare/?{query}&w-{criterion.slug}=3")


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
    # areas; the criteria, for the reader's weights; the compared agendas, with the
    # prefetches that follow them (6: which tells which slugs exist); the valid ones again,
    # for the picker; the agendas offered
    with django_assert_num_queries(10):
        response = client.get(f"/compare/?a={landscape[0].slug}&a=nowhere")
    assert response.status_code == 404
