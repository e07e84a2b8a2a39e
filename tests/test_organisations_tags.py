from decimal import Decimal

from django.urls import reverse

from agendas.views import reference
from tests.builders import make_agenda, make_figure, make_organisation, make_source
from tests.markup import squash


def test_organisation_list_shows_agendas_and_headcounts(client, db):
    lab = make_organisation(name="Frontier Lab")
    make_organisation(name="Quiet Institute")
    agenda = make_agenda(name="Debate")
    agenda.organisations.add(lab)
    make_figure(
        organisation=lab,
        label="Alignment researchers",
        value_low=Decimal("20"),
        value_high=Decimal("30"),
        dispute="Counts differ by definition.",
    )
    make_figure(label="Worldwide figure, no organisation")

    response = client.get(reverse("agendas:organisation_list"))

    assert response.status_code == 200
    html = squash(response.text)
    assert f'href="{lab.get_absolute_url()}"' in html
    assert f'href="{agenda.get_absolute_url()}"' in html
    assert "Alignment researchers: 20–30 people" in html
    assert "disputed" in html
    assert "Worldwide figure" not in html
    assert "None recorded" in html  # the quiet institute
    counts = {org.name: org.agenda_count for org in response.context["organisations"]}
    assert counts == {"Frontier Lab": 1, "Quiet Institute": 0}


def test_organisation_page_shows_its_agendas_and_sourced_figures(client, db):
    lab = make_organisation(name="Frontier Lab", url="https://lab.example")
    mine = make_agenda(name="Mine", summary="What mine does.")
    make_agenda(name="Not mine")
    mine.organisations.add(lab)
    make_figure(
        organisation=lab,
        label="Total staff",
        value_low=Decimal("1200"),
        source=make_source(title="Annual report", url="https://example.org/report"),
        dispute="Includes contractors.",
    )

    response = client.get(lab.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert "<h1>Frontier Lab</h1>" in html
    assert "What mine does." in html
    assert "Not mine" not in html
    assert "1,200 people" in html
    assert '<a href="https://example.org/report">Annual report</a>' in html
    assert "Disputed:</strong> Includes contractors." in html


def test_organisation_without_agendas_or_figures_says_so(client, db):
    html = client.get(make_organisation().get_absolute_url()).text
    assert "No agendas recorded for this organisation." in html
    assert "No headcount figures recorded." in html


def test_unknown_organisation_is_404(client, db):
    assert client.get("/organisations/no-such-org/").status_code == 404


def test_tag_list_shows_tags_in_use_with_counts(client, db):
    make_agenda().tags.add("oversight", "theory")
    make_agenda().tags.add("oversight")

    response = client.get(reverse("agendas:tag_list"))

    assert response.status_code == 200
    rows = [(row["tag__name"], row["agenda_count"]) for row in response.context["tags"]]
    assert rows == [("oversight", 2), ("theory", 1)]
    assert 'href="/tags/oversight/"' in response.text
    assert "2 agendas" in response.text


def test_tag_page_lists_the_agendas_with_that_tag(client, db):
    tagged = make_agenda(name="Tagged agenda", summary="Does tagged things.")
    make_agenda(name="Untagged agenda").tags.add("other")
    tagged.tags.add("interpretability")

    response = client.get(reverse("agendas:tag_detail", args=["interpretability"]))

    assert response.status_code == 200
    html = response.text
    assert "Tagged agenda" in html and "Does tagged things." in html
    assert "Untagged agenda" not in html


def test_unknown_tag_is_404(client, db):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_tags_with_unicode_slugs_are_listed_and_open(client, db):
    make_agenda(name="Sûreté agenda").tags.add("sécurité")

    listing = client.get(reverse("agendas:tag_list"))
    detail = client.get(reverse("agendas:tag_detail", args=["sécurité"]))

    assert listing.status_code == 200
    assert "sécurité" in listing.text
    assert detail.status_code == 200
    assert "Sûreté agenda" in detail.text


def test_organisation_list_links_the_first_agendas_then_the_organisation(client, db, monkeypatch):
    monkeypatch.setattr(reference, "AGENDA_LINKS_PER_ROW", 2)
    lab = make_organisation(name="Busy Lab")
    for name in ["Alpha", "Beta", "Gamma"]:
        make_agenda(name=name).organisations.add(lab)

    html = squash(client.get(reverse("agendas:organisation_list")).text)

    assert ">Alpha</a>" in html and ">Beta</a>" in html
    assert ">Gamma</a>" not in html
    assert squash(f'and <a href="{lab.get_absolute_url()}">1 more</a>') in html


def test_organisations_come_a_page_at_a_time_and_bad_pages_are_400s(client, db, monkeypatch):
    monkeypatch.setattr(reference, "ORGANISATIONS_PER_PAGE", 2)
    monkeypatch.setattr(reference, "ORGANISATIONS_ORPHANS", 0)
    for name in ["Able", "Baker", "Charlie"]:
        make_organisation(name=name)
    first = squash(client.get(reverse("agendas:organisation_list")).text)
    assert ">Able</a>" in first and ">Baker</a>" in first and ">Charlie</a>" not in first
    assert "page 1 of 2, 3 organisations in all" in first
    second = squash(client.get(reverse("agendas:organisation_list") + "?page=2").text)
    assert ">Charlie</a>" in second and ">Able</a>" not in second
    for bad in ["?page=0", "?page=x", "?page=99999999999999999999"]:
        response = client.get(reverse("agendas:organisation_list") + bad)
        assert response.status_code == 400, bad
        assert "Show the first page" in squash(response.text)
    missing = client.get(reverse("agendas:organisation_list") + "?page=3")
    assert missing.status_code == 404
    assert "There is no page 3: the last page is 2." in squash(missing.text)
