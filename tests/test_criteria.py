import pytest
from django.urls import reverse

from agendas.models import CriterionScore
from agendas.views import reference
from tests.builders import make_agenda, make_assessor, make_criterion, make_rating
from tests.markup import squash


def test_rubric_shows_question_weight_and_guidance_for_each_level(client, db):
    make_criterion(
        name="Robust to deception",
        question="Does it still work if the model is deceptive?",
        weight=2,
        guidance_1="Breaks as soon as the model lies.",
        guidance_5="Designed for a deceptive model.",
    )

    response = client.get(reverse("agendas:criterion_list"))

    assert response.status_code == 200
    html = response.text
    assert "Robust to deception" in html
    assert "Does it still work if the model is deceptive?" in html
    assert "Weight 2" in html
    assert "Breaks as soon as the model lies." in html
    assert "Designed for a deceptive model." in html
    assert "<caption>What each score means for “Robust to deception”</caption>" in html


def test_rubric_lists_criteria_in_their_order(client, db):
    make_criterion(name="Second", order=2)
    make_criterion(name="First", order=1)
    html = client.get(reverse("agendas:criterion_list")).text
    assert html.index(">First</a>") < html.index(">Second</a>")


def test_rubric_counts_rated_agendas_once_each(client, db):
    criterion = make_criterion()
    agenda = make_agenda()
    make_rating(agenda=agenda, criterion=criterion)
    make_rating(agenda=agenda, criterion=criterion)
    make_rating(criterion=criterion)
    response = client.get(reverse("agendas:criterion_list"))
    [row] = response.context["criteria"]
    assert row.rated_agenda_count == 2
    assert "2 agendas rated" in squash(response.text)


def test_ranking_orders_agendas_by_mean_and_shows_each_assessor(client, db):
    criterion = make_criterion(name="Scales")
    alice = make_assessor(name="Alice")
    bob = make_assessor(name="Bob")
    strong = make_agenda(name="Strong agenda")
    weak = make_agenda(name="Weak agenda")
    split = make_agenda(name="Split agenda")
    make_rating(agenda=strong, criterion=criterion, assessor=alice, score=5)
    make_rating(agenda=strong, criterion=criterion, assessor=bob, score=4)
    make_rating(agenda=weak, criterion=criterion, assessor=alice, score=1)
    make_rating(agenda=split, criterion=criterion, assessor=alice, score=1)
    make_rating(agenda=split, criterion=criterion, assessor=bob, score=5)
    make_rating(agenda=weak, assessor=bob, score=5)  # another criterion: ignored

    response = client.get(criterion.get_absolute_url())

    assert response.status_code == 200
    ranking = response.context["ranking"]
    assert [row.name for row in ranking] == [
        "Strong agenda",
        "Split agenda",
        "Weak agenda",
    ]
    assert [(row.mean, row.spread) for row in ranking] == [(4.5, 1), (3, 4), (1, 0)]
    scores = [[r and r.score for r in row.assessor_ratings] for row in ranking]
    assert scores == [[5, 4], [1, 5], [1, None]]
    assert [assessor.name for assessor in response.context["assessors"]] == ["Alice", "Bob"]
    html = response.text
    assert '<th scope="col">Alice</th>' in html and '<th scope="col">Bob</th>' in html
    assert "4.5" in html
    assert "Not rated" in html


def test_ranking_reads_the_stored_scores_with_their_confidence(client, db):
    criterion = make_criterion()
    sure, unsure = make_assessor(), make_assessor()
    agenda = make_agenda(name="Rated")
    make_rating(agenda=agenda, criterion=criterion, assessor=sure, score=4, confidence="high")
    make_rating(agenda=agenda, criterion=criterion, assessor=unsure, score=2, confidence="low")
    stored = CriterionScore.objects.get(agenda=agenda, criterion=criterion)

    response = client.get(criterion.get_absolute_url())

    [row] = response.context["ranking"]
    assert (row.mean, row.spread, row.confidence) == (stored.mean, 2, stored.confidence)
    assert row.confidence == "low"  # the lower median of high and low
    html = response.text
    # The mean and each rating show their confidence in words and in the box's style.
    assert 'score-conf-low score-fair">3.00</span>' in html
    assert 'score-conf-high score-strong">4</span>' in html
    assert html.count('<span class="confidence confidence-low">') >= 2


def test_ties_on_mean_rank_the_agreed_agenda_first(client, db):
    criterion = make_criterion()
    a, b = make_assessor(), make_assessor()
    agreed = make_agenda(name="Zed agreed")
    disputed = make_agenda(name="Alpha disputed")
    make_rating(agenda=agreed, criterion=criterion, assessor=a, score=3)
    make_rating(agenda=agreed, criterion=criterion, assessor=b, score=3)
    make_rating(agenda=disputed, criterion=criterion, assessor=a, score=1)
    make_rating(agenda=disputed, criterion=criterion, assessor=b, score=5)
    ranking = client.get(criterion.get_absolute_url()).context["ranking"]
    assert [row.name for row in ranking] == ["Zed agreed", "Alpha disputed"]


def test_ranking_without_ratings_says_so(client, db):
    html = client.get(make_criterion().get_absolute_url()).text
    assert "No agenda has been rated on this question yet." in html


def test_unknown_criterion_is_404(client, db):
    assert client.get("/criteria/no-such-criterion/").status_code == 404


def test_ranking_is_paginated_and_ranks_continue_across_pages(client, db, monkeypatch):
    monkeypatch.setattr(reference, "RANKING_PER_PAGE", 2)
    monkeypatch.setattr(reference, "RANKING_ORPHANS", 0)
    criterion = make_criterion()
    assessor = make_assessor()
    for score in [5, 4, 3]:
        make_rating(
            agenda=make_agenda(name=f"Scored {score}"),
            criterion=criterion,
            assessor=assessor,
            score=score,
        )

    first = client.get(criterion.get_absolute_url())
    second = client.get(criterion.get_absolute_url(), {"page": "2"})

    assert [row.name for row in first.context["ranking"]] == ["Scored 5", "Scored 4"]
    assert [row.name for row in second.context["ranking"]] == ["Scored 3"]
    assert '<td class="num">3</td>' in second.text  # its rank, not 1
    assert 'href="?page=2"' in first.text


@pytest.mark.parametrize(
    ("page", "status", "message"),
    [
        ("two", 400, "The page must be a whole number."),
        ("4", 404, "There is no page 4: the last page is 1."),
    ],
)
def test_bad_ranking_page_answers_400_and_a_missing_one_404(client, db, page, status, message):
    rating = make_rating()
    response = client.get(rating.criterion.get_absolute_url(), {"page": page})
    assert response.status_code == status
    assert message in response.text


def test_the_criteria_page_shows_every_assessor_and_an_outside_raters_rule_and_caveats(client, db):
    from tests.builders import make_agenda, make_assessor, make_criterion, make_rating

    agenda, criterion = make_agenda(), make_criterion()
    editors = make_assessor(name="The editors", slug="editors-x", kind="editors")
    outside = make_assessor(
        name="A public rater",
        slug="public-rater",
        kind="external",
        mapping_rule="Level YES becomes 4.",
        caveats="Its levels cite no evidence.",
    )
    make_rating(agenda=agenda, criterion=criterion, assessor=editors)
    make_rating(agenda=agenda, criterion=criterion, assessor=outside, score=4)

    html = client.get("/criteria/").text
    assert 'id="assessor-editors-x"' in html and 'id="assessor-public-rater"' in html
    assert "Level YES becomes 4." in html
    assert "Its levels cite no evidence." in html

    page = client.get(agenda.get_absolute_url()).text
    assert "#assessor-public-rater" in page  # its caveats are a link away from its score
    assert "Its levels cite no evidence." in page
