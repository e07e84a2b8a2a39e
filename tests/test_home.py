import pytest

from agendas.models import Agenda
from agendas.scoring import score_agenda
from agendas.views.pages import HOME_PER_AREA
from tests.builders import (
    make_agenda,
    make_area,
    make_assessor,
    make_criterion,
    make_critique,
    make_figure,
    make_landscape,
    make_rated_agenda,
)

pytestmark = pytest.mark.django_db


def test_home_states_the_purpose_and_links_to_the_main_pages(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "A map of AI-alignment research agendas" in response.text
    assert 'href="/agendas/"' in response.text
    assert 'href="/compare/"' in response.text


def test_home_groups_agendas_by_area(client):
    theory = make_area(name="Theory", order=1)
    interp = make_area(name="Interpretability", order=2)
    make_agenda(name="Natural abstractions", area=theory)
    make_agenda(name="Sparse autoencoders", area=interp)
    text = client.get("/").text
    assert text.index("Theory") < text.index("Natural abstractions")
    assert text.index("Natural abstractions") < text.index("Interpretability")
    assert text.index("Interpretability") < text.index("Sparse autoencoders")


def test_home_shows_weighted_overall_score_and_disagreement(client):
    heavy = make_criterion(weight=3)
    light = make_criterion(weight=1)
    first, second = make_assessor(), make_assessor()
    # heavy: mean 4 (spread 2); light: mean 2 (spread 0) -> (3*4 + 1*2) / 4 = 3.5
    make_rated_agenda([heavy, light], [first, second], [[3, 5], [2, 2]], name="Debate")
    text = client.get("/").text
    assert '3.5<span class="score-max">/5</span>' in text
    assert "disagreement 2" in text


def test_home_says_not_rated_for_an_agenda_without_ratings(client):
    make_agenda(name="Unrated")
    assert "not rated" in client.get("/").text


def test_home_lists_only_published_critiques_newest_first(client):
    agenda = make_agenda()
    make_critique(agenda=agenda, title="Older point")
    make_critique(agenda=agenda, title="Newer point")
    make_critique(agenda=agenda, title="Unreviewed draft", status="submitted")
    make_critique(agenda=agenda, title="Turned down", status="rejected")
    text = client.get("/").text
    assert text.index("Newer point") < text.index("Older point")
    assert "Unreviewed draft" not in text
    assert "Turned down" not in text


def test_home_draws_the_headcount_chart_with_a_table_and_marks_disputed_figures(client):
    make_figure(label="Alignment researchers worldwide", value_low=300, value_high=600)
    make_figure(label="Safety staff at a lab", value_low=40, dispute="The lab counts differently.")
    response = client.get("/")
    text = response.text
    assert '<svg class="chart chart-bars"' in text
    assert '<title id="headcount-title">' in text
    assert "300–600" in text
    assert "disputed" in text
    assert "The lab counts differently." in text
    assert "Jan 2023" in text  # the figure's date


def test_home_has_the_feed_autodiscovery_link_and_labelled_search(client):
    text = client.get("/").text
    assert '<link rel="alternate" type="application/atom+xml"' in text
    assert 'href="/feeds/critiques/"' in text
    assert '<label for="site-search-q"' in text
    assert 'name="q"' in text


def test_home_has_no_inline_script_or_style_attribute(client):
    make_landscape(agendas=2)
    text = client.get("/").text
    assert "<script" not in text
    assert "style=" not in text


def landscape_section(text):
    return text[text.index('id="landscape-heading"') : text.index('id="headcount-heading"')]


def test_home_shows_the_best_scored_agendas_of_a_crowded_area_and_links_to_the_rest(client):
    theory = make_area(name="Theory", slug="theory")
    criterion, assessor = make_criterion(), make_assessor()
    # Named to come first alphabetically, so a pick by name instead of score would show them.
    make_rated_agenda([criterion], [assessor], [[2]], name="A weak one", area=theory)
    make_agenda(name="B unrated", area=theory)
    strong = [
        make_rated_agenda([criterion], [assessor], [[4]], name=f"C strong {i}", area=theory)
        for i in range(HOME_PER_AREA)
    ]
    text = landscape_section(client.get("/").text)
    for agenda in strong:
        assert agenda.name in text
    assert "A weak one" not in text
    assert "B unrated" not in text
    # The ones shown keep name order.
    assert text.index("C strong 0") < text.index("C strong 1") < text.index("C strong 7")
    assert '<a href="/agendas/?area=theory">…and 2 more in Theory</a>' in text
    assert f"the {HOME_PER_AREA} with the highest overall score" in text


def test_home_ranks_unrated_agendas_last_within_an_area(client):
    theory = make_area(name="Theory", slug="theory")
    criterion, assessor = make_criterion(), make_assessor()
    make_agenda(name="A unrated", area=theory)
    for i in range(HOME_PER_AREA):
        make_rated_agenda([criterion], [assessor], [[1]], name=f"B poor {i}", area=theory)
    text = landscape_section(client.get("/").text)
    assert "B poor 7" in text
    assert "A unrated" not in text
    assert "…and 1 more in Theory" in text


def test_home_shows_every_agenda_of_an_area_at_the_bound_with_no_more_link(client):
    theory = make_area(name="Theory", slug="theory")
    for i in range(HOME_PER_AREA):
        make_agenda(name=f"Agenda {i}", area=theory)
    crowded = make_area(name="Crowded", slug="crowded")
    for i in range(HOME_PER_AREA + 3):
        make_agenda(name=f"Crowded {i}", area=crowded)
    text = landscape_section(client.get("/").text)
    assert all(f"Agenda {i}<" in text for i in range(HOME_PER_AREA))
    assert text.count('class="area-more"') == 1
    assert "…and 3 more in Crowded" in text
    assert "more in Theory" not in text


def test_home_scores_agree_with_the_agenda_page_scores(client):
    agendas = make_landscape(agendas=6)
    rows = {
        agenda.pk: score
        for _, shown, _ in client.get("/").context["landscape"]
        for agenda, score in shown
    }
    for agenda in Agenda.objects.for_list():
        page_score = score_agenda(agenda)
        assert rows[agenda.pk].overall == page_score.overall, agenda.name
        assert rows[agenda.pk].disagreement == page_score.disagreement, agenda.name
    assert len(rows) == len(agendas)
