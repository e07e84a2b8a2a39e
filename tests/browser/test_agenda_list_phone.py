"""The agenda list on a phone opens on agendas, with the filters one tap away; on a wide
screen the filters are simply shown."""

import pytest
from playwright.sync_api import expect

from tests.builders import make_agenda

pytestmark = pytest.mark.browser


@pytest.fixture
def agendas(transactional_db):
    for index in range(5):
        make_agenda(name=f"Agenda {index}", summary="A short summary of what it does.")


def test_on_a_phone_the_first_agendas_show_in_the_first_screen(phone_page, agendas):
    phone_page.goto("/agendas/")
    first = phone_page.get_by_role("link", name="Agenda 0", exact=True)
    box = first.bounding_box()
    assert box and box["y"] + box["height"] <= phone_page.viewport_size["height"], box
    text = phone_page.get_by_label("Text")
    expect(text).to_be_hidden()
    phone_page.get_by_text("Filter and sort").click()  # one tap
    expect(text).to_be_visible()
    text.fill("Agenda 3")
    phone_page.get_by_role("button", name="Apply").click()
    expect(phone_page.get_by_text("Filter and sort (1 active)")).to_be_visible()
    expect(phone_page.get_by_role("link", name="Agenda 3", exact=True)).to_be_visible()


def test_on_a_phone_bad_filters_open_the_panel_to_show_the_error(phone_page, agendas):
    phone_page.goto("/agendas/?min_score=9")
    expect(phone_page.locator(".filter-panel .error").first).to_be_visible()


def test_on_a_wide_screen_the_filters_are_shown_without_a_tap(page, agendas):
    page.goto("/agendas/")
    expect(page.get_by_label("Text")).to_be_visible()
    expect(page.get_by_role("link", name="Agenda 0", exact=True)).to_be_visible()
