import datetime
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from agendas.importers.shallow_review import (
    Link,
    ParseError,
    assumption_clauses,
    markdown_links,
    parse_approach,
    parse_fte,
    parse_problems,
    parse_target_case,
    person_name,
    truncate_at_word,
)
from agendas.models import (
    Agenda,
    Area,
    AreaAlias,
    Assumption,
    Critique,
    Organisation,
    Problem,
    Reliance,
    Source,
)
from tests import content_rules
from tests.builders import make_agenda, make_agenda_alias, make_problem

SAMPLE = Path(__file__).parent / "data" / "shallow_review"
# A field-size synthetic export (tests/browser/test_field_scale.py), written by a script.
FIELD_EXPORT = Path(__file__).parent / "data" / "shallow_review_field"


def run_import(
    agendas=SAMPLE / "agendas.csv",
    papers=SAMPLE / "papers.csv",
    taxonomy=SAMPLE / "taxonomy.yaml",
):
    out = io.StringIO()
    options = {"stdout": out}
    if papers:
        options["papers"] = str(papers)
    if taxonomy:
        options["taxonomy"] = str(taxonomy)
    call_command("import_shallow_review", str(agendas), **options)
    return out.getvalue()


def dump():
    out = io.StringIO()
    call_command("dumpdata", "agendas", "taggit", indent=1, stdout=out)
    return out.getvalue()


# --- the pure helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10-50", (10, 50)),
        ("100+", (100, None)),
        ("5 - 10", (5, 10)),
        ("30", (30, 30)),
        ("", (None, None)),
        ("  ", (None, None)),
    ],
)
def test_it_reads_fte_estimates_as_written_in_the_review(text, expected):
    assert parse_fte(text) == expected


@pytest.mark.parametrize("text", ["lots", "50-10", "10-", "ten"])
def test_it_refuses_fte_text_it_cannot_read(text):
    with pytest.raises(ParseError):
        parse_fte(text)


def test_it_matches_problem_names_that_contain_commas():
    text = (
        "A boxed AGI might exfiltrate itself by steganography, spearphishing, "
        "Fair, sane pivotal processes, Instrumental convergence"
    )
    assert parse_problems(text) == [12, 13, 5]
    assert parse_problems("") == []


def test_it_names_an_unknown_problem():
    with pytest.raises(ParseError, match="Robots are scary"):
        parse_problems("Instrumental convergence, Robots are scary")


def test_it_maps_target_cases_including_varies():
    assert parse_target_case("worst-case") == "worst-case"
    assert parse_target_case("varies") == "mixed"
    assert parse_target_case("") == ""
    with pytest.raises(ParseError, match="unknown target case"):
        parse_target_case("best case")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("behaviorist science", "behavioural"),
        ("behavioral", "behavioural"),
        ("behavioural", "behavioural"),
        ("cognitivist science", "cognitive"),
        ("cognitive", "cognitive"),
        ("maths / philosophy", "maths-philosophy"),
        ("engineering / cognitive", "engineering"),
        ("cognitive / maths/philosophy", "cognitive"),
        ("behaviorist / cognitivist", "behavioural"),
        ("varies", ""),
        ("", ""),
    ],
)
def test_it_maps_broad_approaches_keeping_the_first_of_a_combination(text, expected):
    assert parse_approach(text) == expected


def test_it_refuses_an_unknown_approach():
    with pytest.raises(ParseError, match="astrology"):
        parse_approach("astrology")


def test_it_extracts_markdown_links_with_escaped_parentheses():
    cell = r"[Ann](https://a.example/x), prose, [B \[c\]](https://b.example/p\(1\)) and [C](https://c.example/q(2))."
    assert markdown_links(cell) == [
        Link("Ann", "https://a.example/x"),
        Link("B [c]", "https://b.example/p(1)"),
        Link("C", "https://c.example/q(2)"),
    ]


@pytest.mark.parametrize(
    "text, is_name",
    [
        ("Bellot", True),
        ("Stein-Perlman", True),
        ("Joar Skalse (2023)", True),
        ("Chan et al (2023)", True),
        ("Gölz", True),
        ("STACK", False),
        ("the void", False),
        ("The Leaderboard Illusion", False),
        ("On Deliberative Alignment", False),
        ("Automation collapse", False),
        ("Mechanistic?", False),
        ("A Problem to Solve Before Building a Deception Detector", False),
    ],
)
def test_it_credits_a_person_only_when_the_link_text_is_a_name(text, is_name):
    assert bool(person_name(text)) is is_name


def test_it_turns_assume_clauses_into_capitalised_statements():
    text = (
        '"Things are smooth, assume no hidden optimisers, assume that graders are honest. '
        'Maybe assume that thoughts are visible."'
    )
    found = assumption_clauses(text)
    assert [(item.statement, item.hedged) for item in found] == [
        ("No hidden optimisers", False),
        ("Graders are honest", False),
        ("Thoughts are visible", True),
    ]


def test_it_truncates_long_text_at_a_word_with_an_ellipsis():
    text = "word " * 100
    short = truncate_at_word(text, 400)
    assert len(short) <= 400
    assert short.endswith("word…")
    assert truncate_at_word("short", 400) == "short"


def test_the_field_size_export_is_what_its_generator_writes(tmp_path):
    generator = FIELD_EXPORT / "generate.py"
    subprocess.run([sys.executable, str(generator), str(tmp_path)], check=True)
    for name in ["agendas.csv", "papers.csv", "taxonomy.yaml"]:
        written = (tmp_path / name).read_text(encoding="utf-8")
        assert written == (FIELD_EXPORT / name).read_text(encoding="utf-8"), (
            f"{name} differs from what {generator.name} writes: run it and commit the result"
        )


# --- importing the sample ------------------------------------------------------------------------


@pytest.fixture
def taxonomy(db):
    """Our one map of the field (fixtures/areas.json), which imports merge into."""
    call_command("loaddata", "areas", verbosity=0)
    return {area.slug: area for area in Area.objects.all()}


def test_it_files_agendas_in_the_one_taxonomy_and_never_grows_a_second(taxonomy):
    output = run_import()
    assert Area.objects.count() == len(taxonomy)
    feedback = Agenda.objects.get(name="Feedback tuning")
    assert feedback.area.slug == "iterative-alignment"
    assert feedback.area.parent.slug == "black-box-safety"
    # "Foundations" is no sub-section of ours: the agenda goes to its section, and it is said.
    assert Agenda.objects.get(name="Long summary agenda").area.slug == "theory"
    assert "sub-section 'Foundations' is not on our map: filed under its section" in output
    assert Agenda.objects.get(name="Quiet evals").area.slug == "evals"


def test_it_reports_a_section_the_map_does_not_know_and_creates_nothing_for_it(taxonomy):
    output = run_import()
    assert not Area.objects.filter(name__icontains="quantum").exists()
    assert not Agenda.objects.filter(name="Quantum alignment").exists()
    assert "section 'Quantum safety' is not on our map" in output
    assert "agendas: 1 in a section that is not on our map" in output
    assert "taxonomy: 1 section 'Quantum safety' is not on our map" in output


def test_it_matches_areas_through_their_aliases(taxonomy):
    AreaAlias.objects.create(name="Made-up older section name", area=taxonomy["evals"])
    text = (SAMPLE / "agendas.csv").read_text(encoding="utf-8")
    path = SAMPLE.parent / "_aliases.csv"
    try:
        path.write_text(text.replace(",Evals,", ",made-up OLDER section name,"), encoding="utf-8")
        run_import(agendas=path, papers=None, taxonomy=None)
    finally:
        path.unlink()
    assert Agenda.objects.get(name="Quiet evals").area == taxonomy["evals"]
    assert Area.objects.count() == len(taxonomy)


def test_it_turns_lab_rows_into_organisations_not_agendas(taxonomy):
    output = run_import()
    lab = Organisation.objects.get(name="Example Lab")
    assert lab.kind == Organisation.Kind.LAB
    assert lab.description == ""  # the review's prose is not ours to ship as a description
    assert not Agenda.objects.filter(name="Example Lab").exists()
    assert "critiques: 1 of a lab" in output
    assert "outputs: 1 of a lab" in output


def test_it_imports_agenda_facts_and_quotes_the_reviews_own_words(taxonomy):
    run_import()
    agenda = Agenda.objects.get(name="Feedback tuning")
    assert agenda.slug == "feedback-tuning"
    assert agenda.summary == (
        "“Adjust a trained model with graded examples of what people want.” (Shallow Review 2025)"
    )
    assert agenda.description == ""
    assert agenda.theory_of_change.startswith("> Progress is gradual, assume no hidden")
    assert agenda.theory_of_change.endswith("— Shallow Review 2025")
    assert "<blockquote>" in agenda.theory_of_change_html
    assert agenda.target_case == Agenda.TargetCase.AVERAGE
    assert agenda.broad_approach == Agenda.Approach.BEHAVIOURAL
    assert agenda.people == "Cy Grader, Di Labeller"
    assert agenda.people_as_of == datetime.date(2025, 12, 16)
    assert agenda.people_source.slug == "shallow-review-2025"
    assert (agenda.status_as_of, agenda.status_source.slug) == (
        datetime.date(2025, 12, 16),
        "shallow-review-2025",
    )
    assert (
        agenda.funders
        == "As reported by the Shallow Review 2025: [Fund One](https://fund.example.org)"
    )
    assert (agenda.fte_low, agenda.fte_high, agenda.fte_text) == (100, None, "100+")
    assert agenda.fte_source.slug == "shallow-review-2025"
    assert agenda.fte_source.url == "https://shallowreview.ai"
    assert agenda.fte_date == datetime.date(2025, 12, 16)
    assert sorted(agenda.problems.values_list("number", flat=True)) == [1, 7]


def test_it_maps_odd_values_and_reports_what_it_dropped(taxonomy):
    output = run_import()
    rules = Agenda.objects.get(name="Rule following")
    assert sorted(rules.problems.values_list("number", flat=True)) == [12, 13]
    assert rules.target_case == Agenda.TargetCase.MIXED
    assert rules.broad_approach == Agenda.Approach.ENGINEERING
    assert rules.description == ""  # no placeholder text
    assert "approach texts: 1 with several approaches: only the first was kept" in output
    assert (rules.fte_low, rules.fte_high, rules.fte_text) == (5, 10, "5 - 10")
    heuristics = Agenda.objects.get(name="Heuristic explanations")
    assert (heuristics.fte_low, heuristics.fte_high) == (30, 30)
    quiet = Agenda.objects.get(name="Quiet evals")
    assert quiet.broad_approach == Agenda.Approach.BEHAVIOURAL
    long = Agenda.objects.get(name="Long summary agenda")
    assert long.fte_text == "" and long.fte_low is None and long.fte_source is None


def test_it_shortens_a_long_summary_within_the_quotation(taxonomy):
    run_import()
    agenda = Agenda.objects.get(name="Long summary agenda")
    assert len(agenda.summary) <= 400
    assert agenda.summary.startswith("“This agenda has a summary")
    assert agenda.summary.endswith("…” (Shallow Review 2025)")


def test_it_creates_the_13_problems_when_missing_and_keeps_existing_ones(taxonomy):
    make_problem(number=7, name="Supervisors can be fooled", slug="fooled")
    run_import()
    assert Problem.objects.count() == 13
    assert Problem.objects.get(number=7).name == "Supervisors can be fooled"
    assert Problem.objects.get(number=12).name == (
        "A boxed AGI might exfiltrate itself by steganography, spearphishing"
    )


def test_it_records_each_critique_link_as_linked_and_assesses_nothing(taxonomy):
    run_import()
    critiques = Critique.objects.filter(agenda__name="Feedback tuning").order_by("slug")
    assert [critique.title for critique in critiques] == [
        "Critique by Quinn",
        "Why Grading Fails at Scale",
    ]
    quinn, listed = critiques
    for critique in critiques:
        assert critique.status == Critique.Status.LINKED
        assert critique.severity is None
        assert critique.kind == ""
        assert critique.body == ""
        assert critique.reviewed_at is None and critique.reviewed_by is None
    # A link that papers.csv lists: its real title, authors and date.
    assert listed.author == "Ki Skeptic, Lu Doubter"
    assert listed.source.url == "https://forum.example.org/posts/grading(scale)"
    assert listed.source.published == datetime.date(2025, 2, 3)
    assert listed.source.authors == "Ki Skeptic, Lu Doubter"
    # A link known only by its text, which names a person.
    assert quinn.author == "Quinn"
    assert quinn.source.url == "https://critics.example.org/quinn-on-tuning"
    assert quinn.slug == "feedback-tuning-quinn"
    assert Critique.objects.get(agenda__name="Heuristic explanations").author == (
        "Nguyen et al (2024)"
    )
    assert not Critique.objects.published().exists()
    assert Critique.objects.public().count() == Critique.objects.count()


def test_it_shares_one_assumption_among_agendas_that_state_it(taxonomy):
    run_import()
    assert sorted(Assumption.objects.values_list("statement", flat=True)) == [
        "Feedback stays honest",
        "Graders can tell good from bad",
        "No hidden optimisers",
    ]
    shared = Assumption.objects.get(statement="No hidden optimisers")
    assert sorted(shared.reliances.values_list("agenda__name", flat=True)) == [
        "Feedback tuning",
        "Rule following",
    ]
    reliance = shared.reliances.first()
    assert reliance.load == Reliance.Load.SIGNIFICANT
    assert reliance.reason == "Stated in the agenda's theory of change (Shallow Review 2025)."
    assert reliance.source.slug == "shallow-review-2025"
    hedged = Reliance.objects.filter(assumption__statement="Feedback stays honest")
    assert {item.load for item in hedged} == {Reliance.Load.MINOR}


def test_it_links_outputs_as_sources_deduplicated_by_url(taxonomy):
    output = run_import()
    shared = Source.objects.get(url="https://papers.example.org/graded-feedback")
    assert sorted(shared.agendas.values_list("name", flat=True)) == [
        "Feedback tuning",
        "Rule following",
    ]
    assert shared.year == 2025 and shared.published is None  # "2025-03-XX" keeps the year only
    assert shared.authors == "Cy Grader, Di Labeller"
    suite = Source.objects.get(url="https://evals.example.org/suite")
    assert suite.title == "A capability evaluation suite"  # the title, not the link text
    assert suite.published == datetime.date(2025, 7, 15)
    assert "outputs: 1 without a URL" in output
    assert not Source.objects.filter(title="A note without a link").exists()


def test_it_merges_into_an_agenda_known_by_an_alias_without_overwriting_editors_text(taxonomy):
    editors = make_agenda(
        name="ARC heuristic arguments",
        slug="arc-heuristic-arguments",
        summary="Our editors' summary.",
        theory_of_change="",
        broad_approach="",
        target_case="",
        people="",
    )
    make_agenda_alias(agenda=editors, name="heuristic EXPLANATIONS")
    output = run_import()
    assert not Agenda.objects.filter(name="Heuristic explanations").exists()
    editors.refresh_from_db()
    assert editors.summary == "Our editors' summary."
    assert editors.theory_of_change == ""  # the review's prose never fills our text fields
    assert editors.broad_approach == Agenda.Approach.MATHS_PHILOSOPHY
    assert editors.target_case == Agenda.TargetCase.WORST
    assert editors.people == "Fa Prover, Gi Checker"
    assert editors.critiques.count() == 1
    assert editors.sources.filter(url="https://papers.example.org/defeasible").exists()
    assert "agendas         created    4  updated    1" in output


def test_it_merges_by_name_case_insensitively(taxonomy):
    existing = make_agenda(name="QUIET EVALS", slug="editors-quiet-evals", people="Someone")
    run_import()
    assert Agenda.objects.filter(name__iexact="quiet evals").count() == 1
    existing.refresh_from_db()
    assert existing.people == "Someone"
    assert existing.fte_text == "10-50"


def test_a_second_run_creates_and_changes_nothing(taxonomy):
    run_import()
    counts = {
        model.__name__: model.objects.count()
        for model in (Agenda, Area, Assumption, Critique, Organisation, Problem, Reliance, Source)
    }
    before = dump()
    output = run_import()
    assert dump() == before
    assert counts == {
        model.__name__: model.objects.count()
        for model in (Agenda, Area, Assumption, Critique, Organisation, Problem, Reliance, Source)
    }
    assert "Total: created 0, updated 0," in output


def test_it_prints_a_summary_with_skip_reasons(taxonomy):
    output = run_import()
    assert "agendas         created    5" in output
    assert "critiques: 1 same link twice for one agenda" in output
    assert output.strip().endswith("Done.")


class TerminalIO(io.StringIO):
    def isatty(self):
        return True


def test_it_shows_a_progress_counter_on_a_terminal(taxonomy):
    out = TerminalIO()
    call_command("import_shallow_review", str(SAMPLE / "agendas.csv"), stdout=out)
    assert "\rImporting row 7 of 7" in out.getvalue()


def test_it_shows_no_progress_counter_when_not_on_a_terminal(taxonomy):
    assert "\r" not in run_import()


# --- bad input -----------------------------------------------------------------------------------


def write(tmp_path, text, name="agendas.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def sample_with(replace, by):
    text = (SAMPLE / "agendas.csv").read_text(encoding="utf-8")
    assert replace in text
    return text.replace(replace, by)


def test_it_refuses_a_missing_file(taxonomy):
    with pytest.raises(CommandError, match="no such file"):
        run_import(agendas=SAMPLE / "nope.csv")


def test_it_names_missing_columns(taxonomy, tmp_path):
    path = write(tmp_path, "name,section\nA,B\n")
    with pytest.raises(CommandError, match="missing column.*one_sentence_summary"):
        run_import(agendas=path, papers=None)


def test_it_says_when_a_file_is_not_utf8(taxonomy, tmp_path):
    path = tmp_path / "agendas.csv"
    path.write_bytes(sample_with("Quinn", "Qu\u00efnn").encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run_import(agendas=path, papers=None)


def test_it_names_the_row_and_column_of_an_unknown_target_case(taxonomy, tmp_path):
    path = write(tmp_path, sample_with(",worst-case,", ",best-case,"))
    with pytest.raises(CommandError, match=r"row 5, column 'target_case_text'.*best-case"):
        run_import(agendas=path, papers=None)
    assert not Agenda.objects.exists()


def test_it_names_the_row_and_column_of_bad_fte_text(taxonomy, tmp_path):
    path = write(tmp_path, sample_with(",10-50,", ",dozens,"))
    with pytest.raises(CommandError, match=r"row 7, column 'estimated_ftes'.*dozens"):
        run_import(agendas=path, papers=None)


def test_it_names_the_row_of_a_bad_year_in_papers(taxonomy, tmp_path):
    text = (SAMPLE / "papers.csv").read_text(encoding="utf-8").replace(",2024,", ",last year,")
    papers = write(tmp_path, text, name="papers.csv")
    with pytest.raises(CommandError, match=r"papers.csv, row 6, column 'published_year'"):
        run_import(papers=papers)


def test_it_writes_nothing_when_a_late_row_fails(taxonomy, tmp_path):
    # The last row has no summary: rows before it were already written when it fails.
    path = write(tmp_path, sample_with("Measure dangerous capabilities before release.", ""))
    with pytest.raises(CommandError, match="row 7.*needs a summary.*Nothing was imported"):
        run_import(agendas=path, papers=None)
    assert not Agenda.objects.exists()
    assert not Critique.objects.exists()
    assert not Source.objects.exists()


def test_it_refuses_a_taxonomy_that_is_not_yaml(taxonomy, tmp_path):
    bad = write(tmp_path, "taxonomy: [unclosed", name="taxonomy.yaml")
    with pytest.raises(CommandError, match="not valid YAML"):
        call_command(
            "import_shallow_review",
            str(SAMPLE / "agendas.csv"),
            taxonomy=str(bad),
            stdout=io.StringIO(),
        )


@pytest.mark.real_export
def test_the_real_export_merges_into_the_shipped_content(client, shared_reference, shipped):
    """On top of the shipped content the real export grows no second tree, creates an agenda
    only for a review agenda that no shipped entry covers, and a second run changes nothing."""
    real = shared_reference / "shallow-review-2025"
    areas = sorted(Area.objects.values_list("slug", flat=True))
    agendas = Agenda.objects.count()
    files = {
        "agendas": real / "agendas.csv",
        "papers": real / "papers.csv",
        "taxonomy": real / "taxonomy.yaml",
    }
    output = run_import(**files)
    assert sorted(Area.objects.values_list("slug", flat=True)) == areas, output
    assert "not on our map" not in output, output
    uncovered = content_rules.uncovered_review_agendas()
    assert Agenda.objects.count() == agendas + len(uncovered), output
    assert Organisation.objects.filter(kind=Organisation.Kind.LAB).count() >= 5
    assert Critique.objects.linked().exists()
    for slug in Agenda.objects.values_list("slug", flat=True):
        response = client.get(f"/agendas/{slug}/")
        assert response.status_code == 200, slug
    before = dump()
    assert "Total: created 0, updated 0," in run_import(**files)
    assert dump() == before
