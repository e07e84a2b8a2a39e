import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from agendas.models import Critique
from agendas.views.reference import CRITIQUES_ORPHANS, CRITIQUES_PER_PAGE
from tests.builders import (
    make_agenda,
    make_assumption,
    make_critique,
    make_source,
)
from tests.fuzzing import examples
from tests.markup import squash

LIST = "/critiques/"


def titles(response):
    return [critique.title for critique in response.context["critiques"]]


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def mixed(db):
    """Published critiques that differ in one attribute each, plus a draft and a rejected one."""
    debate = make_agenda(name="Debate", slug="debate")
    rlhf = make_agenda(name="RLHF", slug="rlhf")
    judged = make_assumption(statement="Humans can judge", slug="humans-can-judge")
    make_critique(
        agenda=debate,
        title="Honest debaters may lose",
        kind=Critique.Kind.SCALABILITY,
        severity=Critique.Severity.FATAL,
        assumption=judged,
        reviewed_at=days_ago(3),
    )
    make_critique(
        agenda=rlhf,
        title="Reward hacking shows up early",
        kind=Critique.Kind.EVIDENCE,
        severity=Critique.Severity.MINOR,
        body="Sycophancy appears in today's models.",
        voice=Critique.Voice.OWN,
        basis=Critique.Basis.FULL_TEXT,
        reviewed_at=days_ago(1),
    )
    make_critique(
        agenda=rlhf,
        title="Raters are fooled by confident answers",
        kind=Critique.Kind.SCALABILITY,
        severity=Critique.Severity.MAJOR,
        author="Jane Sceptic",
        assumption=judged,
        response="The proposers say raters can be trained.",
        reviewed_at=days_ago(2),
    )
    make_critique(agenda=rlhf, title="Draft never shown", status=Critique.Status.SUBMITTED)
    make_critique(agenda=debate, title="Rejected never shown", status=Critique.Status.REJECTED)


def test_list_shows_published_critiques_newest_first(client, mixed):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == [
        "Reward hacking shows up early",
        "Raters are fooled by confident answers",
        "Honest debaters may lose",
    ]
    assert "3 critiques" in squash(response.text)
    assert "3 summarised and assessed by our editors; 0 linked by the Shallow Review" in (
        squash(response.text)
    )


def test_list_never_shows_drafts_or_rejected(client, mixed):
    for query in ["", "?agenda=rlhf", "?agenda=debate", "?q=never+shown", "?sort=severity"]:
        html = client.get(LIST + query).text
        assert "Draft never shown" not in html
        assert "Rejected never shown" not in html


def test_sort_by_severity_puts_the_most_severe_first(client, mixed):
    response = client.get(LIST, {"sort": "severity"})
    assert titles(response) == [
        "Honest debaters may lose",
        "Raters are fooled by confident answers",
        "Reward hacking shows up early",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"agenda": "debate"}, ["Honest debaters may lose"]),
        (
            {"agenda": "rlhf"},
            ["Reward hacking shows up early", "Raters are fooled by confident answers"],
        ),
        ({"kind": "evidence"}, ["Reward hacking shows up early"]),
        ({"severity": "3"}, ["Raters are fooled by confident answers"]),
        (
            {"assumption": "humans-can-judge"},
            ["Raters are fooled by confident answers", "Honest debaters may lose"],
        ),
        ({"q": "SYCOPHANCY"}, ["Reward hacking shows up early"]),
        ({"q": "jane sceptic"}, ["Raters are fooled by confident answers"]),
        ({"q": "debaters"}, ["Honest debaters may lose"]),
        ({"agenda": "rlhf", "kind": "scalability"}, ["Raters are fooled by confident answers"]),
        ({"agenda": "debate", "kind": "evidence"}, []),
        ({"voice": "own"}, ["Reward hacking shows up early"]),
        (
            {"voice": "outside"},
            ["Raters are fooled by confident answers", "Honest debaters may lose"],
        ),
        ({"voice": "editors"}, []),
        ({"basis": "full-text"}, ["Reward hacking shows up early"]),
        ({"reply": "answered"}, ["Raters are fooled by confident answers"]),
        (
            {"reply": "unanswered"},
            ["Reward hacking shows up early", "Honest debaters may lose"],
        ),
        (
            {"voice": "outside", "reply": "unanswered", "sort": "severity"},
            ["Honest debaters may lose"],
        ),
    ],
)
def test_each_filter_narrows_the_list(client, mixed, params, expected):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert titles(response) == expected


def test_filters_are_echoed_in_the_form(client, mixed):
    html = client.get(LIST, {"agenda": "rlhf", "q": "raters", "sort": "severity"}).text
    assert '<option value="rlhf" selected>' in html
    assert 'value="raters"' in html
    assert '<option value="severity" selected>' in html


def test_no_match_says_so(client, mixed):
    response = client.get(LIST, {"q": "nothing like this"})
    assert response.status_code == 200
    assert "No critique matches these filters." in response.text


def test_form_controls_are_labelled(client, mixed):
    html = client.get(LIST).text
    for name in ["q", "agenda", "assumption", "state", "kind", "voice", "basis", "reply"]:
        assert f'<label for="id_{name}">' in html
        assert f'id="id_{name}"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"agenda": "no-such-agenda"}, "There is no agenda “no-such-agenda”."),
        ({"assumption": "nope"}, "There is no assumption “nope”."),
        ({"kind": "rude"}, "“rude” is not a kind of critique."),
        ({"state": "submitted"}, "“submitted” is not a state a public critique can be in."),
        ({"state": "rejected"}, "“rejected” is not a state a public critique can be in."),
        ({"severity": "9"}, "Severity must be 1 to 4, not “9”."),
        ({"severity": "major"}, "Severity must be 1 to 4, not “major”."),
        ({"sort": "random"}, "“random” is not a way to sort critiques."),
        ({"voice": "loud"}, "“loud” is not a voice a critique is in."),
        ({"basis": "rumour"}, "“rumour” is not something a summary rests on."),
        ({"reply": "yes"}, "“yes” is not answered or unanswered."),
        ({"page": "two"}, "The page must be a whole number."),
        ({"page": "0"}, "Page: Ensure this value is greater than or equal to 1."),
        ({"page": "99999999999999999999"}, "Page: Ensure this value is less than or equal to"),
        ({"q": "x" * 201}, "Keep the text filter under 200 characters."),
        ({"q": "nul\x00byte"}, "NUL character"),
    ],
)
def test_bad_values_answer_400_with_a_message(client, mixed, params, message):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert message in response.text
    assert 'role="alert"' in response.text
    assert "Honest debaters may lose" not in response.text


def test_page_past_the_end_answers_404(client, mixed):
    response = client.get(LIST, {"page": "5"})
    assert response.status_code == 404
    assert "There is no page 5: the last page is 1." in response.text


def test_pagination_keeps_the_filters_in_the_links(client, db):
    agenda = make_agenda(slug="many")
    count = CRITIQUES_PER_PAGE + CRITIQUES_ORPHANS + 1
    for day in range(count):
        make_critique(agenda=agenda, title=f"Critique day {day:02d}", reviewed_at=days_ago(day))

    first = client.get(LIST, {"agenda": "many"})
    second = client.get(LIST, {"agenda": "many", "page": "2"})

    assert len(titles(first)) == CRITIQUES_PER_PAGE
    assert titles(first)[0] == "Critique day 00"
    assert titles(second) == [f"Critique day {day:02d}" for day in range(CRITIQUES_PER_PAGE, count)]
    assert 'href="?agenda=many&amp;page=2"' in first.text
    assert "Next ›" in first.text
    assert 'href="?agenda=many&amp;page=1"' in second.text


def test_orphans_stay_on_the_last_page(client, db):
    agenda = make_agenda()
    for _ in range(CRITIQUES_PER_PAGE + CRITIQUES_ORPHANS):
        make_critique(agenda=agenda)
    response = client.get(LIST)
    assert len(titles(response)) == CRITIQUES_PER_PAGE + CRITIQUES_ORPHANS
    assert "Next ›" not in response.text


def test_detail_shows_everything_about_a_published_critique(client, db):
    agenda = make_agenda(name="Debate")
    assumption = make_assumption(statement="Judges can follow the argument")
    critique = make_critique(
        agenda=agenda,
        assumption=assumption,
        title="Honest debaters may lose",
        body="A **persuasive** liar can win.",
        kind=Critique.Kind.THEORY_OF_CHANGE,
        severity=Critique.Severity.FATAL,
        author="Jane Sceptic",
        source=make_source(title="Debate critique paper", url="https://example.org/paper"),
        response="Cross-examination helps.",
        response_source=make_source(title="Reply post", url="https://example.org/reply"),
    )

    response = client.get(critique.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert "<h1>Honest debaters may lose</h1>" in html
    assert "<strong>persuasive</strong>" in html
    assert "Theory of change" in html
    assert "Fatal if true" in html
    assert "Jane Sceptic" in html
    assert '<a href="https://example.org/paper">Debate critique paper</a>' in html
    assert "Cross-examination helps." in html
    assert '<a href="https://example.org/reply">Reply post</a>' in html
    assert f'href="{agenda.get_absolute_url()}"' in html
    assert f'href="{assumption.get_absolute_url()}"' in html


def test_detail_without_response_says_so(client, db):
    html = squash(client.get(make_critique().get_absolute_url()).text)
    assert "No published reply from the agenda’s people is recorded here." in html
    assert "None in particular" in html


@pytest.mark.parametrize("status", [Critique.Status.SUBMITTED, Critique.Status.REJECTED])
def test_unpublished_critique_is_404(client, db, status):
    critique = make_critique(status=status)
    response = client.get(critique.get_absolute_url())
    assert response.status_code == 404
    assert critique.title not in response.text


def test_unknown_critique_is_404(client, db):
    assert client.get("/critiques/no-such-critique/").status_code == 404


def test_critique_body_is_sanitised(client, db):
    critique = make_critique(
        body='<script>alert(1)</script><img src=x onerror="alert(2)"> [a](javascript:alert(3))',
        response="<iframe src='https://evil.example'></iframe>",
    )
    html = client.get(critique.get_absolute_url()).text
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html


def test_list_links_each_critique_to_its_page(client, mixed):
    critique = Critique.objects.get(title="Honest debaters may lose")
    assert f'href="{critique.get_absolute_url()}"' in client.get(LIST).text
    assert (
        reverse("agendas:critique_detail", args=[critique.slug]) == f"/critiques/{critique.slug}/"
    )


@settings(max_examples=examples(40))
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "agenda", "assumption", "kind", "severity", "sort", "page", "x"]),
        st.text(max_size=30),
        max_size=4,
    )
)
def test_any_query_string_answers_200_or_400_never_500(client, mixed, params):
    response = client.get(LIST, params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert 'role="alert"' in response.text


def test_filter_options_escape_names(client, db):
    make_agenda(name="<b>Bold</b> agenda", slug="bold")
    make_assumption(statement='Quotes " and <i>tags</i>', slug="quotes")
    html = client.get(LIST).text
    assert '<option value="bold">&lt;b&gt;Bold&lt;/b&gt; agenda</option>' in html
    assert "&lt;i&gt;tags&lt;/i&gt;" in html
    assert "<b>Bold</b>" not in html
