"""/sitemap.xml lists every public page (and no draft); /robots.txt points crawlers to it."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.builders import (
    make_agenda,
    make_assumption,
    make_criterion,
    make_critique,
    make_organisation,
)

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOST = "http://testserver"


def parse(response, root_tag):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP_NS}{root_tag}"
    return root


def section_urls(client):
    """The index's entries: absolute URLs of every section page."""
    root = parse(client.get("/sitemap.xml"), "sitemapindex")
    return [entry.findtext(f"{SITEMAP_NS}loc") for entry in root.findall(f"{SITEMAP_NS}sitemap")]


def page_entries(client, url):
    root = parse(client.get(url.removeprefix(HOST)), "urlset")
    return {
        entry.findtext(f"{SITEMAP_NS}loc"): entry.findtext(f"{SITEMAP_NS}lastmod")
        for entry in root.findall(f"{SITEMAP_NS}url")
    }


def sitemap_locations(client):
    return [loc for url in section_urls(client) for loc in page_entries(client, url)]


@pytest.fixture
def site(db):
    agenda = make_agenda(slug="debate")
    agenda.tags.add("oversight")
    return {
        "agenda": agenda,
        "assumption": make_assumption(slug="judges-keep-up"),
        "critique": make_critique(agenda=agenda, slug="judges-tire"),
        "draft": make_critique(agenda=agenda, slug="secret-draft", status="submitted"),
        "rejected": make_critique(agenda=agenda, slug="turned-down", status="rejected"),
        "criterion": make_criterion(slug="no-trusted-judge"),
        "organisation": make_organisation(slug="example-lab"),
    }


def test_sitemap_lists_every_public_page(client, site):
    locations = sitemap_locations(client)
    expected = [
        reverse("agendas:home"),
        reverse("agendas:agenda_list"),
        reverse("agendas:assumption_list"),
        reverse("agendas:critique_list"),
        reverse("agendas:disagreement_list"),
        reverse("agendas:criterion_list"),
        reverse("agendas:problem_list"),
        reverse("agendas:organisation_list"),
        reverse("agendas:tag_list"),
        site["agenda"].get_absolute_url(),
        site["assumption"].get_absolute_url(),
        site["critique"].get_absolute_url(),
        site["criterion"].get_absolute_url(),
        site["organisation"].get_absolute_url(),
        reverse("agendas:tag_detail", args=["oversight"]),
    ]
    assert sorted(locations) == sorted(HOST + path for path in expected)


def test_every_listed_page_exists(client, site):
    for location in sitemap_locations(client):
        assert client.get(location.removeprefix(HOST)).status_code == 200, location


def test_sitemap_leaves_out_unpublished_critiques(client, site):
    text = client.get("/sitemap.xml").text
    assert "secret-draft" not in text
    assert "turned-down" not in text


def test_sitemap_gives_last_modified_dates_for_content(client, site):
    entries = page_entries(client, f"{HOST}/sitemap-agendas.xml")
    lastmod = entries[HOST + site["agenda"].get_absolute_url()]
    assert lastmod.startswith(site["agenda"].updated.date().isoformat())


def test_index_lists_every_section(client, site):
    assert sorted(section_urls(client)) == sorted(
        f"{HOST}/sitemap-{section}.xml"
        for section in (
            "pages",
            "agendas",
            "assumptions",
            "critiques",
            "criteria",
            "organisations",
            "tags",
        )
    )


def test_big_sections_are_split_into_pages(client, db, monkeypatch):
    monkeypatch.setattr("agendas.sitemaps.CritiqueSitemap.limit", 2)
    agenda = make_agenda()
    for _ in range(5):
        make_critique(agenda=agenda)
    sections = section_urls(client)
    pages = [url for url in sections if "/sitemap-critiques.xml" in url]
    assert pages == [
        f"{HOST}/sitemap-critiques.xml",
        f"{HOST}/sitemap-critiques.xml?p=2",
        f"{HOST}/sitemap-critiques.xml?p=3",
    ]
    assert sum(len(page_entries(client, url)) for url in pages) == 5


@pytest.mark.parametrize(
    "url", ["/sitemap-nonsense.xml", "/sitemap-agendas.xml?p=abc", "/sitemap-agendas.xml?p=99"]
)
def test_bad_sitemap_addresses_are_404(client, db, url):
    make_agenda()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("size", [1, 15])
def test_sitemap_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, size):
    for i in range(size):
        agenda = make_agenda()
        agenda.tags.add(f"tag-{i}")
        make_critique(agenda=agenda)
        make_assumption()
        make_criterion()
        make_organisation()
    # a page count for each of six model sections, and the newest change of the three
    # sections with dates
    with django_assert_num_queries(9):
        sections = section_urls(client)
    # a count and a page of rows
    for url in sections:
        expected = 0 if url.endswith("sitemap-pages.xml") else 2
        with django_assert_num_queries(expected):
            entries = page_entries(client, url)
        assert len(entries) == (9 if expected == 0 else size)


def test_robots_txt_allows_all_but_admin_and_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert [line for line in lines if line.startswith("Disallow")] == ["Disallow: /admin/"]
    assert f"Sitemap: {HOST}/sitemap.xml" in lines


def test_robots_txt_uses_the_requests_host_and_scheme(client, db, settings):
    settings.ALLOWED_HOSTS = ["agendas.example"]
    response = client.get("/robots.txt", HTTP_HOST="agendas.example", secure=True)
    assert "Sitemap: https://agendas.example/sitemap.xml" in response.text.splitlines()
