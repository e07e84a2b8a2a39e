"""Atom feeds of published critiques: valid Atom, absolute links, no drafts, fixed queries."""

import datetime
import html
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.builders import make_agenda, make_critique
from tests.markup import squash

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_FEED = reverse("agendas:critiques_feed")


def agenda_feed(agenda):
    return reverse("agendas:agenda_critiques_feed", args=[agenda.slug])


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root):
    return root.findall(f"{ATOM}entry")


def entry_titles(root):
    """Titles as a reader shows them: they are escaped HTML (type="html")."""
    return [html.unescape(entry.findtext(f"{ATOM}title")) for entry in entries(root)]


def assert_valid_atom(root):
    """The elements RFC 4287 requires, with absolute links and parseable dates."""
    for element in (root, *entries(root)):
        assert element.findtext(f"{ATOM}id", "").startswith("http://testserver/")
        assert element.findtext(f"{ATOM}title")
        datetime.datetime.fromisoformat(element.findtext(f"{ATOM}updated"))
    # Atom needs an author on the feed or on every entry: we give both.
    assert root.find(f"{ATOM}author/{ATOM}name").text
    for entry in entries(root):
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        assert entry.find(f"{ATOM}content").get("type") == "html"
    for link in root.iter(f"{ATOM}link"):
        assert link.get("href").startswith("http://testserver/")


@pytest.fixture
def critiques(db):
    debate = make_agenda(name="Debate", slug="debate")
    other = make_agenda(name="Amplification", slug="amplification")
    now = datetime.datetime(2025, 5, 1, 12, tzinfo=datetime.UTC)
    older = make_critique(
        agenda=debate,
        title="Judges tire",
        body="Long debates **exhaust** judges. <script>alert(1)</script>",
        author="A. Critic",
        reviewed_at=now - datetime.timedelta(days=3),
    )
    newer = make_critique(
        agenda=other, title="Distillation loses", reviewed_at=now, author="B. Critic"
    )
    make_critique(agenda=debate, title="Secret draft", status="submitted")
    make_critique(agenda=debate, title="Turned down", status="rejected")
    return debate, older, newer


def test_site_feed_is_valid_atom_of_published_critiques_newest_first(client, critiques):
    root = parse(client.get(SITE_FEED))
    assert_valid_atom(root)
    assert entry_titles(root) == ["Distillation loses (Amplification)", "Judges tire (Debate)"]
    assert root.findtext(f"{ATOM}updated").startswith("2025-05-01T12:00:00")
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "http://testserver" + SITE_FEED


def test_feed_never_shows_drafts_or_rejected_critiques(client, critiques):
    debate, _, _ = critiques
    for url in (SITE_FEED, agenda_feed(debate)):
        text = client.get(url).text
        assert "Secret draft" not in text
        assert "Turned down" not in text


def test_entry_carries_the_sanitised_body_and_its_metadata(client, critiques):
    _, older, _ = critiques
    root = parse(client.get(SITE_FEED))
    entry = entries(root)[1]
    assert entry.findtext(f"{ATOM}id") == "http://testserver" + older.get_absolute_url()
    link = entry.find(f"{ATOM}link[@rel='alternate']")
    assert link.get("href") == "http://testserver" + older.get_absolute_url()
    assert entry.findtext(f"{ATOM}updated").startswith("2025-04-28T12:00:00")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "A. Critic"
    content = entry.findtext(f"{ATOM}content")
    assert "<strong>exhaust</strong>" in content
    assert "<script" not in content
    categories = {(c.get("term"), c.get("label")) for c in entry.findall(f"{ATOM}category")}
    # The term identifies (a slug), the label reads (the name): never the raw name as term.
    assert categories == {("scalability", "Scalability"), (older.agenda.slug, "Debate")}
    assert "Major scalability critique of Debate" in entry.findtext(f"{ATOM}summary")


def test_no_script_reaches_the_feed_through_any_field(client, db):
    agenda = make_agenda(name="<script>agenda</script>")
    make_critique(
        agenda=agenda,
        title="<script>title</script>",
        author="<script>author</script>",
        body="[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    for url in (SITE_FEED, agenda_feed(agenda)):
        root = parse(client.get(url))
        # Parsed text holds the literal characters; the serialised XML escapes them.
        assert "<script" not in client.get(url).text
        content = entries(root)[0].findtext(f"{ATOM}content")
        assert "javascript:" not in content and "onerror" not in content and "<img" not in content
        entry = entries(root)[0]
        assert "<script" not in entry.findtext(f"{ATOM}summary")
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "scriptauthor/script"
        # Titles are type="html" and escaped, so readers show the brackets as text.
        assert entry.find(f"{ATOM}title").get("type") == "html"
        assert entry.findtext(f"{ATOM}title").startswith("&lt;script&gt;title&lt;/script&gt;")


def test_agenda_feed_has_only_that_agendas_critiques(client, critiques):
    debate, _, _ = critiques
    root = parse(client.get(agenda_feed(debate)))
    assert_valid_atom(root)
    assert entry_titles(root) == ["Judges tire (Debate)"]
    assert root.findtext(f"{ATOM}title") == "Alignment Agendas: critiques of Debate"
    assert root.find(f"{ATOM}title").get("type") == "html"
    alternate = root.find(f"{ATOM}link[@rel='alternate']")
    assert alternate.get("href") == "http://testserver" + debate.get_absolute_url()


def test_feeds_of_no_critiques_are_still_valid(client, db):
    agenda = make_agenda()
    for url in (SITE_FEED, agenda_feed(agenda)):
        root = parse(client.get(url))
        assert entries(root) == []
        assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}updated")


def test_agenda_feed_of_unknown_slug_is_404(client, db):
    response = client.get("/agendas/no-such-agenda/feed/")
    assert response.status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_feeds_run_a_fixed_number_of_queries(client, db, django_assert_num_queries, size):
    agenda = make_agenda()
    for _ in range(size):
        make_critique(agenda=agenda)
        make_critique(agenda=make_agenda())
    with django_assert_num_queries(1):  # critiques with their agendas
        root = parse(client.get(SITE_FEED))
    assert len(entries(root)) == 2 * size
    with django_assert_num_queries(2):  # the agenda, then its critiques
        root = parse(client.get(agenda_feed(agenda)))
    assert len(entries(root)) == size


def test_feed_is_capped_at_fifty_entries(client, db):
    agenda = make_agenda()
    for _ in range(55):
        make_critique(agenda=agenda)
    assert len(entries(parse(client.get(SITE_FEED)))) == 50


def test_pages_announce_their_feeds(client, db):
    agenda = make_agenda(name="Debate", slug="debate")
    home = squash(client.get(reverse("agendas:home")).text)
    assert f'type="application/atom+xml" title="Latest critiques" href="{SITE_FEED}"' in home
    page = squash(client.get(agenda.get_absolute_url()).text)
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Critiques of Debate" '
        f'href="{agenda_feed(agenda)}">'
    ) in page
