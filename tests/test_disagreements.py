"""Where the assessors disagree: the page gathering the widest spreads, and each agenda's own."""

import pytest

from agendas.models import Rating
from tests.builders import (
    make_area,
    make_assessor,
    make_criterion,
    make_rated_agenda,
)
from tests.markup import squash

URL = "/disagreements/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(db):
    theory = make_area(name="Theory", slug="theory")
    corrigibility = make_area(name="Corrigibility", slug="corrigibility", parent=theory)
    evals = make_area(name="Evals", slug="evals")
    scales = make_criterion(name="Scales", slug="scales", order=1)
    deception = make_criterion(name="Robust to deception", slug="deception", order=2)
    editors = make_assessor(name="The editors", slug="editors")
    essay = make_assessor(name="The essay", slug="essay")
    lethalities = make_assessor(name="Lethalities", slug="lethalities")
    raters = [editors, essay, lethalities]
    # Spreads: wide 4 on scales and 1 on deception; split 2 with two raters; agreed 0.
    make_rated_agenda(
        [scales, deception],
        raters,
        [[5, 3, 1], [2, 3, 3]],
        name="Wide",
        slug="wide",
        area=corrigibility,
    )
    make_rated_agenda(
        [scales, deception], raters[:2], [[2, 4], [None, 3]], name="Split", slug="split", area=evals
    )
    make_rated_agenda(
        [scales, deception], raters[:2], [[3, 3], [4, 4]], name="Agreed", slug="agreed", area=theory
    )
    make_rated_agenda([scales], raters[:1], [[1]], name="Alone", slug="alone", area=evals)


def cells(response):
    return [
        (item.cell.agenda.slug, item.cell.criterion.slug, item.cell.spread)
        for item in response.context["disagreements"]
    ]


def test_the_widest_spreads_come_first_and_agreement_is_not_listed(client, field):
    response = client.get(URL)
    assert response.status_code == 200
    assert cells(response) == [
        ("wide", "scales", 4),
        ("split", "scales", 2),
        ("wide", "deception", 1),
    ]
    assert "3 disagreements" in squash(response.text)


def test_each_cell_sets_every_assessors_score_confidence_and_reason_side_by_side(client, field):
    response = client.get(URL)
    [first] = [item for item in response.context["disagreements"] if item.cell.spread == 4]
    assert [(r.assessor.name, r.score) for r in first.ratings] == [
        ("The editors", 5),
        ("The essay", 3),
        ("Lethalities", 1),
    ]
    text = response.text
    article = text[text.index('id="cell-1"') : text.index('id="cell-2"')]
    assert "The editors" in article and "The essay" in article and "Lethalities" in article
    assert "medium" in article  # each score's confidence
    assert "It is middling on this criterion." in article  # the rationale's reason line
    assert 'href="/agendas/wide/#ratings"' in article and 'href="/criteria/scales/"' in article


def test_the_reason_is_the_rationales_first_sentence_without_its_level(client, field):
    Rating.objects.filter(agenda__slug="wide", criterion__slug="scales", score=5).update(
        rationale="Level 5: the argument is complete. A second sentence stays on its page."
    )
    text = client.get(URL).text
    assert "The argument is complete." in text
    assert "A second sentence" not in text and "Level 5:" not in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"area": "theory"}, [("wide", "scales", 4), ("wide", "deception", 1)]),  # sub-areas too
        ({"area": "corrigibility"}, [("wide", "scales", 4), ("wide", "deception", 1)]),
        ({"area": "evals"}, [("split", "scales", 2)]),
        ({"criterion": "deception"}, [("wide", "deception", 1)]),
        ({"area": "evals", "criterion": "deception"}, []),
    ],
)
def test_filters_narrow_by_area_and_criterion(client, field, params, expected):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert cells(response) == expected


def test_an_empty_selection_says_why(client, field):
    text = client.get(URL, {"area": "evals", "criterion": "deception"}).text
    assert "The assessors agree on everything in this selection" in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "nowhere"}, "There is no area “nowhere”."),
        ({"criterion": "beauty"}, "There is no criterion “beauty”."),
        ({"page": "two"}, "The page must be a whole number."),
        ({"page": "0"}, "greater than or equal to 1"),
        ({"area": "\x00"}, "NUL character"),
    ],
)
def test_bad_values_answer_400_with_a_message(client, field, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.text
    assert 'role="alert"' in response.text


def test_a_page_past_the_last_is_404_and_says_which_pages_exist(client, field):
    response = client.get(URL, {"page": "9"})
    assert response.status_code == 404
    assert "There is no page 9: the last page is 1." in response.text


def test_the_main_navigation_links_the_page(client, field):
    text = client.get("/").text
    nav = text[text.index('aria-label="Main"') : text.index("</nav>")]
    assert f'href="{URL}"' in nav
    assert 'href="/disagreements/" aria-current="page"' in client.get(URL).text


def test_an_agenda_page_lists_where_its_own_assessors_disagree_widest_first(client, field):
    text = squash(client.get("/agendas/wide/").text)
    section = text[text.index('id="disagreements"') : text.index("Every score, with its rationale")]
    assert section.index("Scales</a>, spread 4") < section.index(
        "Robust to deception</a>, spread 1"
    )
    assert (
        squash(
            "The editors: <strong>5</strong> (medium confidence); "
            "The essay: <strong>3</strong> (medium confidence); Lethalities: <strong>1</strong>"
        )
        in section
    )


def test_an_agenda_page_says_when_its_assessors_agree_or_there_is_only_one(client, field):
    agreed = client.get("/agendas/agreed/").text
    assert "Its 2 assessors give the same score on every criterion they share." in agreed
    alone = client.get("/agendas/alone/").text
    assert "Only one assessor has rated it" in alone
    assert 'href="/agendas/alone/suggest/"' in alone
