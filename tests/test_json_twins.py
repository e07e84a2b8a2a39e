"""JSON twins of the agenda page, the agenda list and compare: the export's schema narrowed
to what the page shows, linked from the page, cached like it, in a fixed number of queries."""

import json

import pytest

from agendas import exporting
from agendas.cache.generation import bump_generation
from agendas.models import Area, Criterion
from tests.builders import (
    make_agenda,
    make_critique,
    make_landscape,
    make_organisation,
    make_rating,
    make_reliance,
    make_source,
)
from tests.markup import squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def landscape(db):
    return make_landscape(agendas=4, criteria=2, assessors=2, critiques=2)


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def assert_self_contained(document):
    """Every natural key a row names is a row of the same document."""
    keys = {
        section: {row.get("slug") for row in document[section]}
        for section in document
        if isinstance(document[section], list) and section != "problems"
    }
    for agenda in document["agendas"]:
        assert agenda["area"] in keys["areas"]
        assert set(agenda["organisations"]) <= keys["organisations"]
        assert set(agenda["sources"]) <= keys["sources"]
    for critique in document["critiques"]:
        assert critique["agenda"] in keys["agendas"]
        assert critique["assumption"] in keys["assumptions"] | {None}
        assert {critique["source"], critique["response_source"]} <= keys["sources"] | {None}
    for rating in document["ratings"]:
        assert rating["agenda"] in keys["agendas"] and rating["assessor"] in keys["assessors"]
        assert rating["criterion"] in keys["criteria"]
        assert rating["source"] in keys["sources"] | {None}
    for reliance in document["reliances"]:
        assert reliance["agenda"] in keys["agendas"]
        assert reliance["assumption"] in keys["assumptions"]
    for figure in document["figures"]:
        assert figure["organisation"] in keys["organisations"]


def test_the_agenda_twin_is_the_export_narrowed_to_one_agenda(client, landscape):
    agenda = landscape[1]
    twin = get_json(client, f"/agendas/{agenda.slug}.json")
    full = json.loads(json.dumps(exporting.export_document(), default=str))
    assert twin.keys() - {"selection"} == full.keys()
    assert [row["slug"] for row in twin["agendas"]] == [agenda.slug]
    assert twin["agendas"][0] == next(row for row in full["agendas"] if row["slug"] == agenda.slug)
    for section in ("critiques", "ratings", "reliances"):
        mine = [row for row in full[section] if row["agenda"] == agenda.slug]
        assert twin[section] == mine and mine, section
    # Only what the agenda's rows name: not the other agendas' own assumptions and sources.
    assert len(twin["assumptions"]) == 2 < len(full["assumptions"])
    assert len(twin["sources"]) < len(full["sources"])
    assert twin["criteria"] == full["criteria"] and twin["areas"] == full["areas"]
    assert twin["selection"] == {"agendas": [agenda.slug], "page": f"/agendas/{agenda.slug}/"}
    assert_self_contained(twin)


def test_the_agenda_page_links_its_twin(client, landscape):
    text = squash(client.get(landscape[0].get_absolute_url()).text)
    url = f"/agendas/{landscape[0].slug}.json"
    assert f'title="{landscape[0].name} as data" href="{url}">' in text
    assert f'<link rel="alternate" type="application/json" title="{landscape[0].name}' in text
    assert f'<a href="{url}" type="application/json">JSON</a>' in text


def test_the_list_twin_holds_the_pages_agendas_in_its_order_with_the_readers_scores(
    client, landscape
):
    criterion = Criterion.objects.order_by("order", "name").first()
    query = f"sort=score&w-{criterion.slug}=5&w-{Criterion.objects.last().slug}=0"
    page = client.get(f"/agendas/?{query}")
    twin = get_json(client, f"/agendas.json?{query}")
    shown = [row.slug for row in page.context["rows"]]
    assert twin["selection"]["agendas"] == shown
    assert twin["selection"]["scores"] == {
        row.slug: round(float(row.shown_score), 2) for row in page.context["rows"]
    }
    assert twin["selection"]["weights"] == "custom"
    assert (twin["selection"]["count"], twin["selection"]["pages"]) == (4, 1)
    assert sorted(row["slug"] for row in twin["agendas"]) == sorted(shown)
    assert f'href="/agendas.json?{query.replace("&", "&amp;")}"' in page.text
    assert_self_contained(twin)


def test_the_list_twin_follows_the_filters(client, landscape):
    area = landscape[0].area
    twin = get_json(client, f"/agendas.json?area={area.slug}")
    expected = sorted(a.slug for a in landscape if a.area_id == area.pk)
    assert sorted(twin["selection"]["agendas"]) == expected
    assert twin["selection"]["weights"] == "published"


def test_the_compare_twin_keeps_the_columns_order(client, landscape):
    slugs = [landscape[2].slug, landscape[0].slug]
    twin = get_json(
        client, f"/compare/?a={slugs[0]}&a={slugs[1]}".replace("/compare/", "/compare.json")
    )
    assert twin["selection"]["agendas"] == slugs
    assert set(twin["selection"]["scores"]) == set(slugs)
    assert sorted(row["slug"] for row in twin["agendas"]) == sorted(slugs)
    text = client.get(f"/compare/?a={slugs[0]}&a={slugs[1]}").text
    assert f'href="/compare.json?a={slugs[0]}&amp;a={slugs[1]}"' in text
    assert_self_contained(twin)


@pytest.mark.parametrize(
    ("url", "status", "field", "message"),
    [
        ("/agendas/no-such-agenda.json", 404, "agenda", "There is no agenda “no-such-agenda”."),
        ("/agendas.json?area=nowhere", 400, "area", "nowhere"),
        ("/agendas.json?page=0", 400, "page", "greater than or equal to 1"),
        ("/agendas.json?page=99", 404, "page", "There is no page 99 of these agendas."),
        ("/agendas.json?w-nope=3", 400, "__all__", ""),
        ("/compare.json", 400, "a", "Name the agendas to compare"),
        ("/compare.json?a=only-one", 400, "a", "Pick at least 2 agendas"),
        ("/compare.json?a=x&a=x", 400, "a", "listed twice"),
        ("/compare.json?a=agenda-000&a=gone", 404, "a", "There is no agenda “gone”."),
        ("/compare.json?a=agenda-000&a=agenda-001&w-x=1", 400, "__all__", ""),
    ],
)
def test_bad_requests_get_json_errors_never_a_500(client, landscape, url, status, field, message):
    errors = get_json(client, url, status)["errors"]
    assert field in errors or (field == "__all__" and errors), errors
    assert message in " ".join(errors.get(field, [""])), errors


def grow(count):
    """More agendas with a rating, a critique, a reliance, a tag and an organisation each."""
    criterion, area = Criterion.objects.first(), Area.objects.first()
    for index in range(count):
        agenda = make_agenda(area=area)
        make_rating(agenda=agenda, criterion=criterion)
        make_critique(agenda=agenda, source=make_source())
        make_reliance(agenda=agenda)
        agenda.tags.add(f"grown-{index}")
        agenda.organisations.add(make_organisation())


def test_a_nul_in_the_query_is_refused_before_any_view(client, landscape):
    assert client.get("/agendas.json?sort=%00").status_code == 400


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # whether the agenda exists, then the export's 20 queries narrowed to it
        ("/agendas/{slug}.json", 21),
        # the filters' choices (areas, problems, criteria, tags), the count, a page of slugs
        # and scores under the weights, then the export
        ("/agendas.json?sort=score&w-{criterion}=2", 26),
        # the rubric, the agendas' slugs and scores under the weights, the export
        ("/compare.json?a={slug}&a={other}", 22),
    ],
)
def test_twins_run_in_a_fixed_number_of_queries_and_are_cached(
    client, db, settings, django_assert_num_queries, url, expected
):
    settings.CACHE_SECONDS = 600
    agendas = make_landscape(agendas=2, criteria=2)
    for grown in (False, True):
        if grown:
            grow(6)
        at = url.format(
            slug=agendas[0].slug, other=agendas[-1].slug, criterion=Criterion.objects.first().slug
        )
        bump_generation()
        with django_assert_num_queries(expected):
            first = client.get(at)
        assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
        second = client.get(at)
        assert second["X-Page-Cache"] == "hit" and second.content == first.content
