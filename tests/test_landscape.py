"""The landscape's data (agendas/landscape.py) and its page of its own, /landscape/."""

import pytest

from agendas import landscape
from agendas.fte import FteRange
from agendas.models import Area
from agendas.scoring import SCORE_BANDS, Weights, band_of
from agendas.views.pages import LANDSCAPE_PER_PAGE
from tests.builders import (
    make_agenda,
    make_area,
    make_assessor,
    make_criterion,
    make_figure,
    make_rated_agenda,
)
from tests.markup import squash

pytestmark = pytest.mark.django_db


def point(**fields):
    defaults = dict(
        name="A",
        slug="a",
        score=3.0,
        confidence="low",
        fte=FteRange(),
        area=Area(name="X"),
        area_index=0,
    )
    return landscape.Point(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("score", "band"),
    [(1.0, "under-2"), (1.99, "under-2"), (2.0, "2-3"), (3.5, "3-4"), (4.0, "4-and-over")],
)
def test_bands_include_their_lower_edge(score, band):
    assert band_of(score).slug == band
    assert band_of(None) is None
    assert [b.slug for b in SCORE_BANDS] == ["under-2", "2-3", "3-4", "4-and-over"]


def test_build_puts_every_agenda_under_its_top_level_area():
    criterion, assessor = make_criterion(), make_assessor()
    top = make_area(name="Top")
    sub = make_area(name="Sub", parent=top)
    make_rated_agenda([criterion], [assessor], [[4]], name="In sub", area=sub)
    make_agenda(name="In top", area=top)
    view = landscape.build(Weights.published([criterion]))
    assert {p.name: p.area.name for p in view.points} == {"In sub": "Top", "In top": "Top"}
    [summary] = [s for s in view.areas if s.count]
    assert (summary.area.name, summary.count, [p.name for p in summary.best]) == (
        "Top",
        2,
        ["In sub"],
    )
    assert view.unrated_count == 1


def test_the_table_page_lists_every_agenda_best_first_and_pages(client):
    criterion, assessor = make_criterion(), make_assessor()
    for i in range(LANDSCAPE_PER_PAGE + 15):
        make_rated_agenda([criterion], [assessor], [[1 + i % 5]], name=f"Agenda {i:03d}", fte_low=i)
    first = client.get("/landscape/")
    assert first.status_code == 200
    scores = [p.score for p in first.context["page"].object_list]
    assert scores == sorted(scores, reverse=True)
    assert len(scores) == LANDSCAPE_PER_PAGE
    assert "page 1 of 2" in squash(first.text)
    second = client.get("/landscape/?page=2")
    assert len(second.context["page"].object_list) == 15


@pytest.mark.parametrize("query", ["page=0", "page=x"])
def test_the_table_page_answers_a_bad_page_with_a_message(client, query):
    make_agenda()
    response = client.get(f"/landscape/?{query}")
    assert response.status_code == 400
    assert 'class="notice notice-error"' in response.text


def test_the_table_page_answers_a_missing_page_with_a_404_that_says_so(client):
    make_agenda()
    response = client.get("/landscape/?page=9")
    assert response.status_code == 404
    assert "There is no page 9: the last page is 1." in response.text


def test_the_table_page_holds_the_headcount_figures_with_their_sources(client):
    make_figure(label="Alignment researchers worldwide", value_low=300, value_high=600)
    make_figure(label="Safety staff at a lab", value_low=40, dispute="The lab counts differently.")
    text = client.get("/landscape/").text
    assert '<svg class="chart chart-bars"' in text
    assert "300–600" in text
    assert "disputed" in text and "The lab counts differently." in text
    assert "Jan 2023" in text


def test_the_table_page_follows_the_readers_weights(client):
    one, two = make_criterion(slug="one"), make_criterion(slug="two")
    assessor = make_assessor()
    make_rated_agenda([one, two], [assessor], [[5], [1]], name="Good at one")
    make_rated_agenda([one, two], [assessor], [[1], [4]], name="Good at two")
    published = client.get("/landscape/")
    custom = client.get("/landscape/?w-one=0&w-two=1")
    assert [p.name for p in published.context["page"].object_list] == ["Good at one", "Good at two"]
    assert [p.name for p in custom.context["page"].object_list] == ["Good at two", "Good at one"]
    assert "Ranked by your own weights" in custom.text
    assert 'href="/?w-one=0&amp;w-two=1"' in custom.text  # back to the chart, same weights
