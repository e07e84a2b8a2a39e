from django.urls import reverse

from agendas.views import reference
from tests.builders import make_agenda, make_problem
from tests.markup import squash


def test_each_problem_lists_the_agendas_addressing_it(client, db):
    value = make_problem(1, name="Value is fragile")
    make_problem(2, name="Corrigibility is anti-natural")
    debate = make_agenda(name="Debate")
    interp = make_agenda(name="Interpretability")
    debate.problems.add(value)
    interp.problems.add(value)

    response = client.get(reverse("agendas:problem_list"))

    assert response.status_code == 200
    html = response.text
    assert 'id="problem-1"' in html and 'id="problem-2"' in html
    assert "Addressed by 2 agendas:" in html
    assert f'href="{debate.get_absolute_url()}"' in html
    assert f'href="{interp.get_absolute_url()}"' in html
    counts = {problem.number: problem.agenda_count for problem in response.context["problems"]}
    assert counts == {1: 2, 2: 0}


def test_problems_addressed_by_no_agenda_are_highlighted(client, db):
    covered = make_problem(1, name="Covered problem")
    make_problem(2, name="Orphan problem")
    make_agenda().problems.add(covered)

    response = client.get(reverse("agendas:problem_list"))

    assert [problem.name for problem in response.context["unaddressed"]] == ["Orphan problem"]
    html = response.text
    assert "Addressed by no agenda" in html
    assert "1 of 2 problems have no agenda here working on them" in html
    assert '<a href="#problem-2">2. Orphan problem</a>' in html
    assert 'class="ref-problem ref-gap"' in html


def test_when_every_problem_is_covered_it_says_so(client, db):
    problem = make_problem(1)
    make_agenda().problems.add(problem)
    html = client.get(reverse("agendas:problem_list")).text
    assert "Every problem is addressed by at least one agenda." in html


def test_problem_url_points_at_its_anchor(db):
    assert make_problem(7).get_absolute_url() == "/problems/#problem-7"


def test_a_widely_addressed_problem_links_the_first_agendas_then_the_filtered_list(
    client, db, monkeypatch
):
    monkeypatch.setattr(reference, "AGENDA_LINKS_PER_ROW", 2)
    problem = make_problem(4)
    for name in ["Alpha", "Beta", "Gamma"]:
        make_agenda(name=name).problems.add(problem)

    html = squash(client.get(reverse("agendas:problem_list")).text)

    assert ">Alpha</a>" in html and ">Beta</a>" in html
    assert ">Gamma</a>" not in html
    assert '<a href="/agendas/?problem=4">All 3 agendas addressing it</a>' in html
