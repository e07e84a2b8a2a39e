import io
import json
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from agendas.models import Agenda, AgendaAlias, Critique, Source
from tests.builders import make_agenda, make_agenda_alias, make_area, make_critique, make_landscape

SAMPLE = Path(__file__).parent / "data" / "shallow_review"


def empty_database():
    # PostgreSQL refuses to TRUNCATE while deferred foreign-key checks are pending.
    connection.check_constraints()
    call_command("flush", interactive=False)


def export():
    out = io.StringIO()
    call_command("export_agendas", stdout=out)
    return out.getvalue()


def build_mixed_content():
    """Content like the shipped fixtures (built here), plus the imported Shallow Review sample."""
    call_command("loaddata", "areas", verbosity=0)  # the map imports merge into
    agendas = make_landscape(agendas=3, criteria=3, assessors=2, critiques=2)
    theory = make_area(name="Theory (ours)", slug="theory-ours")
    rlhf = make_agenda(name="RLHF", slug="rlhf", area=theory, fte_text="about 100")
    plus = make_agenda(name="RLHF++", slug="rlhf-plus-plus", area=theory, parent=rlhf)
    make_agenda(name="Constitutional AI", slug="constitutional-ai", area=theory, parent=plus)
    make_agenda_alias(agenda=rlhf, name="Iterative alignment at post-train-time")
    make_critique(agenda=rlhf, title="Never published", status=Critique.Status.SUBMITTED)
    call_command(
        "import_shallow_review",
        str(SAMPLE / "agendas.csv"),
        papers=str(SAMPLE / "papers.csv"),
        taxonomy=str(SAMPLE / "taxonomy.yaml"),
        stdout=io.StringIO(),
    )
    return agendas


def test_export_import_export_into_an_empty_database_is_byte_identical(db, tmp_path):
    build_mixed_content()
    first = export()
    path = tmp_path / "agendas.json"
    path.write_text(first, encoding="utf-8")

    empty_database()
    assert not Agenda.objects.exists() and not Source.objects.exists()
    call_command("import_agendas", str(path), stdout=io.StringIO())

    assert export() == first
    document = json.loads(first)
    assert len(document["agendas"]) == 3 + 3 + 5  # landscape, built, Shallow Review sample
    assert any(row["parent"] == "rlhf-plus-plus" for row in document["agendas"])
    statuses = {row["status"] for row in document["critiques"]}
    assert statuses == {"published", "linked"}  # the sample's links come back as links
    assert Critique.objects.linked().count() == sum(
        row["status"] == "linked" for row in document["critiques"]
    )
    assert AgendaAlias.objects.get(name="Iterative alignment at post-train-time").agenda.slug == (
        "rlhf"
    )
    assert Critique.objects.filter(slug__startswith="feedback-tuning-").count() == 2


def test_unpublished_critiques_are_not_round_tripped(db, tmp_path):
    build_mixed_content()
    path = tmp_path / "agendas.json"
    path.write_text(export(), encoding="utf-8")
    empty_database()
    call_command("import_agendas", str(path), stdout=io.StringIO())
    assert not Critique.objects.filter(title__in=["Never published", "Draft critique"]).exists()
    assert set(Critique.objects.values_list("status", flat=True)) == {"published", "linked"}


def test_importing_the_same_export_twice_changes_nothing(db, tmp_path):
    build_mixed_content()
    first = export()
    path = tmp_path / "agendas.json"
    path.write_text(first, encoding="utf-8")
    out = io.StringIO()
    call_command("import_agendas", str(path), stdout=out)
    assert "Total: created 0, updated 0," in out.getvalue()
    assert export() == first
