import pytest
from django.urls import reverse

from agendas.models import Critique, Reliance
from agendas.views import reference
from tests.builders import make_agenda, make_area, make_assumption, make_critique, make_reliance

LIST = "/assumptions/"


def test_matrix_shows_each_load_as_text_in_the_right_cell(client, db):
    rlhf = make_agenda(name="RLHF")
    interp = make_agenda(name="Interpretability")
    judged = make_assumption(statement="Humans can judge the outputs")
    slow = make_assumption(statement="Capabilities arrive slowly")
    make_reliance(agenda=rlhf, assumption=judged, load=Reliance.Load.CRITICAL)
    make_reliance(agenda=interp, assumption=slow, load=Reliance.Load.MINOR)

    response = client.get(reverse("agendas:assumption_list"))

    assert response.status_code == 200
    html = response.text
    assert "<caption" in html and '<th scope="col"' in html and '<th scope="row"' in html
    assert [agenda.name for agenda in response.context["columns"]] == ["Interpretability", "RLHF"]
    rows = {row.assumption.statement: row for row in response.context["rows"]}
    judged_cells = [cell and cell.get_load_display() for cell in rows[judged.statement].cells]
    slow_cells = [cell and cell.get_load_display() for cell in rows[slow.statement].cells]
    assert judged_cells == [None, "Critical"]
    assert slow_cells == ["Minor", None]
    assert "Critical</span>" in html and "Minor</span>" in html
    assert "Not relied on" in html


def test_matrix_counts_only_published_critiques(client, db):
    assumption = make_assumption()
    agenda = make_agenda()
    make_reliance(agenda=agenda, assumption=assumption)
    make_critique(agenda=agenda, assumption=assumption)
    make_critique(agenda=agenda, assumption=assumption, status=Critique.Status.SUBMITTED)
    make_critique(agenda=agenda, assumption=assumption, status=Critique.Status.REJECTED)

    response = client.get(reverse("agendas:assumption_list"))

    [row] = response.context["rows"]
    assert row.assumption.critique_count == 1


def test_matrix_keeps_assumptions_no_agenda_rests_on(client, db):
    make_assumption(statement="Nobody needs this")

    response = client.get(reverse("agendas:assumption_list"))

    assert "Nobody needs this" in response.text
    assert "No agenda is recorded as resting on it." in response.text


def test_empty_matrix_says_so(client, db):
    response = client.get(reverse("agendas:assumption_list"))
    assert response.status_code == 200
    assert "No assumptions have been recorded yet." in response.text


def test_detail_lists_hurt_agendas_most_load_bearing_first(client, db):
    assumption = make_assumption(statement="No mesa-optimisers", description="Would fail if *so*.")
    minor = make_agenda(name="Aardvark agenda")
    critical = make_agenda(name="Zebra agenda")
    make_reliance(agenda=minor, assumption=assumption, load=Reliance.Load.MINOR, reason="A bit.")
    make_reliance(
        agenda=critical, assumption=assumption, load=Reliance.Load.CRITICAL, reason="All of it."
    )

    response = client.get(assumption.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert "If this fails, which agendas are hurt" in html
    assert html.index("Zebra agenda") < html.index("Aardvark agenda")
    assert "All of it." in html and "A bit." in html
    assert "<em>so</em>" in html


def test_detail_shows_only_published_critiques_aimed_at_it(client, db):
    assumption = make_assumption()
    other = make_assumption()
    agenda = make_agenda()
    make_critique(agenda=agenda, assumption=assumption, title="Published and aimed here")
    make_critique(agenda=agenda, assumption=other, title="Aimed elsewhere")
    make_critique(agenda=agenda, title="Aimed at no assumption")
    make_critique(
        agenda=agenda,
        assumption=assumption,
        title="Draft never shown",
        status=Critique.Status.SUBMITTED,
    )
    make_critique(
        agenda=agenda,
        assumption=assumption,
        title="Rejected never shown",
        status=Critique.Status.REJECTED,
    )

    html = client.get(assumption.get_absolute_url()).text

    assert "Published and aimed here" in html
    assert "Aimed elsewhere" not in html
    assert "Aimed at no assumption" not in html
    assert "Draft never shown" not in html
    assert "Rejected never shown" not in html


def test_detail_without_critiques_or_agendas_says_so(client, db):
    html = client.get(make_assumption().get_absolute_url()).text
    assert "No agenda is recorded as resting on this assumption." in html
    assert "No published critique targets this assumption." in html


def test_unknown_assumption_is_404(client, db):
    response = client.get("/assumptions/no-such-assumption/")
    assert response.status_code == 404


def test_description_markdown_is_sanitised(client, db):
    assumption = make_assumption(description="<script>alert(1)</script> [x](javascript:alert(1))")
    html = client.get(assumption.get_absolute_url()).text
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html


def test_matrix_puts_the_most_shared_assumptions_first(client, db):
    lonely = make_assumption(statement="A lonely assumption")
    shared = make_assumption(statement="Z shared assumption")
    for _ in range(3):
        make_reliance(agenda=make_agenda(), assumption=shared)
    make_reliance(assumption=lonely)

    rows = client.get(LIST).context["rows"]

    assert [row.assumption.statement for row in rows] == [shared.statement, lonely.statement]
    assert [row.assumption.agenda_count for row in rows] == [3, 1]


def test_area_narrows_the_matrix_to_its_agendas_and_sub_areas(client, db):
    theory = make_area(slug="theory")
    decision = make_area(slug="decision-theory", parent=theory)
    other = make_area(slug="other")
    in_area = make_agenda(name="In the area", area=theory)
    in_sub_area = make_agenda(name="In a sub-area", area=decision)
    outside = make_agenda(name="Outside", area=other)
    both = make_assumption(statement="Shared across areas")
    only_outside = make_assumption(statement="Only outside")
    make_reliance(agenda=in_area, assumption=both)
    make_reliance(agenda=in_sub_area, assumption=both)
    make_reliance(agenda=outside, assumption=both)
    make_reliance(agenda=outside, assumption=only_outside)

    response = client.get(LIST, {"area": "theory"})

    assert response.status_code == 200
    assert [a.name for a in response.context["columns"]] == ["In a sub-area", "In the area"]
    [row] = response.context["rows"]
    assert row.assumption.statement == "Shared across areas"
    assert row.assumption.agenda_count == 2
    assert "Only outside" not in response.text
    assert '<option value="theory" selected>' in response.text


def test_area_without_reliances_says_so(client, db):
    make_area(slug="empty-area")
    make_reliance()
    response = client.get(LIST, {"area": "empty-area"})
    assert response.status_code == 200
    assert "No agenda in this area is recorded as resting on an assumption." in response.text


def test_matrix_rows_are_paginated_keeping_the_area(client, db, monkeypatch):
    monkeypatch.setattr(reference, "MATRIX_ROWS_PER_PAGE", 2)
    monkeypatch.setattr(reference, "MATRIX_ORPHANS", 0)
    area = make_area(slug="the-area")
    agenda = make_agenda(area=area)
    for index in range(5):
        make_reliance(agenda=agenda, assumption=make_assumption(statement=f"Assumption {index}"))

    first = client.get(LIST, {"area": "the-area"})
    last = client.get(LIST, {"area": "the-area", "page": "3"})

    assert len(first.context["rows"]) == 2
    assert [row.assumption.statement for row in last.context["rows"]] == ["Assumption 4"]
    assert 'href="?area=the-area&amp;page=2"' in first.text


def test_matrix_caps_its_columns_and_lists_every_agenda(client, db, monkeypatch):
    monkeypatch.setattr(reference, "MATRIX_COLUMNS", 2)
    common = make_assumption(statement="Common")
    rare = make_assumption(statement="Rare")
    busy = make_agenda(name="Busy")
    quiet = [make_agenda(name=f"Quiet {index}") for index in range(3)]
    make_reliance(agenda=busy, assumption=common)
    make_reliance(agenda=busy, assumption=rare)
    for agenda in quiet:
        make_reliance(agenda=agenda, assumption=common)

    response = client.get(LIST)

    columns = [agenda.name for agenda in response.context["columns"]]
    assert len(columns) == 2 and "Busy" in columns
    assert response.context["agendas_left_out"] == 2
    assert "2 more are named in the list below" in response.text
    for agenda in quiet:
        assert f'href="{agenda.get_absolute_url()}"' in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "no-such-area"}, "There is no area “no-such-area”."),
        ({"page": "x"}, "The page must be a whole number."),
        ({"page": "9"}, "There is no page 9: the last page is 1."),
    ],
)
def test_bad_matrix_parameters_answer_400(client, db, params, message):
    make_reliance()
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert message in response.text
    assert 'role="alert"' in response.text
