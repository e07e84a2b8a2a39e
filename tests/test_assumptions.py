import pytest
from django.urls import reverse

from agendas.fte import FteRange, FteTotal
from agendas.models import Agenda, Critique, Reliance
from agendas.views import reference
from tests.builders import make_agenda, make_area, make_assumption, make_critique, make_reliance
from tests.markup import squash

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
    # A cell without a reliance is empty: the key says so, and screen readers call it blank.
    assert "<td></td>" in html
    assert "an empty cell (shown as a dash) means the agenda does not rest on it" in html


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
    make_area(slug="empty-area", name="Empty area")
    make_reliance()
    response = client.get(LIST, {"area": "empty-area"})
    assert response.status_code == 200
    assert "No agenda in Empty area is recorded as resting on an assumption." in response.text


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
    assert "2 more that rest on these assumptions are named in the list below" in squash(
        response.text
    )
    for agenda in quiet:
        assert f'href="{agenda.get_absolute_url()}"' in squash(response.text)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "no-such-area"}, "There is no area “no-such-area”."),
        ({"page": "x"}, "The page must be a whole number."),
    ],
)
def test_bad_matrix_parameters_answer_400(client, db, params, message):
    make_reliance()
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert message in response.text
    assert 'role="alert"' in response.text


def test_a_page_past_the_last_is_a_404_that_says_so(client, db):
    make_reliance()
    response = client.get(LIST, {"page": "9"})
    assert response.status_code == 404
    assert "There is no page 9: the last page is 1." in response.text


def test_ties_go_to_the_assumption_more_agendas_rest_on_critically_then_alphabetically(client, db):
    # As with the imported assumptions, which the same agendas share: counts tie.
    agendas = [make_agenda() for _ in range(3)]
    minor = make_assumption(statement="A minor one")
    critical = make_assumption(statement="Z critical one")
    also_minor = make_assumption(statement="B minor one")
    for agenda in agendas:
        make_reliance(agenda=agenda, assumption=minor, load=Reliance.Load.MINOR)
        make_reliance(agenda=agenda, assumption=also_minor, load=Reliance.Load.MINOR)
    for index, agenda in enumerate(agendas):
        load = Reliance.Load.CRITICAL if index < 2 else Reliance.Load.SIGNIFICANT
        make_reliance(agenda=agenda, assumption=critical, load=load)
    make_reliance(assumption=make_assumption(statement="AAA shared by one only"))

    response = client.get(LIST)

    rows = response.context["rows"]
    assert [row.assumption.statement for row in rows] == [
        "Z critical one",
        "A minor one",
        "B minor one",
        "AAA shared by one only",
    ]
    assert [(row.assumption.agenda_count, row.assumption.critical_count) for row in rows] == [
        (3, 2),
        (3, 0),
        (3, 0),
        (1, 1),
    ]
    html = squash(response.text)
    # The page says the order it uses, and shows the counts it sorts by.
    assert "rows by how many agendas rest on the assumption, most first" in html
    assert "the one more of them rest on critically comes first, then alphabetical order" in html
    assert '<td class="num">3<span class="small">2 critically</span></td>' in html


def test_counts_within_an_area_count_only_its_agendas(client, db):
    area = make_area(slug="the-area", name="The area")
    inside = make_agenda(area=area)
    shared = make_assumption(statement="Shared")
    make_reliance(agenda=inside, assumption=shared)
    for _ in range(3):
        make_reliance(assumption=shared)  # agendas in other areas

    response = client.get(LIST, {"area": "the-area"})

    [row] = response.context["rows"]
    assert row.assumption.agenda_count == 1
    assert "rows by how many agendas in this area rest on the assumption" in squash(response.text)
    assert "What the agendas in The area rest on" in squash(response.text)


def test_matrix_pages_by_top_level_area_and_groups_sub_areas_in_the_select(client, db):
    theory = make_area(slug="theory", name="Theory", order=2)
    make_area(slug="decision-theory", name="Decision theory", parent=theory)
    make_area(slug="evals", name="Evals", order=1)
    make_reliance()

    html = squash(client.get(LIST, {"area": "decision-theory"}).text)

    nav = html[
        html.index('aria-label="Assumptions by area"') : html.index(
            "</nav>", html.index('aria-label="Assumptions by area"')
        )
    ]
    assert '<a href="/assumptions/">Most shared, all areas</a>' in nav
    assert 'href="/assumptions/?area=evals">Evals</a>' in nav
    # A sub-area is shown under its top-level area, which the navigation marks.
    assert 'href="/assumptions/?area=theory" aria-current="true">Theory</a>' in nav
    assert "Decision theory" not in nav
    assert (
        '<optgroup label="Theory"><option value="theory">All of Theory</option>'
        '<option value="decision-theory" selected>Decision theory</option></optgroup>'
    ) in html


def test_default_matrix_is_marked_as_the_most_shared(client, db):
    make_reliance()
    html = squash(client.get(LIST).text)
    assert '<a href="/assumptions/" aria-current="page">Most shared, all areas</a>' in html
    assert "The assumptions shared by the most agendas" in html


def test_matrix_scrolls_in_its_own_focusable_labelled_region(client, db):
    make_reliance()
    html = client.get(LIST).text
    assert (
        '<div class="table-wrap ref-matrix-wrap" role="region" '
        'aria-labelledby="matrix-caption" tabindex="0">'
    ) in html
    assert '<caption id="matrix-caption">' in html


def make_fte_agenda(name, low=None, high=None, score=None, confidence=""):
    agenda = make_agenda(name=name, fte_low=low, fte_high=high)
    # Scores are derived data (agendas/scoring.py); set here as the scorer would store them.
    Agenda.objects.filter(pk=agenda.pk).update(overall_score=score, score_confidence=confidence)
    return agenda


def test_detail_groups_the_hurt_agendas_by_load_with_their_ftes_and_scores(client, db):
    assumption = make_assumption(statement="Humans can judge outputs")
    for name, low, high, load in [
        ("Big critical", 20, 50, Reliance.Load.CRITICAL),
        ("Small critical", 5, 10, Reliance.Load.CRITICAL),
        ("Unknown critical", None, None, Reliance.Load.CRITICAL),
        ("Open-ended minor", 100, None, Reliance.Load.MINOR),
    ]:
        make_reliance(
            agenda=make_fte_agenda(name, low, high, score=2.5, confidence="low"),
            assumption=assumption,
            load=load,
        )

    response = client.get(assumption.get_absolute_url())

    groups = {group.label: group for group in response.context["groups"]}
    critical = groups["Critical"]
    assert [r.agenda.name for r in critical.reliances] == [
        "Big critical",
        "Small critical",
        "Unknown critical",
    ]
    assert (critical.fte.low, critical.fte.high, critical.fte.unknown) == (25, 60, 1)
    assert groups["Significant"].reliances == []
    assert str(groups["Minor"].fte) == "100+"
    html = squash(response.text)
    assert (
        "4 agendas rest on it, with 125–160+ FTEs between them (plus 1 whose FTEs are unknown)."
        in html
    )
    assert "(3 agendas, 25–60 FTEs, 1 with FTEs unknown; the most FTEs first)" in html
    assert html.index("Big critical") < html.index("Open-ended minor")
    assert 'score-conf-low score-weak">2.50</span>' in html
    assert '<span class="confidence confidence-low">' in html


def test_fte_total_never_counts_an_unknown_estimate_as_zero():
    agendas = [
        Agenda(fte_low=10, fte_high=20),
        Agenda(fte_low=None, fte_high=7),
        Agenda(fte_low=None, fte_high=None),
    ]
    total = FteTotal.of(FteRange.of(agenda) for agenda in agendas)
    assert (total.low, total.high, total.unknown, total.is_open_ended) == (17, 27, 1, False)
    assert str(total) == "17–27"
    nothing = FteTotal.of([FteRange.of(Agenda())])
    assert not nothing.known and nothing.unknown == 1


def test_detail_shows_the_most_severe_critiques_and_links_to_all(client, db, monkeypatch):
    monkeypatch.setattr(reference, "ASSUMPTION_CRITIQUES_SHOWN", 2)
    assumption = make_assumption()
    agenda = make_agenda()
    for severity in [1, 4, 2]:
        make_critique(
            agenda=agenda, assumption=assumption, severity=severity, title=f"Sev {severity}"
        )

    response = client.get(assumption.get_absolute_url())

    assert [c.title for c in response.context["assumption"].published_critiques] == [
        "Sev 4",
        "Sev 2",
    ]
    assert "The 2 most severe of 3 published critiques." in squash(response.text)
    assert (
        f'?assumption={assumption.slug}&amp;sort=severity">All 3 critiques aimed at it'
        in squash(response.text)
    )


def test_the_list_names_the_first_agendas_by_load_and_counts_the_rest(client, db, monkeypatch):
    monkeypatch.setattr(reference, "AGENDA_LINKS_PER_ROW", 2)
    assumption = make_assumption()
    make_reliance(agenda=make_agenda(name="Minor one"), assumption=assumption, load=1)
    make_reliance(agenda=make_agenda(name="Critical one"), assumption=assumption, load=3)
    make_reliance(agenda=make_agenda(name="Significant one"), assumption=assumption, load=2)

    html = squash(client.get(LIST).text)

    listed = html[html.index('<p class="ref-list-loads">') :]
    listed = listed[: listed.index("</p>")]
    assert squash("<strong>Critical</strong> for <a") in listed
    assert squash("<strong>Significant</strong> for <a") in listed
    assert "Minor one" not in listed
    assert f'<a href="{assumption.get_absolute_url()}">1 more on its page</a>.' in listed
