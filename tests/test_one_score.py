"""One score: an agenda's overall score has one definition (agendas/scoring.py), is stored,
and every place that shows it shows the same number: its page, the agenda list, the
admin changelist, the CSV and the JSON export."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.utils.html import escape

from agendas.models import Agenda, Criterion
from agendas.scoring import format_score, weighted_mean
from tests.builders import make_agenda, make_assessor, make_criterion, make_rating

SCORES = [  # per agenda: (criterion index, assessor index, score, confidence)
    [(0, 0, 5, "high"), (0, 1, 2, "low"), (1, 0, 3, "medium")],
    [(0, 0, 1, "low"), (1, 1, 4, "low"), (2, 0, 4, "high"), (2, 1, 5, "medium")],
    [(1, 0, 2, "medium"), (2, 1, 3, "medium")],
]


@pytest.fixture
def rated(db):
    criteria = [make_criterion(weight=Decimal(weight)) for weight in ("1.00", "2.00", "0.50")]
    assessors = [make_assessor(), make_assessor()]
    agendas = []
    for index, ratings in enumerate(SCORES):
        agenda = make_agenda(name=f"Scored agenda {index}", slug=f"scored-{index}")
        for criterion, assessor, score, confidence in ratings:
            make_rating(
                agenda=agenda,
                criterion=criteria[criterion],
                assessor=assessors[assessor],
                score=score,
                confidence=confidence,
            )
        agendas.append(agenda)
    make_agenda(name="Unrated agenda", slug="unrated")
    return agendas


def test_the_stored_score_is_the_weighted_mean_of_the_criterion_means(rated):
    weights = dict(Criterion.objects.values_list("pk", "weight"))
    for agenda in Agenda.objects.filter(slug__startswith="scored"):
        means = {}
        for rating in agenda.ratings.all():
            means.setdefault(rating.criterion_id, []).append(rating.score)
        expected = weighted_mean(
            (sum(scores) / len(scores), weights[pk]) for pk, scores in means.items()
        )
        assert agenda.overall_score == expected
    assert Agenda.objects.get(slug="unrated").overall_score is None


def test_every_place_shows_the_same_number(client, superuser, rated):
    stored = {agenda.slug: format_score(agenda.overall_score) for agenda in Agenda.objects.all()}
    assert stored["unrated"] == "—"
    assert len({value for slug, value in stored.items() if slug != "unrated"}) == 3

    # The agenda pages
    for slug, value in stored.items():
        html = client.get(f"/agendas/{slug}/").text
        if slug == "unrated":
            assert "not rated" in html
        else:
            assert re.search(rf"Overall score </span>{re.escape(value)}<", html), slug

    # The agenda list: the row that links to each agenda
    listing = client.get("/agendas/?sort=score").text
    for slug, value in stored.items():
        row = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*href="/agendas/{slug}/"(?:(?!</tr>).)*</tr>',
                        listing, re.S)  # fmt: skip
        assert row, slug
        assert (value if slug != "unrated" else "not rated") in row.group(0), slug

    # The exports
    document = json.loads(client.get("/export/agendas.json").content)
    exported = {row["slug"]: row["overall_score"] for row in document["agendas"]}
    rows = csv.DictReader(io.StringIO(client.get("/export/agendas.csv").content.decode()))
    in_csv = {row["slug"]: row["overall_score"] for row in rows}
    for slug, value in stored.items():
        expected = None if slug == "unrated" else float(value)
        assert exported[slug] == expected or format_score(exported[slug]) == value, slug
        assert in_csv[slug] == ("" if slug == "unrated" else value), slug

    # The admin changelist
    client.force_login(superuser)
    changelist = client.get("/admin/agendas/agenda/").text
    for agenda in Agenda.objects.filter(slug__startswith="scored"):
        row = re.search(
            rf"<tr(?:(?!</tr>).)*>{re.escape(escape(agenda.name))}</a>(?:(?!</tr>).)*</tr>",
            changelist,
            re.S,
        )
        assert row, agenda.slug
        assert f"{stored[agenda.slug]} ({agenda.get_score_confidence_display().lower()})" in (
            row.group(0)
        )
