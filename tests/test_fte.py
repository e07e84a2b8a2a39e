"""One FTE estimate (agendas/fte.py), shown the same way on every page that shows it."""

import pytest

from agendas.fte import FteRange, FteTotal
from tests.builders import make_agenda, make_assumption, make_reliance


@pytest.mark.parametrize(
    ("low", "high", "label", "midpoint", "log_middle"),
    [
        (1, 100, "1–100", 50.5, 10),
        (4, 4, "4", 4, 4),
        (100, None, "100+", 100, 100),  # open: counts at its lower end
        (None, 30, "30", 30, 30),
        (None, None, "unknown", None, None),
        (0, 9, "0–9", 4.5, 3),  # zero counts as one on a log scale
        (1200, 3000, "1,200–3,000", 2100, 1897.3666),
    ],
)
def test_a_range_has_one_label_and_one_midpoint(low, high, label, midpoint, log_middle):
    fte = FteRange(low, high)
    assert str(fte) == label
    assert fte.midpoint == (None if midpoint is None else pytest.approx(midpoint))
    assert fte.log_middle == (None if log_middle is None else pytest.approx(log_middle))


def test_the_words_the_source_used_win():
    assert str(FteRange(30, 30, "about 30")) == "about 30"


def test_a_total_is_open_ended_when_any_estimate_is_and_never_counts_unknown_as_zero():
    total = FteTotal.of([FteRange(10, 20), FteRange(5, None), FteRange()])
    assert (total.agendas, total.known, total.unknown) == (3, 2, 1)
    assert (total.low, total.high) == (15, 25)
    assert str(total) == "15–25+"
    assert str(FteTotal()) == "0"
    assert str(FteTotal.of([FteRange()])) == "unknown"


@pytest.mark.django_db
def test_every_page_that_shows_an_agendas_ftes_shows_the_same_label(client):
    agenda = make_agenda(name="Open", slug="open", fte_low=100, fte_high=None)
    other = make_agenda(name="Other", slug="other")
    assumption = make_assumption()
    make_reliance(agenda=agenda, assumption=assumption)
    pages = [
        agenda.get_absolute_url(),
        "/agendas/",
        f"/compare/?a={agenda.slug}&a={other.slug}",
        "/landscape/",
        assumption.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "100+" in response.text, url
