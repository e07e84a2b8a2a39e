"""Readers' suggestions: sent without an account, checked like any form, limited per
address, never shown publicly, and queued for editors with the page they came from."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from agendas.models import Suggestion
from agendas.suggestions import sender_of
from tests.builders import make_agenda

SITE = "/suggest/"
THANKS = "/suggest/thanks/"
GOOD = {
    "kind": "correction",
    "text": "The page still lists a researcher who left in 2025.",
    "source_url": "https://example.org/announcement",
    "email": "reader@example.org",
    "website": "",
}


def post(client, url, **changes):
    return client.post(url, GOOD | changes, REMOTE_ADDR="203.0.113.7")


@pytest.fixture
def agenda(db):
    return make_agenda(name="Debate", slug="debate")


def test_a_reader_sends_a_correction_from_an_agenda_page_without_an_account(client, agenda):
    page = client.get(agenda.get_absolute_url()).text
    assert 'href="/agendas/debate/suggest/"' in page

    form = client.get("/agendas/debate/suggest/")
    assert form.status_code == 200
    assert "csrfmiddlewaretoken" in form.text
    response = post(client, "/agendas/debate/suggest/")

    assert response.status_code == 302 and response["Location"] == THANKS
    suggestion = Suggestion.objects.get()
    assert (suggestion.agenda, suggestion.page) == (agenda, "/agendas/debate/")
    assert suggestion.status == Suggestion.Status.NEW
    assert suggestion.email == "reader@example.org"
    assert "203.0.113.7" not in suggestion.sender  # a keyed digest, never the address


def test_the_site_wide_form_records_the_local_page_it_came_from(client, db):
    post(client, f"{SITE}?from=/critiques/")
    assert Suggestion.objects.get().page == "/critiques/"


@pytest.mark.parametrize(
    "came_from", ["https://evil.example/", "//evil.example/x", "/a\tb", "/<script>", "x"]
)
def test_a_page_that_is_not_a_local_path_is_recorded_as_the_home_page(client, db, came_from):
    post(client, SITE + "?" + urlencode({"from": came_from}))
    assert Suggestion.objects.get().page == "/"


def test_an_address_with_a_nul_is_refused_before_the_form(client, db):
    assert post(client, SITE + "?from=/a%00b").status_code == 400
    assert not Suggestion.objects.exists()


def test_the_form_page_is_never_cached_and_refuses_a_post_without_its_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.get(SITE)
    assert "no-store" in response["Cache-Control"]
    assert client.post(SITE, GOOD).status_code == 403
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 4001}, "text"),
        ({"kind": "praise"}, "kind"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"source_url": "not a link"}, "source_url"),
        ({"source_url": "ftp://example.org/paper.pdf"}, "source_url"),
        ({"source_url": "https://example.org/" + "a" * 1000}, "source_url"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "a" * 250 + "@example.org"}, "email"),
    ],
)
def test_bad_input_gets_a_form_error_and_saves_nothing(client, db, changes, field):
    response = post(client, SITE, **changes)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.text
    assert not Suggestion.objects.exists()


def test_a_filled_honeypot_is_thanked_and_dropped(client, db):
    response = post(client, SITE, website="https://spam.example")
    assert response["Location"] == THANKS
    assert not Suggestion.objects.exists()


def test_an_unknown_agenda_is_404(client, db):
    assert client.get("/agendas/no-such-agenda/suggest/").status_code == 404
    assert post(client, "/agendas/no-such-agenda/suggest/").status_code == 404


@override_settings(SUGGESTIONS_PER_HOUR=3)
def test_a_flood_from_one_address_gets_429_and_others_still_get_through(client, db):
    statuses = [post(client, SITE, text=f"Suggestion {n}").status_code for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Suggestion.objects.count() == 3
    refused = post(client, SITE)
    assert "Too many suggestions from your address" in refused.text

    other = client.post(SITE, GOOD, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302
    assert Suggestion.objects.count() == 4


@override_settings(SUGGESTIONS_PER_HOUR=1, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_limit_counts_the_forwarded_client(client, db):
    def from_client(address):
        return client.post(
            SITE, GOOD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address
        ).status_code

    assert [from_client("203.0.113.1"), from_client("203.0.113.2")] == [302, 302]
    assert from_client("203.0.113.1") == 429


def test_the_sender_digest_is_stable_per_address_and_differs_between_them(rf):
    first = rf.get("/", REMOTE_ADDR="203.0.113.7")
    again = rf.get("/", REMOTE_ADDR="203.0.113.7")
    other = rf.get("/", REMOTE_ADDR="203.0.113.8")
    assert sender_of(first) == sender_of(again) != sender_of(other)
    assert len(sender_of(first)) == 64


def test_nothing_a_reader_sends_appears_on_a_public_page(client, agenda):
    post(client, "/agendas/debate/suggest/", text="UNIQUE-MARKER-7781")
    cache.clear()
    for url in ["/", "/agendas/", "/agendas/debate/", "/critiques/", "/search/?q=MARKER"]:
        assert "UNIQUE-MARKER-7781" not in client.get(url).text, url
    assert "UNIQUE-MARKER-7781" not in client.get("/export/agendas.json").text


def test_editors_see_the_queue_with_the_page_and_mark_suggestions_used(client, editor, agenda):
    post(client, "/agendas/debate/suggest/")
    suggestion = Suggestion.objects.get()
    client.force_login(editor)

    queue = client.get("/admin/agendas/suggestion/")
    assert queue.status_code == 200
    assert 'href="/agendas/debate/"' in queue.text
    client.post(
        "/admin/agendas/suggestion/",
        {"action": "mark_used", "_selected_action": [suggestion.pk]},
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.handled_by) == (Suggestion.Status.USED, editor)


def test_contributors_cannot_read_suggestions(client, contributor, agenda):
    post(client, "/agendas/debate/suggest/")
    client.force_login(contributor)
    assert client.get("/admin/agendas/suggestion/").status_code == 403


def test_the_form_page_costs_one_query_and_a_post_three(client, agenda, django_assert_num_queries):
    with django_assert_num_queries(1):  # the agenda
        client.get("/agendas/debate/suggest/")
    # the agenda, this address's suggestions of the last hour, the insert
    with django_assert_num_queries(3):
        post(client, "/agendas/debate/suggest/")
