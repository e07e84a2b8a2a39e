"""Related agendas on an agenda's page: at most five, each with its reason, ranked by what
they share (agendas/related.py), in a fixed number of queries."""

import pytest

from agendas.models import Agenda, Reliance
from agendas.related import POINTS, related_agendas
from tests.builders import make_agenda, make_area, make_assumption, make_problem, make_reliance
from tests.markup import squash

pytestmark = pytest.mark.django_db

CRITICAL, SIGNIFICANT, MINOR = (
    Reliance.Load.CRITICAL,
    Reliance.Load.SIGNIFICANT,
    Reliance.Load.MINOR,
)


def related_names(agenda):
    return [
        row.agenda.name for row in related_agendas(Agenda.objects.for_detail().get(pk=agenda.pk))
    ]


def scored(agenda, score):
    Agenda.objects.filter(pk=agenda.pk).update(overall_score=score, score_confidence="medium")
    return agenda


def test_points_weigh_assumptions_by_the_lesser_load_problems_and_the_area():
    assert (POINTS.assumption, POINTS.problem, POINTS.area) == (1, 1, 2)


def test_it_ranks_by_what_they_share(client):
    home, elsewhere = make_area(name="Home area"), make_area(name="Elsewhere")
    agenda = make_agenda(name="Debate", area=home)
    judged, slow = make_assumption(statement="Judges judge"), make_assumption(statement="Slow")
    goodhart, fooling = make_problem(number=3), make_problem(number=7)
    agenda.problems.add(goodhart, fooling)
    make_reliance(agenda=agenda, assumption=judged, load=CRITICAL)
    make_reliance(agenda=agenda, assumption=slow, load=SIGNIFICANT)

    # critical to both (3) + significant/minor (1) = 4 points
    both = make_agenda(name="Both assumptions", area=elsewhere)
    make_reliance(agenda=both, assumption=judged, load=CRITICAL)
    make_reliance(agenda=both, assumption=slow, load=MINOR)
    # same area (2) + one problem (1) = 3 points
    sibling = make_agenda(name="Sibling", area=home)
    sibling.problems.add(goodhart)
    # a minor reliance on a critical assumption counts 1, plus two problems: 3 points, and
    # the tie with the sibling goes to the one sharing an assumption
    leaning = make_agenda(name="Leaning lightly", area=elsewhere)
    make_reliance(agenda=leaning, assumption=judged, load=MINOR)
    leaning.problems.add(goodhart, fooling)
    # the same area only: 2 points; two such tie, and the higher score comes first
    scored(make_agenda(name="A lower neighbour", area=home), 2.0)
    scored(make_agenda(name="Z higher neighbour", area=home), 4.0)
    # nothing shared: never listed
    make_agenda(name="Stranger", area=elsewhere).problems.add(make_problem(number=9))

    assert related_names(agenda) == [
        "Both assumptions",
        "Leaning lightly",
        "Sibling",
        "Z higher neighbour",
        "A lower neighbour",
    ]


def test_it_lists_at_most_five_and_never_the_agenda_itself():
    area = make_area()
    agenda = make_agenda(area=area)
    for _ in range(7):
        make_agenda(area=area)
    names = related_names(agenda)
    assert len(names) == 5
    assert agenda.name not in names


def test_each_related_agenda_says_why(client):
    home = make_area(name="Oversight")
    agenda = make_agenda(name="Debate", area=home)
    judged = make_assumption(statement="Judges can follow the argument")
    lesser = make_assumption(statement="Debaters stay honest")
    problem = make_problem(number=7, name="Superintelligence can fool human supervisors")
    agenda.problems.add(problem)
    make_reliance(agenda=agenda, assumption=judged, load=CRITICAL)
    make_reliance(agenda=agenda, assumption=lesser, load=MINOR)
    other = make_agenda(name="Amplification", area=home)
    other.problems.add(problem)
    make_reliance(agenda=other, assumption=judged, load=CRITICAL)
    make_reliance(agenda=other, assumption=lesser, load=CRITICAL)

    response = client.get(agenda.get_absolute_url())

    [row] = response.context["related"]
    assert row.agenda == other
    assert [(a.statement, critical) for a, critical in row.assumptions] == [
        ("Debaters stay honest", False),
        ("Judges can follow the argument", True),
    ]
    assert row.problems == [problem] and row.same_area
    text = squash(response.text)
    section = text[text.index('id="related"') : text.index('id="critiques"')]
    assert f'<a href="{other.get_absolute_url()}">Amplification</a>' in section
    assert "Rests on the same assumptions:" in section
    assert (
        squash(
            '<a href="/assumptions/' + judged.slug + '/">Judges can follow the argument</a> '
            '<span class="badge badge-load-3">critical to both</span>'
        )
        in section
    )
    assert "Works on the same orthodox problem:" in section
    assert "7. Superintelligence can fool human supervisors" in section
    assert "In the same area, Oversight" in section
    assert "each shared orthodox problem 1, the same area 2" in section


def test_an_agenda_sharing_nothing_says_so(client):
    agenda = make_agenda()
    make_agenda()  # another area, no assumptions or problems
    text = client.get(agenda.get_absolute_url()).text
    assert "No other agenda shares an assumption, an orthodox problem or the area" in text


def build(size):
    """An agenda sharing assumptions, problems and its area with `size` others."""
    area = make_area()
    agenda = make_agenda(area=area)
    assumptions = [make_assumption() for _ in range(3)]
    problems = [make_problem(number=n) for n in (1, 2)]
    agenda.problems.add(*problems)
    for assumption in assumptions:
        make_reliance(agenda=agenda, assumption=assumption)
    for index in range(size):
        other = make_agenda(area=area if index % 2 else make_area())
        other.problems.add(problems[index % 2])
        make_reliance(agenda=other, assumption=assumptions[index % 3], load=1 + index % 3)
    return Agenda.objects.for_detail().get(pk=agenda.pk)


@pytest.mark.parametrize("size", [3, 12])
def test_related_agendas_take_three_queries_whatever_the_size(django_assert_num_queries, size):
    agenda = build(size)
    list(agenda.reliances.all()), list(agenda.problems.all())  # prefetched by the page
    # 1 which agendas share this agenda's problems, 2 name, area and score of every agenda
    # sharing anything, 3 the winners with their areas
    with django_assert_num_queries(3):
        rows = related_agendas(agenda)
        reasons = [(r.agenda.area.name, r.assumptions, r.problems, r.same_area) for r in rows]
    assert len(rows) == min(size, 5) and all(reasons)
