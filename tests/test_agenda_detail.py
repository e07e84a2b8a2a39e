import datetime

import pytest

from tests.builders import (
    make_agenda,
    make_agenda_alias,
    make_assessor,
    make_assumption,
    make_criterion,
    make_critique,
    make_organisation,
    make_problem,
    make_rated_agenda,
    make_rating,
    make_reliance,
    make_source,
)
from tests.markup import squash

pytestmark = pytest.mark.django_db


def test_unknown_agenda_is_a_404(client):
    assert client.get("/agendas/no-such-agenda/").status_code == 404


def test_it_shows_every_field(client):
    parent = make_agenda(name="RLHF")
    agenda = make_agenda(
        name="RLHF++",
        parent=parent,
        summary="Feedback, helped by AI assistants.",
        description="The **work** itself.",
        theory_of_change="Assisted humans keep up.",
        broad_approach="behavioural",
        target_case="pessimistic",
        supervision="partly",
        status="dormant",
        people="Ada One, Bo Two",
        funders="Funded by *someone*.",
        fte_low=10,
        fte_high=30,
        fte_source=make_source(title="Headcount survey"),
        fte_date=datetime.date(2025, 6, 1),
    )
    child = make_agenda(name="Constitutional AI", parent=agenda)
    agenda.problems.add(make_problem(number=4, name="Goodhart"))
    agenda.organisations.add(make_organisation(name="Lab A", slug="lab-a"))
    agenda.sources.add(make_source(title="The founding paper", authors="A. Author", year=2021))
    agenda.tags.add("oversight")
    make_agenda_alias(agenda=agenda, name="Scalable oversight")
    text = client.get(agenda.get_absolute_url()).text
    for expected in [
        "Feedback, helped by AI assistants.",
        "<strong>work</strong>",
        "Assisted humans keep up.",
        "<em>someone</em>",
        "Behavioural science",
        "Pessimistic case",
        "Partly relies on human supervision",
        "Dormant",
        "Ada One, Bo Two",
        "10–30",
        "Headcount survey",
        "Jun 2025",
        "The founding paper",
        "A. Author",
        "(2021)",
        "4. Goodhart",
        f'href="{parent.get_absolute_url()}"',
        f'href="{child.get_absolute_url()}"',
        'href="/organisations/lab-a/"',
        'href="/tags/oversight/"',
        "Also known as Scalable oversight",
    ]:
        assert expected in text, expected


def test_ratings_per_criterion_per_assessor_with_rationale_mean_and_spread(client):
    criterion = make_criterion(name="Robust to deception")
    unrated = make_criterion(name="Grounded in experiments")
    first, second = make_assessor(name="Reader One"), make_assessor(name="Reader Two")
    agenda = make_agenda()
    make_rating(agenda=agenda, criterion=criterion, assessor=first, score=2, rationale="Weak.")
    make_rating(agenda=agenda, criterion=criterion, assessor=second, score=5, rationale="Fine.")
    response = client.get(agenda.get_absolute_url())
    text = squash(response.text)
    assert "Reader One" in text and "Reader Two" in text
    assert "Weak." in text and "Fine." in text
    assert "mean 3.50 (medium confidence), spread 3" in text
    # The radar chart has an axis for every criterion, rated or not, and a text alternative.
    assert '<svg class="chart chart-radar"' in text
    assert 'aria-labelledby="radar-title radar-desc"' in text
    assert "Grounded in experiments not rated" in text
    assert unrated.name in text


def test_assumptions_show_load_reason_and_the_other_agendas_resting_on_them(client):
    agenda = make_agenda(name="Debate")
    sharer = make_agenda(name="Amplification")
    assumption = make_assumption(statement="Judges can follow the argument", slug="judges")
    make_reliance(agenda=agenda, assumption=assumption, load=3, reason="No judge, no debate.")
    make_reliance(agenda=sharer, assumption=assumption, load=1)
    text = squash(client.get(agenda.get_absolute_url()).text)
    assert 'href="/assumptions/judges/"' in text
    assert "Critical" in text
    assert "No judge, no debate." in text
    assert "Also rests on it:" in text
    assert squash(f'<a href="{sharer.get_absolute_url()}">Amplification</a> (minor)') in text


def test_critiques_are_grouped_by_severity_and_drafts_never_show(client):
    agenda = make_agenda()
    source = make_source(title="The critical post")
    response_source = make_source(title="The reply post")
    make_critique(
        agenda=agenda,
        title="Fatal flaw",
        severity=4,
        source=source,
        response="We *disagree*.",
        response_source=response_source,
        slug="fatal-flaw",
    )
    make_critique(agenda=agenda, title="Small issue", severity=1)
    make_critique(agenda=agenda, title="Secret draft", status="submitted")
    make_critique(agenda=agenda, title="Rejected one", status="rejected")
    text = client.get(agenda.get_absolute_url()).text
    assert text.index("Fatal if true") < text.index("Fatal flaw") < text.index("Minor")
    assert text.index("Minor") < text.index("Small issue")
    assert "The critical post" in text and "The reply post" in text
    assert "<em>disagree</em>" in text
    assert 'href="/critiques/fatal-flaw/"' in text
    assert "Secret draft" not in text
    assert "Rejected one" not in text


def test_many_critiques_show_the_most_severe_and_link_to_all(client):
    from agendas.views.pages import CRITIQUES_SHOWN, LINKED_SHOWN

    agenda = make_agenda()
    for n in range(CRITIQUES_SHOWN + 2):
        make_critique(agenda=agenda, title=f"Minor point {n}", severity=1)
    make_critique(agenda=agenda, title="The fatal one", severity=4)
    for n in range(LINKED_SHOWN + 1):
        make_critique(agenda=agenda, title=f"Linked {n:02}", status="linked")
    text = squash(client.get(agenda.get_absolute_url()).text)
    assert "The fatal one" in text
    assert text.count('class="critique"') == CRITIQUES_SHOWN
    assert f"{CRITIQUES_SHOWN + 3} summarised and assessed by our editors" in text
    assert f"read all {CRITIQUES_SHOWN + 3}</a>" in text
    assert f"?agenda={agenda.slug}&amp;state=published&amp;sort=severity" in text
    assert f"Linked {LINKED_SHOWN - 1:02}" in text and f"Linked {LINKED_SHOWN:02}" not in text
    assert f"see all {LINKED_SHOWN + 1}</a>" in text
    assert f"?agenda={agenda.slug}&amp;state=linked" in text


def test_a_few_critiques_are_all_shown_without_a_see_all_link(client):
    agenda = make_agenda()
    make_critique(agenda=agenda, title="Only one", severity=2)
    text = client.get(agenda.get_absolute_url()).text
    assert "Only one" in text and "read all" not in text and "see all" not in text


def test_user_markdown_is_sanitised(client):
    agenda = make_agenda(description="<script>alert(1)</script> [x](javascript:alert(1))")
    make_critique(agenda=agenda, body="<img src=x onerror=alert(1)>")
    text = client.get(agenda.get_absolute_url()).text
    assert "<script" not in text
    assert "javascript:" not in text
    assert "onerror" not in text


def test_an_unrated_agenda_says_so(client):
    agenda = make_agenda()
    text = client.get(agenda.get_absolute_url()).text
    assert "Not rated yet." in text
    assert "not rated" in text


def test_overall_score_on_the_page_is_the_weighted_mean(client):
    heavy, light = make_criterion(weight=3), make_criterion(weight=1)
    assessor = make_assessor()
    agenda = make_rated_agenda([heavy, light], [assessor], [[4], [2]])
    assert '3.50<span class="score-max">/5</span>' in client.get(agenda.get_absolute_url()).text


def test_every_score_shows_its_confidence_never_by_colour_alone(client):
    criterion = make_criterion(name="Robust to deception")
    sure, unsure = make_assessor(name="Sure"), make_assessor(name="Unsure")
    agenda = make_agenda()
    make_rating(agenda=agenda, criterion=criterion, assessor=sure, score=4, confidence="high")
    make_rating(agenda=agenda, criterion=criterion, assessor=unsure, score=4, confidence="low")
    agenda.refresh_from_db()
    assert agenda.score_confidence == "low"  # stored by agendas/scoring.py

    text = client.get(agenda.get_absolute_url()).text

    # The overall score: the word, and a dashed box for low confidence.
    header = text[text.index('<p class="score-summary">') :]
    header = header[: header.index("</p>")]
    assert "score-conf-low" in header and "low confidence" in header
    # The summary table's mean and each rating, each with the word.
    assert 'score-conf-low score-strong">4.00</span>' in text
    assert 'score-conf-high score-strong">4</span>' in text
    assert 'score-conf-low score-strong">4</span>' in text
    assert '<span class="confidence confidence-high">' in text
    # The radar: a dashed ring for the low-confidence mean, and the word in its text.
    assert 'class="series-dot series-0 conf-low"' in text
    assert "Robust to deception 4.0 (low confidence)" in text


def test_status_and_people_carry_their_date_and_source(client, db):
    import datetime

    from tests.builders import make_agenda, make_source

    review = make_source(title="A dated review", url="https://example.org/review", year=2025)
    agenda = make_agenda(
        people="Ada Example",
        people_as_of=datetime.date(2025, 12, 16),
        people_source=review,
        status_as_of=datetime.date(2025, 12, 16),
        status_source=review,
    )
    html = client.get(agenda.get_absolute_url()).text
    facts = html.split('id="facts-heading"')[1]
    assert facts.count('datetime="2025-12-16"') == 2
    assert facts.count('href="https://example.org/review"') == 2
