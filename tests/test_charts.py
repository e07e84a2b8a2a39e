import xml.etree.ElementTree as ET

import pytest

from agendas.charts import (
    Bar,
    BarGroup,
    BinCell,
    Mark,
    RangeBar,
    Series,
    headcount_bars,
    landscape,
    landscape_bins,
    radar,
    range_bars,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))


def test_radar_is_valid_svg_with_a_title_and_description():
    svg = parse(radar("r", ["One", "Two", "Three"], [Series("RLHF", [1, 5, None])], "Ratings"))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "r-title r-desc"
    assert svg.find(f"{SVG}title").text == "Ratings"
    desc = svg.find(f"{SVG}desc").text
    assert "RLHF: One 1.0, Two 5.0, Three not rated" in desc


def test_radar_draws_one_polygon_per_series_with_distinct_dashes():
    svg = parse(radar("r", ["A", "B", "C"], [Series("x", [1, 2, 3]), Series("y", [3, 2, 1])], "t"))
    series = [p for p in svg.iter(f"{SVG}polygon") if "series" in (p.get("class") or "")]
    assert [p.get("class") for p in series] == ["series series-0", "series series-1"]
    assert series[0].get("stroke-dasharray") != series[1].get("stroke-dasharray")


def test_radar_puts_a_score_of_five_on_the_outer_ring():
    svg = parse(radar("r", ["A", "B", "C", "D"], [Series("x", [5, 5, 5, 5])], "t"))
    rings = [p for p in svg.iter(f"{SVG}polygon") if p.get("class") == "chart-grid"]
    outer = rings[-1].get("points")
    series = next(p for p in svg.iter(f"{SVG}polygon") if "series" in (p.get("class") or ""))
    assert series.get("points") == outer


def test_radar_escapes_labels():
    svg = radar("r", ["<script>"], [Series("a & b", [3])], "<b>")
    assert "<script>" not in str(svg)
    assert "&lt;script&gt;" in str(svg)
    parse(svg)


def test_bars_use_a_log_scale_and_mark_disputed_values():
    groups = [
        BarGroup(
            "Worldwide", [Bar("Alignment", 300, 600), Bar("ML", 100_000, kind="capabilities")]
        ),
        BarGroup("Lab", [Bar("Safety team", 10, note="disputed")]),
    ]
    svg = parse(headcount_bars("h", groups, "Headcounts"))
    desc = svg.find(f"{SVG}desc").text
    assert desc.startswith("Logarithmic scale.")
    assert "Worldwide, Alignment: 300–600" in desc
    assert "Lab, Safety team: 10 (disputed)" in desc
    rects = [(r.get("class"), float(r.get("width"))) for r in svg.iter(f"{SVG}rect")]
    assert [css for css, _ in rects] == [
        "bar bar-alignment",
        "bar bar-range bar-alignment",  # 300 to 600
        "bar bar-capabilities",
        "bar bar-alignment",
    ]
    alignment, _, ml, safety = (width for _, width in rects)
    # The scale starts at 1 (a decade below 10): 300 is ~2.5 decades, 100,000 is 5.
    assert ml / alignment < 2.5
    assert safety > 10
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "10*" in texts


# --- the landscape ---------------------------------------------------------------------------


def mark(name, score, low=None, high=None, area=0):
    middle = None if low is None else (low * high) ** 0.5
    return Mark(f"{name}: {score}", f"/agendas/{name}/", score, low, high, middle, area)


def test_landscape_links_every_mark_with_its_name_and_groups_them_by_area():
    svg = parse(
        landscape(
            "l",
            [mark("a", 3, 1, 10), mark("b", 2, area=1), mark("c", 4.5, 100, 400, area=9)],
            "Scores",
            "Described",
        )
    )
    assert svg.find(f"{SVG}title").text == "Scores"
    assert svg.find(f"{SVG}desc").text == "Described"
    groups = {g.get("class"): g for g in svg.iter(f"{SVG}g")}
    # Area 9 shares colour and shape with area 1 (they repeat after 8).
    assert set(groups) == {"lm-marks area-0", "lm-marks area-1"}
    names = {a.get("href"): a.find(f"{SVG}title").text for a in svg.iter(f"{SVG}a")}
    assert names == {"/agendas/a/": "a: 3", "/agendas/b/": "b: 2", "/agendas/c/": "c: 4.5"}


def test_landscape_draws_a_range_bar_only_for_a_range():
    svg = parse(landscape("l", [mark("r", 3, 2, 8), mark("p", 3, 5, 5)], "t", "d"))
    paths = {a.get("href"): a.find(f"{SVG}path") for a in svg.iter(f"{SVG}a")}
    assert paths["/agendas/r/"] is not None
    assert paths["/agendas/p/"] is None


def test_landscape_axis_runs_from_a_decade_to_a_round_number_above_the_largest():
    svg = parse(landscape("l", [mark("a", 3, 3, 170)], "t", "d"))
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-tick"]
    assert ticks[-3:] == ["10", "100", "200"]
    assert ticks[3] == "1"  # after the score ticks 3 to 5


def test_landscape_score_axis_spans_the_whole_scores_around_the_data_at_least_two_apart():
    def score_ticks(*scores):
        marks = [mark(f"m{i}", score, 1, 2) for i, score in enumerate(scores)]
        svg = parse(landscape("l", marks, "t", "d"))
        ticks = svg.iter(f"{SVG}text")
        return [
            t.text
            for t in ticks
            if t.get("class") == "chart-tick" and t.get("text-anchor") == "end"
        ]

    assert score_ticks(3) == ["3", "4", "5"]
    assert score_ticks(1.4, 2.2) == ["1", "2", "3"]
    assert score_ticks(4.5) == ["3", "4", "5"]
    assert score_ticks(1.2, 4.6) == ["1", "2", "3", "4", "5"]


def test_landscape_moves_overlapping_marks_on_one_score_apart_but_not_far():
    marks = [mark(f"m{i}", 3, 10, 20) for i in range(3)] + [mark("far", 3, 500, 600)]
    svg = parse(landscape("l", marks, "t", "d"))
    ys = {a.get("href"): float(a.find(f"{SVG}circle").get("cy")) for a in svg.iter(f"{SVG}a")}
    overlapping = sorted(ys[f"/agendas/m{i}/"] for i in range(3))
    assert len(set(overlapping)) == 3
    assert overlapping[2] - overlapping[0] <= 10
    assert ys["/agendas/far/"] == ys["/agendas/m0/"]  # no overlap: stays on its score


def test_landscape_escapes_names():
    text = str(landscape("l", [mark("<b>", 3)], "<t>", "<d>"))
    assert "<b>" not in text and "&lt;b&gt;" in text
    parse(text)


def test_bins_link_each_cell_and_size_bubbles_by_ftes():
    big = BinCell("Big", "/agendas/?band=1", 4, "100 FTEs", 100)
    small = BinCell("Small", "/agendas/?band=2", 1, "1 FTEs", 1)
    svg = parse(
        landscape_bins("b", [("Area", 0, [big, None, small, None])], list("ABCD"), "t", "d")
    )
    cells = {a.get("href"): a for a in svg.iter(f"{SVG}a")}
    assert set(cells) == {"/agendas/?band=1", "/agendas/?band=2"}
    radius = {url: float(a.find(f"{SVG}circle").get("r")) for url, a in cells.items()}
    assert radius["/agendas/?band=1"] > 3 * radius["/agendas/?band=2"]
    texts = [t.text for t in cells["/agendas/?band=1"].iter(f"{SVG}text")]
    assert texts == ["4 agendas", "100 FTEs"]


def test_range_bars_are_linear_and_show_their_numbers():
    svg = parse(
        range_bars("r", [RangeBar("One", 10, 20, "10–20"), RangeBar("Two", 40, 40, "40")], "t", "d")
    )
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    one_low, one_extra, two_low, two_extra = widths
    assert two_low == pytest.approx(4 * one_low)
    assert one_extra == pytest.approx(one_low) and two_extra == 0
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["One", "10–20", "Two", "40"]
