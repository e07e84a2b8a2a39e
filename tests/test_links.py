"""agendas/links.py: a row's link without reverse(), equal to what reverse() gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from agendas.links import slug_url
from tests.builders import make_agenda

ROW_VIEWS = [
    "agendas:agenda_detail",
    "agendas:assumption_detail",
    "agendas:critique_detail",
    "agendas:criterion_detail",
    "agendas:organisation_detail",
    "agendas:agenda_critiques_feed",
]


@pytest.mark.parametrize("view_name", ROW_VIEWS)
@pytest.mark.parametrize("slug", ["a", "demo-causal-probing-734", "under_score-9", "0slug0marker0"])
def test_the_same_url_as_reverse(view_name, slug):
    assert slug_url(view_name, slug) == reverse(view_name, args=[slug])


@pytest.mark.parametrize("slug", ["", "with space", "sécurité", "a/b", "x?y", "../up"])
def test_a_slug_the_converter_refuses_still_raises(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("agendas:agenda_detail", slug)


def test_the_script_prefix_is_followed():
    try:
        set_script_prefix("/mounted/here/")
        assert slug_url("agendas:agenda_detail", "elk") == "/mounted/here/agendas/elk/"
        assert slug_url("agendas:agenda_detail", "elk") == reverse(
            "agendas:agenda_detail", args=["elk"]
        )
    finally:
        set_script_prefix("/")
    assert slug_url("agendas:agenda_detail", "elk") == "/agendas/elk/"


def test_a_model_links_through_it(db):
    agenda = make_agenda(slug="mech-interp")
    assert agenda.get_absolute_url() == "/agendas/mech-interp/"
