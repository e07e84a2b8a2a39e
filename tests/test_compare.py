import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agendas.views import compare as compare_view
from tests.builders import (
    make_agenda,
    make_area,
    make_assessor,
    make_assumption,
    make_criterion,
    make_critique,
    make_organisation,
    make_problem,
    make_rated_agenda,
    make_rating,
    make_reliance,
)
from tests.fuzzing import examples
from tests.markup import squash

pytestmark = pytest.mark.django_db


def compare(client, *slugs, diff=False):
    query = "&".join(f"a={slug}" for slug in slugs) + ("&diff=1" if diff else "")
    return client.get(f"/compare/?{query}")


def row_labels(response):
    return [row.label for section in response.context["sections"] for row in section.rows]


@pytest.fixture
def trio(db):
    criterion = make_criterion(name="Robust to deception")
    same = make_criterion(name="Grounded")
    first, second = make_assessor(name="Reader One"), make_assessor(name="Reader Two")
    rlhf = make_rated_agenda(
        [criterion, same], [first, second], [[1, 2], [4, 4]], name="RLHF", slug="rlhf"
    )
    interp = make_rated_agenda(
        [criterion, same], [first, second], [[4, 5], [4, 4]], name="Interp", slug="interp"
    )
    elk = make_rated_agenda(
        [criterion, same], [first, second], [[3, 3], [4, 4]], name="ELK", slug="elk"
    )
    return rlhf, interp, elk


def test_bare_compare_shows_the_picker(client):
    make_agenda(name="Debate", slug="debate", area=make_area(name="Oversight"))
    response = client.get("/compare/")
    assert response.status_code == 200
    text = response.text
    assert "Pick 2 to 6 agendas" in text
    # Two selects, so one submit reaches a comparison; each groups the agendas by area.
    assert '<label for="compare-pick-1">First agenda</label>' in text
    assert '<label for="compare-pick-2">Second agenda</label>' in text
    assert text.count('<optgroup label="Oversight"><option value="debate">Debate</option>') == 2


def test_it_shows_one_column_per_agenda_in_the_order_asked(client, trio):
    response = compare(client, "elk", "rlhf")
    assert response.status_code == 200
    assert [column["agenda"].name for column in response.context["columns"]] == ["ELK", "RLHF"]
    text = response.text
    assert text.index(">ELK</a>") < text.index(">RLHF</a>")


def test_rows_cover_every_attribute(client, trio):
    rlhf, interp, _ = trio
    rlhf.organisations.add(make_organisation(name="Lab A"))
    rlhf.problems.add(make_problem(number=3, name="Goodhart"))
    make_critique(agenda=rlhf, severity=4)
    labels = row_labels(compare(client, "rlhf", "interp"))
    for label in [
        "Summary",
        "Area",
        "Broad approach",
        "Target case",
        "Human supervision",
        "Overall score",
        "FTEs",
        "Robust to deception",
        "Grounded",
        "Fatal if true",
        "All published critiques",
        "Orthodox problems",
        "Organisations",
    ]:
        assert label in labels, label


def test_criterion_rows_show_each_assessor_mean_and_spread(client, trio):
    text = compare(client, "rlhf", "interp").text
    assert "Reader One: 1, medium confidence" in text and "Reader Two: 2, medium confidence" in text
    assert 'score-poor">1.50</span>' in text and 'score-strong">4.50</span>' in text
    assert '</span></span> <span class="small">spread 1</span>' in text


def test_shared_assumptions_are_marked(client, trio):
    rlhf, interp, elk = trio
    shared = make_assumption(statement="Humans can judge outputs")
    only_rlhf = make_assumption(statement="Rewards generalise")
    make_reliance(agenda=rlhf, assumption=shared, load=3)
    make_reliance(agenda=interp, assumption=shared, load=1)
    make_reliance(agenda=rlhf, assumption=only_rlhf, load=2)
    response = compare(client, "rlhf", "interp", "elk")
    text = response.text
    assert "Humans can judge outputs" in text
    assert "Shared by 2 of these agendas" in text
    assert "not relied on" in text


def test_critique_counts_by_severity_count_only_published(client, trio):
    rlhf, interp, _ = trio
    make_critique(agenda=rlhf, severity=3)
    make_critique(agenda=rlhf, severity=3)
    make_critique(agenda=rlhf, severity=3, status="submitted")
    make_critique(agenda=interp, severity=1)
    response = compare(client, "rlhf", "interp")
    rows = {row.label: row.cells for s in response.context["sections"] for row in s.rows}
    assert rows["Major"] == [2, 0]
    assert rows["Minor"] == [0, 1]
    assert rows["All published critiques"] == [2, 1]


def test_each_column_leads_its_critiques_with_the_most_severe_and_whether_it_was_answered(
    client, trio
):
    rlhf, interp, elk = trio
    make_critique(agenda=rlhf, title="Moderate one", severity=2)
    make_critique(agenda=rlhf, title="Fatal one", severity=4, response="We disagree because…")
    make_critique(agenda=rlhf, title="Fatal draft", severity=4, status="submitted")
    make_critique(agenda=interp, title="Only one", severity=1)
    make_critique(agenda=elk, status="linked")
    response = compare(client, "rlhf", "interp", "elk")
    [row] = [row for s in response.context["sections"] for row in s.rows if row.kind == "critique"]
    assert row.label == "Most severe critique"
    assert [(c.title, c.answered) if c else None for c in row.cells] == [
        ("Fatal one", True),
        ("Only one", False),
        None,
    ]
    text = squash(response.text)
    cells = text[text.index("Most severe critique") :]
    assert (
        squash(
            'Fatal one</a> <span class="small">Fatal if true · from outside the agenda · answered'
        )
        in cells
    )
    assert "no reply recorded" in cells and "none published" in cells


def test_differences_only_hides_rows_that_are_the_same(client, trio):
    full = row_labels(compare(client, "rlhf", "interp"))
    diff = compare(client, "rlhf", "interp", diff=True)
    labels = row_labels(diff)
    assert "Grounded" in full and "Grounded" not in labels  # 4,4 for both
    assert "Robust to deception" in labels
    assert "Summary" in labels
    assert "Human supervision" in full and "Human supervision" not in labels  # both "relies"
    assert "Showing differences only" in squash(diff.text)


def test_the_overlaid_radar_has_a_series_per_agenda(client, trio):
    text = compare(client, "rlhf", "interp", "elk").text
    assert 'aria-labelledby="compare-radar-title compare-radar-desc"' in text
    assert text.count('class="series series-') == 3


def test_add_form_keeps_the_current_agendas_and_offers_the_others(client, trio):
    make_agenda(name="Debate", slug="debate")
    text = compare(client, "rlhf", "interp").text
    assert '<input type="hidden" name="a" value="rlhf">' in text
    assert '<option value="debate">Debate</option>' in text
    assert '<option value="rlhf">' not in text


def test_remove_links_drop_one_agenda(client, trio):
    text = compare(client, "rlhf", "interp", "elk").text
    assert 'href="/compare/?a=interp&amp;a=elk"' in text
    # With only two agendas, removing one would leave nothing to compare.
    assert "Remove RLHF" not in compare(client, "rlhf", "interp").text


@pytest.mark.parametrize(
    ("slugs", "message"),
    [
        (["rlhf", "rlhf"], "The same agenda is listed twice"),
        ([f"a{i}" for i in range(7)], "Pick at most 6 agendas"),
        (["rlhf", "not a slug!"], "Enter a valid"),
    ],
)
def test_bad_selections_answer_400_with_a_message_and_the_picker(client, trio, slugs, message):
    response = compare(client, *slugs)
    assert response.status_code == 400
    assert message in response.text
    assert 'class="ref-picker compare-picker"' in response.text


def test_unknown_agendas_answer_404_with_their_names(client, trio):
    response = compare(client, "rlhf", "no-such-agenda")
    assert response.status_code == 404
    assert "No agenda is called “no-such-agenda”" in response.text
    # What was valid stays chosen in the picker.
    assert [agenda.slug for agenda in response.context["picker"].chosen] == ["rlhf"]
    assert '<input type="hidden" name="a" value="rlhf">' in response.text


def test_one_agenda_is_a_step_of_picking_not_an_error(client, trio):
    # The agenda page's "Compare with other agendas" link names one agenda.
    response = compare(client, "rlhf")
    assert response.status_code == 200
    text = response.text
    assert "Chosen so far (1)" in text
    assert '<a class="ref-picker-remove" href="/compare/?" aria-label="Remove RLHF">' in text
    assert '<label for="compare-add-select">Compare RLHF with</label>' in text
    assert '<input type="hidden" name="a" value="rlhf">' in text
    assert '<option value="rlhf">' not in text and '<option value="elk">ELK</option>' in text


def test_one_unknown_agenda_is_a_404(client, trio):
    response = compare(client, "no-such-agenda")
    assert response.status_code == 404
    assert "No agenda is called “no-such-agenda”" in response.text


def test_six_agendas_is_the_maximum_and_the_add_form_disappears(client):
    for i in range(6):
        make_agenda(slug=f"agenda-x{i}")
    response = compare(client, *[f"agenda-x{i}" for i in range(6)])
    assert response.status_code == 200
    assert "compare-add" not in response.text
    assert "6 agendas is the most one comparison can hold" in response.text


@settings(max_examples=examples(60))
@given(
    slugs=st.lists(
        st.one_of(st.sampled_from(["rlhf", "interp", "elk"]), st.text(max_size=30)), max_size=8
    ),
    diff=st.text(max_size=5),
)
def test_no_selection_gives_a_server_error(client, trio, slugs, diff):
    response = client.get("/compare/", {"a": slugs, "diff": diff})
    assert response.status_code in (200, 400, 404)


def test_critique_counts_follow_the_columns_and_are_zero_when_there_are_none(client, trio):
    rlhf, interp, elk = trio
    make_critique(agenda=interp, severity=4)
    make_critique(agenda=interp, severity=2)
    make_critique(agenda=interp, severity=2, status="rejected")
    make_critique(agenda=rlhf, severity=1)
    make_critique(agenda=elk, status="linked")
    response = compare(client, "elk", "interp", "rlhf")
    section = next(s for s in response.context["sections"] if s.title == "Critiques by severity")
    assert [(row.label, row.cells) for row in section.rows[1:]] == [
        ("Fatal if true", [0, 1, 0]),
        ("Major", [0, 0, 0]),
        ("Moderate", [0, 1, 0]),
        ("Minor", [0, 0, 1]),
        ("All published critiques", [0, 2, 1]),
        ("Linked by the Shallow Review, not yet summarised", [1, 0, 0]),
    ]


def test_the_picker_groups_agendas_by_area_top_level_first(client):
    theory = make_area(name="Theory", order=2)
    decisions = make_area(name="Decisions", parent=theory)
    evals = make_area(name="Evals", order=1)
    make_agenda(name="Zeta", slug="zeta", area=evals)
    make_agenda(name="Alpha", slug="alpha", area=decisions)
    make_agenda(name="Beta", slug="beta", area=theory)

    picker = client.get("/compare/").context["picker"]

    assert [(label, [a.slug for a in agendas]) for label, agendas in picker.groups] == [
        ("Evals", ["zeta"]),
        ("Theory", ["beta"]),
        ("Theory › Decisions", ["alpha"]),
    ]


def test_the_picker_narrows_by_area_and_name(client):
    theory, evals = make_area(slug="theory", name="Theory"), make_area(slug="evals")
    make_agenda(name="Agent foundations", slug="foundations", area=theory)
    make_agenda(name="Natural abstractions", slug="abstractions", area=theory)
    make_agenda(name="Agentic evals", slug="agentic", area=evals)

    by_area = client.get("/compare/", {"area": "theory"}).context["picker"]
    by_name = client.get("/compare/", {"q": "AGENT"}).context["picker"]
    both = client.get("/compare/", {"area": "theory", "q": "agent"})

    def slugs(picker):
        return sorted(agenda.slug for _, agendas in picker.groups for agenda in agendas)

    assert slugs(by_area) == ["abstractions", "foundations"]
    assert slugs(by_name) == ["agentic", "foundations"]
    assert slugs(both.context["picker"]) == ["foundations"]
    assert "Agendas in Theory whose name contains “agent”, grouped by area." in squash(both.text)
    assert '<option value="theory" selected>' in squash(both.text)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "nowhere"}, "There is no area “nowhere”."),
        ({"q": "x" * 101}, "Keep the name under 100"),
    ],
)
def test_bad_narrowing_answers_400_and_still_offers_every_agenda(client, params, message):
    make_agenda(name="Debate", slug="debate")
    response = client.get("/compare/", params)
    assert response.status_code == 400
    assert message in response.text
    assert '<option value="debate">Debate</option>' in response.text


def test_past_the_limit_the_picker_asks_to_narrow_first(client, monkeypatch):
    monkeypatch.setattr(compare_view, "PICKER_LIMIT", 3)
    area = make_area(slug="big")
    for index in range(5):
        make_agenda(name=f"Agenda {index}", slug=f"agenda-{index}", area=area)
    make_agenda(name="Lonely", slug="lonely", area=make_area(slug="small"))

    whole = client.get("/compare/")
    narrowed = client.get("/compare/", {"area": "small"})
    still_too_many = client.get("/compare/", {"area": "big"})

    assert '<option value="agenda-' not in whole.text and '<select name="a"' not in whole.text
    assert "There are more agendas than one list can hold" in whole.text
    assert "First, narrow the list" in whole.text
    assert '<option value="lonely">Lonely</option>' in narrowed.text
    assert still_too_many.text.count('<option value="agenda-') == 2 * 3  # two selects
    assert "More agendas match than one list can hold" in still_too_many.text


def test_scores_show_their_confidence(client):
    criterion = make_criterion(name="Robust to deception")
    sure, unsure = make_assessor(name="Sure"), make_assessor(name="Unsure")
    low = make_agenda(name="Low", slug="low")
    high = make_agenda(name="High", slug="high")
    for assessor in (sure, unsure):
        make_rating(agenda=low, criterion=criterion, assessor=assessor, score=2, confidence="low")
        make_rating(agenda=high, criterion=criterion, assessor=assessor, score=4, confidence="high")

    response = compare(client, "low", "high")

    rows = {row.label: row for section in response.context["sections"] for row in section.rows}
    assert [score.confidence for score in rows["Overall score"].cells] == ["low", "high"]
    assert [cell.confidence for cell in rows["Robust to deception"].cells] == ["low", "high"]
    text = squash(response.text)
    assert text.count('score-conf-low score-weak">2.00</span>') == 2  # overall and criterion
    assert text.count('score-conf-high score-strong">4.00</span>') == 2
    assert "Sure: 2, low confidence" in text and "Sure: 4, high confidence" in text
    assert "Low: 2.00/5 overall, low confidence" in text
    assert 'class="series-dot series-0 conf-low"' in text
    assert 'class="series-dot series-1 conf-high"' in text


def test_a_bad_narrowing_while_picking_names_only_what_is_wrong(client, trio):
    response = client.get("/compare/", {"a": "rlhf", "area": "nowhere"})
    assert response.status_code == 400
    assert "There is no area “nowhere”." in response.text
    assert "Pick at least 2" not in response.text
    assert [agenda.slug for agenda in response.context["picker"].chosen] == ["rlhf"]
