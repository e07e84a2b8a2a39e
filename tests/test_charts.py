import xml.etree.ElementTree as ET

from agendas.charts import Bar, BarGroup, Series, headcount_bars, radar

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
