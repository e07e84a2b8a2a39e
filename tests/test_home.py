"""The home page: the landscape chart and its table, headcount by score band, the areas
with their best-rated agendas and the latest critiques."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, urlsplit

import pytest

from agendas import landscape
from agendas.models import Agenda
from tests.builders import (
    make_agenda,
    make_area,
    make_assessor,
    make_criterion,
    make_critique,
    make_landscape,
    make_rated_agenda,
)
from tests.markup import squash

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def landscape_svg(text):
    """The landscape chart, parsed."""
    match = re.search(r'<svg class="chart chart-landscape[^"]*".*?</svg>', text, re.S)
    assert match, "no landscape chart"
    return ET.fromstring(match.group(0))


def links(svg):
    return [(a.get("href"), a.find(f"{SVG}title").text) for a in svg.iter(f"{SVG}a")]


def centre_x(shape):
    """The horizontal centre of a marker: circle, square or polygon."""
    if shape.get("cx"):
        return float(shape.get("cx"))
    if shape.get("width"):
        return float(shape.get("x")) + float(shape.get("width")) / 2
    xs = [float(point.split(",")[0]) for point in shape.get("points").split()]
    return (min(xs) + max(xs)) / 2


@pytest.fixture
def rubric(db):
    return make_criterion(), make_assessor()


def rated(rubric, score, **fields):
    criterion, assessor = rubric
    return make_rated_agenda([criterion], [assessor], [[score]], **fields)


def test_home_states_the_purpose_and_links_to_the_main_pages(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "A map of AI-alignment research agendas" in response.text
    assert 'href="/agendas/"' in response.text
    assert 'href="/compare/"' in response.text
    assert 'href="/criteria/#your-weights"' in response.text


def test_the_chart_has_one_named_link_per_rated_agenda_and_none_for_unrated(client, rubric):
    area = make_area(name="Theory")
    one = rated(rubric, 4, name="Natural abstractions", area=area, fte_low=5, fte_high=20)
    two = rated(rubric, 2, name="Agent foundations", area=area)
    make_agenda(name="Not rated yet", area=area)
    text = client.get("/").text
    svg = landscape_svg(text)
    # A group, not an image: an image's children (the links) would be hidden from assistive
    # technology. Its title and description name it.
    assert svg.get("role") == "group"
    assert svg.get("aria-labelledby") == "landscape-title landscape-desc"
    assert svg.find(f"{SVG}title").text
    assert "1 not yet rated" in ET.tostring(svg, encoding="unicode")
    marks = dict(links(svg))
    assert set(marks) == {one.get_absolute_url(), two.get_absolute_url()}
    assert marks[one.get_absolute_url()] == (
        "Natural abstractions (Theory): score 4.00, medium confidence; FTEs 5–20"
    )
    assert "FTEs unknown" in marks[two.get_absolute_url()]


def test_a_mark_sits_at_the_geometric_middle_of_its_range_and_unknown_ftes_apart(client, rubric):
    rated(rubric, 3, name="Ranged", fte_low=1, fte_high=100)
    rated(rubric, 3, name="Exactly ten", fte_low=10, fte_high=10)
    rated(rubric, 3, name="Unknown")
    svg = landscape_svg(client.get("/").text)
    centres = {
        a.find(f"{SVG}title").text.split(" (")[0]: centre_x(a[-1]) for a in svg.iter(f"{SVG}a")
    }
    strip = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "lm-strip")
    strip_left = float(strip.get("x"))
    strip_right = strip_left + float(strip.get("width"))
    # sqrt(1 * 100) = 10: the ranged agenda's mark is where the exact 10 is.
    assert centres["Ranged"] == pytest.approx(centres["Exactly ten"], abs=0.1)
    assert strip_left < centres["Unknown"] < strip_right < centres["Ranged"]


def test_marks_carry_their_top_level_areas_colour_and_the_legend_names_each_area(client, rubric):
    theory = make_area(name="Theory", order=1)
    sub = make_area(name="Corrigibility", parent=theory)
    evals = make_area(name="Evals", order=2)
    rated(rubric, 3, name="In sub-area", area=sub)
    rated(rubric, 3, name="In evals", area=evals)
    make_area(name="Empty area", order=3)
    text = client.get("/").text
    svg = landscape_svg(text)
    groups = {
        g.get("class"): [a.find(f"{SVG}title").text.split(" (")[0] for a in g.iter(f"{SVG}a")]
        for g in svg.iter(f"{SVG}g")
        if g.get("class").startswith("lm-marks")
    }
    assert groups == {"lm-marks area-0": ["In sub-area"], "lm-marks area-1": ["In evals"]}
    legend = text[text.index('class="legend landscape-legend"') :]
    legend = legend[: legend.index("</ul>")]
    assert "Theory <span" in legend and "(1)" in legend and "Evals <span" in legend
    assert "Empty area" not in legend


def test_the_table_a_click_away_gives_scores_confidence_and_ftes_best_first(client, rubric):
    rated(rubric, 2, name="Second", fte_text="about 30", fte_low=30)
    rated(rubric, 5, name="First", fte_low=100)
    make_agenda(name="Unrated")
    assert 'href="/landscape/"' in squash(client.get("/").text)  # one click from the chart
    text = squash(client.get("/landscape/").text)
    table = text[text.index('<table class="landscape-table">') :]
    table = table[: table.index("</table>")]
    assert table.index("First") < table.index("Second") < table.index("Unrated")
    assert "<td>5.00</td><td>medium</td><td>100+</td>" in table
    assert "<td>about 30</td>" in table
    assert "not rated" in table


def test_headcount_by_score_band_sums_low_and_high_and_counts_unknown_apart(client, rubric):
    rated(rubric, 1, fte_low=10, fte_high=20)
    rated(rubric, 1, fte_low=5)  # "5+": counts as 5 in both sums
    rated(rubric, 1)  # unknown
    rated(rubric, 3, fte_low=1, fte_high=3)
    rated(rubric, 5, fte_low=40, fte_high=60)
    response = client.get("/")
    bands = {row.band.slug: row.headcount for row in response.context["landscape"].bands}
    assert (bands["under-2"].low, bands["under-2"].high) == (15, 25)
    assert (bands["under-2"].agendas, bands["under-2"].unknown) == (3, 1)
    assert bands["2-3"].agendas == 0
    assert (bands["3-4"].low, bands["3-4"].high) == (1, 3)
    assert (bands["4-and-over"].low, bands["4-and-over"].high) == (40, 60)
    text = squash(response.text)
    section = text[text.index('id="bands-heading"') :]
    # The open "5+" makes the band's total open-ended, as on an assumption's page.
    assert '<td class="num">15–25+</td><td class="num">1</td>' in section
    assert "15–25+ FTEs · 3 agendas" in section  # the numbers shown on the chart too


def test_a_score_on_a_band_edge_belongs_to_the_band_above(client, rubric):
    rated(rubric, 2, fte_low=7)
    response = client.get("/")
    bands = {row.band.slug: row.headcount.agendas for row in response.context["landscape"].bands}
    assert bands == {"under-2": 0, "2-3": 1, "3-4": 0, "4-and-over": 0}


def test_areas_list_their_agenda_count_and_three_best_rated_agendas(client, rubric):
    theory = make_area(name="Theory", slug="theory")
    sub = make_area(name="Sub", parent=theory)
    # Named so that picking by name instead of score would show the wrong ones.
    rated(rubric, 1, name="A weakest", area=theory)
    make_agenda(name="B unrated", area=theory)
    for score in (3, 4, 5):
        rated(rubric, score, name=f"C scores {score}", area=sub)
    text = squash(client.get("/").text)
    section = text[text.index('id="areas-heading"') :]
    section = section[: section.index("</section>")]
    assert '<a href="/agendas/?area=theory&amp;sort=score">5 agendas</a>' in section
    assert section.index("C scores 5") < section.index("C scores 4") < section.index("C scores 3")
    assert "A weakest" not in section and "B unrated" not in section


def test_home_lists_only_published_critiques_newest_first(client):
    agenda = make_agenda()
    make_critique(agenda=agenda, title="Older point")
    make_critique(agenda=agenda, title="Newer point")
    make_critique(agenda=agenda, title="Unreviewed draft", status="submitted")
    make_critique(agenda=agenda, title="Turned down", status="rejected")
    text = client.get("/").text
    assert text.index("Newer point") < text.index("Older point")
    assert "Unreviewed draft" not in text
    assert "Turned down" not in text


def test_home_has_the_feed_autodiscovery_link_and_labelled_search(client):
    text = client.get("/").text
    assert '<link rel="alternate" type="application/atom+xml"' in text
    assert 'href="/feeds/critiques/"' in text
    assert '<label for="site-search-q"' in text


def test_home_has_no_inline_script_or_style_attribute(client):
    make_landscape(agendas=2)
    text = client.get("/").text
    assert "<script" not in text
    assert "style=" not in text


def test_home_scores_are_the_stored_scores(client):
    make_landscape(agendas=6)
    points = {p.slug: p for p in client.get("/").context["landscape"].points}
    for agenda in Agenda.objects.all():
        assert points[agenda.slug].score == agenda.overall_score
        assert points[agenda.slug].confidence == agenda.score_confidence


# --- past AGGREGATE_OVER agendas -----------------------------------------------------------


@pytest.fixture
def aggregate_over_three(monkeypatch):
    monkeypatch.setattr(landscape, "AGGREGATE_OVER", 3)


def test_past_the_threshold_the_chart_shows_one_linked_bin_per_area_and_band(
    client, rubric, aggregate_over_three
):
    theory = make_area(name="Theory", slug="theory")
    evals = make_area(name="Evals", slug="evals")
    rated(rubric, 1, area=theory, fte_low=2, fte_high=4)
    rated(rubric, 1, area=theory, fte_low=6, fte_high=6)
    rated(rubric, 4, area=theory)
    rated(rubric, 4, area=evals, fte_low=1)
    make_agenda(area=evals)  # unrated: in no bin
    text = client.get("/").text
    bins = dict(links(landscape_svg_bins(text)))
    assert len(bins) == 3
    url = "/agendas/?area=theory&band=under-2&sort=score"
    assert bins[url] == "Theory, score under 2: 2 agendas, 8–10 FTEs"
    assert "/agendas/?area=theory&band=4-and-over&sort=score" in bins
    assert "landscape-table" not in text  # the per-agenda table has its own page now
    assert 'href="/landscape/"' in text
    # The bin's link lists exactly its agendas.
    listed = client.get(url)
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == 2


def test_the_bins_table_gives_every_bins_numbers(client, rubric, aggregate_over_three):
    theory = make_area(name="Theory")
    for score in (1, 2, 3, 5):
        rated(rubric, score, area=theory, fte_low=3)
    text = squash(client.get("/").text)
    table = text[text.index('<table class="bins-table">') :]
    table = table[: table.index("</table>")]
    assert table.count("1 agenda</a>") == 4
    assert table.count("3+ FTEs") == 4  # each agenda is "3+"


# --- size ------------------------------------------------------------------------------------


def bulk_field(count, areas=7, sub_areas=2):
    """`count` agendas with realistic name lengths, FTE ranges (a fifth unknown) and one
    rating each, in a two-level taxonomy, written in bulk."""
    from agendas.models import Rating

    criterion, assessor = make_criterion(), make_assessor()
    tops = [make_area(name=f"Top-level area number {i} (with a long name)") for i in range(areas)]
    leaves = [make_area(name=f"Sub-area {i}", parent=top) for top in tops for i in range(sub_areas)]
    agendas = Agenda.objects.bulk_create(
        Agenda(
            name=f"A realistic agenda name, number {i}",
            slug=f"a-realistic-agenda-name-number-{i}",
            summary="Something in one sentence.",
            area=(tops + leaves)[i % (len(tops) + len(leaves))],
            fte_low=None if i % 5 == 0 else 1 + i % 40,
            fte_high=None if i % 5 == 0 else 41 + i % 90,
            fte_text="" if i % 5 == 0 else f"{1 + i % 40}-{41 + i % 90}",
        )
        for i in range(count)
    )
    Rating.objects.bulk_create(
        Rating(
            agenda=agenda,
            criterion=criterion,
            assessor=assessor,
            score=1 + i % 5,
            confidence="low",
            rationale="Because.",
            date="2025-12-16",
        )
        for i, agenda in enumerate(agendas)
    )


def test_home_stays_under_60_kb_at_the_size_of_the_shipped_field(client):
    bulk_field(80)
    response = client.get("/")
    assert not response.context["landscape"].aggregated
    assert len(response.content) < 60_000, len(response.content)


def test_home_stays_under_100_kb_at_a_thousand_agendas(client):
    bulk_field(1000)
    response = client.get("/")
    assert response.context["landscape"].aggregated
    assert len(response.content) < 100_000, len(response.content)


def test_home_stays_under_100_kb_just_below_the_threshold(client):
    bulk_field(landscape.AGGREGATE_OVER)
    response = client.get("/")
    assert not response.context["landscape"].aggregated
    assert len(response.content) < 100_000, len(response.content)


def test_bin_and_area_links_keep_the_readers_weights(client, rubric, aggregate_over_three):
    criterion, _ = rubric
    other = make_criterion()
    for score in (1, 2, 3, 5):
        rated(rubric, score)
    response = client.get(f"/?w-{criterion.slug}=3&w-{other.slug}=1")
    svg = landscape_svg_bins(response.text)
    urls = [url for url, _ in links(svg)]
    urls += [summary.url for summary in response.context["landscape"].areas]
    urls += [row.url for row in response.context["landscape"].bands]
    assert urls
    for url in urls:
        query = parse_qsl(urlsplit(url).query)
        assert (f"w-{criterion.slug}", "3") in query and (f"w-{other.slug}", "1") in query


def landscape_svg_bins(text):
    return ET.fromstring(
        re.search(r'<svg class="chart chart-landscape-bins".*?</svg>', text, re.S)[0]
    )
