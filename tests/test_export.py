import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from agendas.exporting import CSV_COLUMNS
from agendas.models import Agenda, Area, Criterion, CriterionScore, Critique, Problem, Source
from tests.builders import (
    make_agenda,
    make_agenda_alias,
    make_area,
    make_critique,
    make_figure,
    make_landscape,
    make_organisation,
    make_rating,
    make_reliance,
    make_source,
)
from tests.test_round_trip import empty_database


def get_json(client):
    response = client.get("/export/agendas.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def get_csv_rows(client):
    response = client.get("/export/agendas.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="agendas.csv"' in response["Content-Disposition"]
    # newline="": a field may hold a line break of its own (quoted), as csv expects.
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))


def test_the_json_export_has_a_format_version_and_every_public_kind(client, db):
    make_landscape(agendas=2)
    document = get_json(client)
    assert document["format"] == "alignment-agendas"
    assert document["version"] == 3
    for kind in (
        "problems",
        "areas",
        "organisations",
        "sources",
        "criteria",
        "assessors",
        "assumptions",
        "agendas",
        "reliances",
        "critiques",
        "ratings",
        "figures",
    ):
        assert document[kind], kind
    agenda = document["agendas"][0]
    assert agenda["slug"] == Agenda.objects.order_by("slug").first().slug
    assert agenda["tags"] and agenda["problems"] and agenda["organisations"] and agenda["sources"]
    assert document["figures"][0]["value_low"].endswith(".00")  # decimals as exact text


def test_the_json_export_names_rows_by_slug_and_sorts_them(client, db):
    area = make_area(slug="zeta")
    make_agenda(slug="b-agenda", area=area)
    parent = make_agenda(slug="a-agenda", area=make_area(slug="alpha", parent=area))
    child = make_agenda(slug="c-agenda", area=area, parent=parent)
    make_agenda_alias(agenda=child, name="Another name")
    document = get_json(client)
    assert [row["slug"] for row in document["agendas"]] == ["a-agenda", "b-agenda", "c-agenda"]
    assert [row["slug"] for row in document["areas"]] == ["alpha", "zeta"]
    assert document["areas"][0]["parent"] == "zeta"
    assert document["agendas"][2]["parent"] == "a-agenda"
    assert document["agendas"][2]["aliases"] == ["Another name"]
    assert "id" not in document["agendas"][0] and "created" not in document["agendas"][0]


def test_it_exports_published_critiques_only_and_hides_sources_only_drafts_cite(client, db):
    agenda = make_agenda()
    public_source = make_source(slug="public-source")
    make_critique(agenda=agenda, title="Shown", source=public_source)
    make_critique(
        agenda=agenda,
        title="Draft",
        status=Critique.Status.SUBMITTED,
        source=make_source(slug="draft-only-source"),
    )
    make_critique(
        agenda=agenda,
        title="Rejected",
        status=Critique.Status.REJECTED,
        source=public_source,
    )
    standalone = make_source(slug="standalone-source")
    text = client.get("/export/agendas.json").content.decode()
    document = json.loads(text)
    assert [row["title"] for row in document["critiques"]] == ["Shown"]
    assert "Draft" not in text and "Rejected" not in text
    slugs = {row["slug"] for row in document["sources"]}
    assert "draft-only-source" not in slugs
    assert {"public-source", standalone.slug} <= slugs


def test_the_csv_export_has_one_row_per_agenda_with_counts_and_scores(client, db):
    agendas = make_landscape(agendas=2, criteria=2, assessors=2, critiques=2)
    rows = get_csv_rows(client)
    criteria = list(Criterion.objects.all())
    assert list(rows[0]) == CSV_COLUMNS + [f"mean_{c.slug}" for c in criteria]
    assert [row["slug"] for row in rows] == sorted(agenda.slug for agenda in agendas)
    first = next(row for row in rows if row["slug"] == agendas[0].slug)
    assert first["ratings"] == "4"
    assert first["published_critiques"] == "2"  # the draft is not counted
    assert first["assumptions"] == "2"
    assert first["sources"] == "1"
    assert first["fte_low"] == "5" and first["fte_high"] == "10"


def test_both_exports_carry_the_stored_scores(client, db):
    """The overall score is the weighted mean of criterion means, not a plain mean of ratings:
    the exports must give the stored number, whatever a plain mean would say."""
    agendas = make_landscape(agendas=3, criteria=3, assessors=2)
    Criterion.objects.filter(pk=Criterion.objects.first().pk).update(weight=4)
    make_agenda(slug="unrated")
    rows = {row["slug"]: row for row in get_csv_rows(client)}
    document = {row["slug"]: row for row in get_json(client)["agendas"]}
    for agenda in Agenda.objects.all():
        row, entry = rows[agenda.slug], document[agenda.slug]
        assert entry["overall_score"] == agenda.overall_score
        assert entry["score_confidence"] == agenda.score_confidence
        assert entry["disagreement"] == agenda.disagreement
        expected = "" if agenda.overall_score is None else f"{agenda.overall_score:.2f}"
        assert row["overall_score"] == expected
        assert row["score_confidence"] == agenda.score_confidence
        for stored in CriterionScore.objects.filter(agenda=agenda).select_related("criterion"):
            slug = stored.criterion.slug
            assert entry["criterion_scores"][slug] == {
                "mean": stored.mean,
                "spread": stored.spread,
                "rating_count": stored.rating_count,
                "confidence": stored.confidence,
            }
            assert row[f"mean_{slug}"] == f"{stored.mean:.2f}"
    assert document["unrated"]["criterion_scores"] == {}
    assert rows["unrated"]["overall_score"] == ""
    # A plain mean of every rating would differ here: the weights count.
    first = agendas[0]
    plain = sum(first.ratings.values_list("score", flat=True)) / first.ratings.count()
    assert rows[first.slug]["overall_score"] != f"{plain:.2f}"


def test_the_csv_export_defuses_spreadsheet_formulas(client, db):
    make_agenda(summary='=HYPERLINK("https://evil.example")', people="@admin")
    row = get_csv_rows(client)[0]
    assert row["summary"].startswith("'=")
    assert row["people"] == "'@admin"


@pytest.mark.parametrize("lead", ["\t", "\r\n"])
def test_the_csv_export_defuses_formulas_behind_a_tab_or_carriage_return(client, db, lead):
    make_agenda(summary=f"{lead}=cmd|' /C calc'!A0")
    assert get_csv_rows(client)[0]["summary"] == f"'{lead}=cmd|' /C calc'!A0"


@pytest.mark.parametrize("url", ["/export/agendas.json", "/export/agendas.csv"])
def test_export_pages_run_in_a_fixed_number_of_queries(client, db, django_assert_num_queries, url):
    # problems, areas, organisations, sources, criteria, assessors, assumptions and their
    # aliases, agendas and their problems, organisations, sources, tags and aliases,
    # reliances, critiques, ratings, figures, the agendas' stored criterion scores, and the
    # sources of unpublished critiques: 20, whatever the size.
    make_landscape(agendas=2, criteria=2)
    cache.clear()
    with django_assert_num_queries(20):
        assert client.get(url).status_code == 200
    add_more_agendas(6)
    cache.clear()
    with django_assert_num_queries(20):
        assert client.get(url).status_code == 200


def add_more_agendas(count):
    for i in range(count):
        agenda = make_agenda(
            parent=Agenda.objects.first(), area=make_area(parent=Area.objects.first())
        )
        agenda.tags.add(f"more-{i}", "shared")
        agenda.sources.add(make_source())
        agenda.organisations.add(make_organisation())
        agenda.problems.add(Problem.objects.first())
        make_agenda_alias(agenda=agenda)
        make_reliance(agenda=agenda)
        make_critique(agenda=agenda, source=make_source(), response_source=make_source())
        make_critique(agenda=agenda, status=Critique.Status.SUBMITTED, source=make_source())
        make_rating(agenda=agenda, source=make_source())
        make_figure(organisation=make_organisation())


def test_the_export_command_writes_the_same_json_as_the_page(client, db, tmp_path):
    make_landscape(agendas=2)
    target = tmp_path / "export.json"
    call_command("export_agendas", "-o", str(target), stderr=io.StringIO())
    assert target.read_bytes() == client.get("/export/agendas.json").content


def test_the_export_command_writes_csv_to_standard_output(client, db):
    make_landscape(agendas=2)
    out = io.StringIO()
    call_command("export_agendas", "--format", "csv", stdout=out)
    assert out.getvalue().encode() == client.get("/export/agendas.csv").content


def test_the_export_command_reports_an_unwritable_file(db, tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        call_command("export_agendas", "-o", str(tmp_path / "missing-dir" / "x.json"))


# --- import_agendas: bad input -------------------------------------------------------------------


def exported(client):
    return json.loads(client.get("/export/agendas.json").content)


def import_file(tmp_path, document):
    path = tmp_path / "export.json"
    text = document if isinstance(document, str) else json.dumps(document)
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_agendas", str(path), stdout=out)
    return out.getvalue()


def test_import_refuses_a_file_that_is_not_json(db, tmp_path):
    with pytest.raises(CommandError, match=r"not valid JSON \(line 1"):
        import_file(tmp_path, "slug,name\nrlhf,RLHF\n")


def test_import_refuses_a_file_that_is_not_utf8(db, tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes('{"format": "alignment-agendas", "x": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_agendas", str(path))


def test_import_refuses_other_formats_and_versions(db, tmp_path):
    with pytest.raises(CommandError, match="not an Alignment Agendas export"):
        import_file(tmp_path, {"agendas": []})
    with pytest.raises(CommandError, match="version 1; this site reads version 3"):
        import_file(tmp_path, {"format": "alignment-agendas", "version": 1})


def test_import_refuses_a_missing_file(db):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_agendas", "/nonexistent/export.json")


def test_import_names_the_record_and_field_of_an_invalid_value(client, db, tmp_path):
    make_landscape(agendas=2)
    document = exported(client)
    empty_database()
    document["agendas"][1]["target_case"] = "hopeful"
    with pytest.raises(CommandError, match=r"agendas\[1\] \(agenda-.*target_case.*hopeful"):
        import_file(tmp_path, document)
    assert not Agenda.objects.exists()
    assert not Source.objects.exists()  # sources come earlier in the file: rolled back too


def test_import_names_a_reference_that_is_nowhere(db, tmp_path):
    document = {
        "format": "alignment-agendas",
        "version": 3,
        "agendas": [{"slug": "x", "name": "X", "summary": "Does x.", "area": "no-such-area"}],
    }
    with pytest.raises(CommandError, match=r"agendas\[0\] \(x\): area 'no-such-area' is neither"):
        import_file(tmp_path, document)


def test_import_names_a_missing_key_field(db, tmp_path):
    document = {"format": "alignment-agendas", "version": 3, "areas": [{"name": "No slug"}]}
    with pytest.raises(CommandError, match=r"areas\[0\]: missing field 'slug'"):
        import_file(tmp_path, document)


def test_import_keeps_rows_that_exist_and_adds_what_is_missing(client, db, tmp_path):
    agendas = make_landscape(agendas=2)
    document = exported(client)
    first = agendas[0]
    first.summary = "Edited by an editor after the export."
    first.save()
    first.tags.clear()
    output = import_file(tmp_path, document)
    first.refresh_from_db()
    assert first.summary == "Edited by an editor after the export."
    assert first.tags.count() == 1  # the missing tag link came back
    assert "agendas        created    0  updated    0  unchanged    2" in output
