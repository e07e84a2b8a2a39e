"""The rules shipped content must follow, as functions the suite (tests/test_content.py) and
editors both run.

    .venv/bin/python -m tests.content_rules [fixtures/field/theory.json ...]
    .venv/bin/python -m tests.content_rules --debate fixtures/debate/theory.json [...]

prints every broken rule in the named field or debate files (all of them by default) and
exits 1 if there is any; with --debate, the per-agenda targets (critiques, voices,
assumptions) are checked for the agendas of the named areas only. Rules that compare with
the reference material (the copying rule, facts taken from the Shallow Review's papers.csv)
need ../shared/reference beside the checkout; without it they are skipped, and say so.
"""

import csv
import json
import re
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REFERENCE = ROOT.parent / "shared" / "reference"  # the same place as tests/shared_data.py
REVIEW = REFERENCE / "shallow-review-2025"
EDITORS = "editors"
REVIEW_SOURCE = "shallow-review-2025"
CONFIDENCES = {"low", "medium", "high"}
LABS = "Labs (giant companies)"

# The copying rule: runs of this many words or more may not come from these texts.
EXPORT_RUN = 8
ESSAY_RUN = 10

DEBATE_ORDER = [
    "agendas.source",
    "agendas.assumption",
    "agendas.assumptionalias",
    "agendas.reliance",
    "agendas.critique",
]
EDITORS_CREDIT = "Alignment Agendas editors"
VOICES = {"outside", "own", "editors"}
BASES = {"full-text", "excerpts", "abstract", "account"}
KINDS = {"scalability", "tractability", "theory-of-change", "evidence", "safety", "other"}
# Every agenda ships at least this many published critiques and rests on this many assumptions.
MIN_CRITIQUES = 2
MIN_ASSUMPTIONS = 2
# Agendas for which the editors searched and found fewer published critiques than that, with
# what the page and the closing note say. Never filled with the editors' own analysis.
FEWER_CRITIQUES_FOUND = {
    "high-actuation-spaces": "searched 2026-12-02: only the authors' own sequence, funding "
    "pages and supportive reviews were found, so one critique is shipped",
}

FIELD_ORDER = [
    "agendas.source",
    "agendas.organisation",
    "taggit.tag",
    "agendas.agenda",
    "agendas.taggedagenda",
    "agendas.agendaalias",
    "agendas.reliance",
    "agendas.rating",
]
PROSE_FIELDS = {
    "agendas.agenda": ("summary", "description", "theory_of_change"),
    "agendas.organisation": ("description",),
    "agendas.rating": ("rationale",),
    "agendas.reliance": ("reason",),
    "agendas.assumption": ("statement", "description"),
    "agendas.critique": ("title", "body", "response"),
    "agendas.area": ("description",),
}
LEVEL = re.compile(r"\blevel[- ](\d)\b", re.IGNORECASE)


def has_reference():
    return (REVIEW / "agendas.csv").exists()


# --- loading -------------------------------------------------------------------------------


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def field_paths():
    return sorted((FIXTURES / "field").glob("*.json"))


def debate_paths():
    return sorted((FIXTURES / "debate").glob("*.json"))


def shared_paths():
    return sorted(path for path in FIXTURES.glob("*.json"))


@cache
def all_rows():
    """Every fixture row, with the file it came from: [(path name, row)]."""
    rows = []
    for path in [*shared_paths(), *field_paths(), *debate_paths()]:
        rows.extend((path.name, row) for row in load(path))
    return rows


def rows_of(model, rows=None):
    return [row["fields"] for _, row in (rows or all_rows()) if row["model"] == model]


@cache
def criteria_slugs():
    return [row["slug"] for row in rows_of("agendas.criterion")]


# --- reference material --------------------------------------------------------------------


@cache
def review_agendas():
    with (REVIEW / "agendas.csv").open(encoding="utf-8") as file:
        return [row for row in csv.DictReader(file) if row["section"] != LABS]


@cache
def review_papers():
    """{url: papers.csv row} for every output with a link."""
    with (REVIEW / "papers.csv").open(encoding="utf-8") as file:
        return {row["link_url"].strip(): row for row in csv.DictReader(file) if row["link_url"]}


@cache
def checked_urls():
    """URLs in sources.md, the Shallow Review export and fixtures/checked-sources.md."""
    texts = [
        (REFERENCE / "sources.md").read_text(encoding="utf-8"),
        (REVIEW / "agendas.csv").read_text(encoding="utf-8"),
        (REVIEW / "papers.csv").read_text(encoding="utf-8"),
        (REVIEW / "taxonomy.yaml").read_text(encoding="utf-8"),
        (FIXTURES / "checked-sources.md").read_text(encoding="utf-8"),
    ]
    return "\n".join(texts)


def words(text):
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("’", "'"))


def runs(text, length):
    tokens = words(text)
    return {" ".join(tokens[i : i + length]) for i in range(len(tokens) - length + 1)}


@cache
def forbidden_runs():
    """{run length: set of runs} that shipped prose may not contain."""
    export_text = [
        text
        for row in review_agendas()
        for text in (row["one_sentence_summary"], row["theory_of_change"])
    ]
    essay = (REFERENCE / "seed-essay.txt").read_text(encoding="utf-8")
    return {
        EXPORT_RUN: set().union(*(runs(text, EXPORT_RUN) for text in export_text)),
        ESSAY_RUN: runs(essay, ESSAY_RUN),
    }


def copied_runs(text):
    """Runs of `text` found in the export's summaries and theories of change, or the essay."""
    found = []
    for length, forbidden in forbidden_runs().items():
        found.extend(run for run in runs(text, length) if run in forbidden)
    return found


# --- the rules -----------------------------------------------------------------------------


def check_field_file(path, problems):
    rows = [(Path(path).name, row) for row in load(path)]
    where = Path(path).name
    order = [FIELD_ORDER.index(row["model"]) for _, row in rows if row["model"] in FIELD_ORDER]
    unknown = {row["model"] for _, row in rows} - set(FIELD_ORDER)
    if unknown:
        problems.append(f"{where}: models that do not belong in a field file: {unknown}")
    if order != sorted(order):
        problems.append(f"{where}: rows out of order; keep them in this order: {FIELD_ORDER}")
    if any("pk" in row for _, row in rows):
        problems.append(f"{where}: rows name a pk; use natural keys only")
    for agenda in rows_of("agendas.agenda", rows):
        check_agenda(where, agenda, problems)


def check_agenda(where, agenda, problems):
    name = f"{where}: agenda {agenda['slug']}"
    required = ["name", "summary", "description", "theory_of_change", "area", "status"]
    required += ["broad_approach", "target_case", "supervision", "status_as_of"]
    for field in required:
        if not agenda.get(field):
            problems.append(f"{name}: {field} is empty")
    if len(agenda.get("summary", "")) > 400:
        problems.append(f"{name}: summary is over 400 characters")
    if agenda.get("people") and not (agenda.get("people_as_of") and agenda.get("people_source")):
        problems.append(f"{name}: people need people_as_of and people_source")
    if agenda.get("fte_text") and not (agenda.get("fte_source") and agenda.get("fte_date")):
        problems.append(f"{name}: an FTE estimate needs fte_source and fte_date")
    outputs = [slug for (slug,) in agenda.get("sources", []) if slug != REVIEW_SOURCE]
    if len(outputs) < 2:
        problems.append(f"{name}: needs at least two sourced outputs besides the review")


def check_debate_file(path, problems):
    rows = [row for row in load(path)]
    where = Path(path).name
    models = [row["model"] for row in rows]
    unknown = set(models) - set(DEBATE_ORDER)
    if unknown:
        problems.append(f"debate/{where}: models that do not belong in a debate file: {unknown}")
    order = [DEBATE_ORDER.index(model) for model in models if model in DEBATE_ORDER]
    if order != sorted(order):
        problems.append(
            f"debate/{where}: rows out of order; keep them in this order: {DEBATE_ORDER}"
        )
    if any("pk" in row for row in rows):
        problems.append(f"debate/{where}: rows name a pk; use natural keys only")
    for critique in rows_of("agendas.critique", [(where, row) for row in rows]):
        check_critique(f"debate/{where}", critique, problems)


def check_critique(where, critique, problems):
    name = f"{where}: critique {critique.get('slug')}"
    status = critique.get("status")
    if status == "linked":
        claimed = [
            field
            for field in ("kind", "severity", "severity_confidence", "voice", "basis", "body")
            if critique.get(field)
        ]
        claimed += [f for f in ("basis_source", "reviewed_at") if critique.get(f)]
        if claimed:
            problems.append(f"{name}: a linked critique claims nothing, but sets {claimed}")
        if not critique.get("source"):
            problems.append(f"{name}: a linked critique names the work it links to (source)")
        return
    if status != "published":
        problems.append(f"{name}: ship critiques as published or linked, not {status!r}")
        return
    for field in ("title", "body", "author", "source", "reviewed_at"):
        if not critique.get(field):
            problems.append(f"{name}: {field} is empty")
    if critique.get("kind") not in KINDS:
        problems.append(f"{name}: kind must be one of {sorted(KINDS)}")
    if critique.get("severity") not in (1, 2, 3, 4):
        problems.append(f"{name}: severity must be 1 to 4")
    if critique.get("severity_confidence") not in CONFIDENCES:
        problems.append(f"{name}: severity_confidence must be one of {sorted(CONFIDENCES)}")
    if critique.get("voice") not in VOICES:
        problems.append(f"{name}: voice must be one of {sorted(VOICES)}")
    if critique.get("basis") not in BASES:
        problems.append(f"{name}: basis must be one of {sorted(BASES)}")
    if (critique.get("basis") == "account") != bool(critique.get("basis_source")):
        problems.append(f"{name}: basis_source is set exactly when basis is 'account'")
    # The editors' reading is credited to the editors, and a cited author's to them.
    credited_to_editors = critique.get("author", "").startswith(EDITORS_CREDIT)
    if (critique.get("voice") == "editors") != credited_to_editors:
        problems.append(
            f"{name}: the editors' own analysis, and only it, is credited to {EDITORS_CREDIT!r}"
        )
    if bool(critique.get("response")) != bool(critique.get("response_source")):
        problems.append(f"{name}: a reply and its source come together")


def check_debate_references(problems):
    """Critiques and reliances name agendas, assumptions and sources that exist; an
    (agenda, assumption) pair is relied on once."""
    agendas = {row["slug"] for row in rows_of("agendas.agenda")}
    assumptions = {row["slug"] for row in rows_of("agendas.assumption")}
    sources = {row["slug"] for row in rows_of("agendas.source")}
    for critique in rows_of("agendas.critique"):
        name = f"critique {critique['slug']}"
        if critique["agenda"][0] not in agendas:
            problems.append(f"{name}: unknown agenda {critique['agenda'][0]!r}")
        if critique.get("assumption") and critique["assumption"][0] not in assumptions:
            problems.append(f"{name}: unknown assumption {critique['assumption'][0]!r}")
        for field in ("source", "response_source", "basis_source"):
            if critique.get(field) and critique[field][0] not in sources:
                problems.append(f"{name}: {field} names unknown {critique[field][0]!r}")
    pairs = defaultdict(int)
    for reliance in rows_of("agendas.reliance"):
        pairs[(reliance["agenda"][0], reliance["assumption"][0])] += 1
        if reliance["assumption"][0] not in assumptions:
            problems.append(f"reliance of {reliance['agenda'][0]}: unknown assumption")
    for (agenda, assumption), count in pairs.items():
        if count > 1:
            problems.append(f"reliance {agenda} -> {assumption} is shipped {count} times")
    slugs = defaultdict(int)
    for critique in rows_of("agendas.critique"):
        slugs[critique["slug"]] += 1
    problems.extend(
        f"critique slug {slug!r} is used {n} times" for slug, n in slugs.items() if n > 1
    )
    urls = defaultdict(list)
    for source in rows_of("agendas.source"):
        if source.get("url"):
            urls[source["url"]].append(source["slug"])
    for url, named in urls.items():
        if len(set(named)) > 1:
            problems.append(f"source URL {url} has several rows: {sorted(set(named))}")


def agendas_of_areas(area_files):
    """Slugs of the agendas filed in these areas (debate/x.json covers field/x.json)."""
    names = {Path(path).name for path in area_files}
    return [
        row["fields"]["slug"]
        for path in field_paths()
        if path.name in names
        for row in load(path)
        if row["model"] == "agendas.agenda"
    ]


def check_debate_targets(problems, agenda_slugs=None):
    """Every agenda has enough published critiques and assumptions, each reliance sourced."""
    published = defaultdict(list)
    for critique in rows_of("agendas.critique"):
        if critique.get("status") == "published":
            published[critique["agenda"][0]].append(critique)
    relied = defaultdict(list)
    for reliance in rows_of("agendas.reliance"):
        relied[reliance["agenda"][0]].append(reliance)
        if not reliance.get("source"):
            problems.append(
                f"reliance {reliance['agenda'][0]} -> {reliance['assumption'][0]}: no source"
            )
    for slug in agenda_slugs or [row["slug"] for row in rows_of("agendas.agenda")]:
        if len(published[slug]) < MIN_CRITIQUES and slug not in FEWER_CRITIQUES_FOUND:
            problems.append(
                f"agenda {slug}: {len(published[slug])} published critique(s), "
                f"needs {MIN_CRITIQUES}"
            )
        if len(relied[slug]) < MIN_ASSUMPTIONS:
            problems.append(
                f"agenda {slug}: rests on {len(relied[slug])} assumption(s), "
                f"needs {MIN_ASSUMPTIONS}"
            )


def check_ratings(problems):
    """The editors rate every agenda on every criterion; every rating is well-formed."""
    rated = defaultdict(set)
    for rating in rows_of("agendas.rating"):
        key = f"rating {rating['agenda'][0]} / {rating['criterion'][0]} / {rating['assessor'][0]}"
        if rating.get("confidence") not in CONFIDENCES:
            problems.append(f"{key}: confidence must be one of {sorted(CONFIDENCES)}")
        if not rating.get("source"):
            problems.append(f"{key}: cites no source")
        levels = {int(level) for level in LEVEL.findall(rating.get("rationale", ""))}
        if rating["score"] not in levels:
            problems.append(f"{key}: the rationale must name its level ('level {rating['score']}')")
        elif not rating.get("rationale", "").startswith(f"Level {rating['score']}: "):
            problems.append(
                f"{key}: the rationale opens 'Level {rating['score']}: ' and a one-line reason"
            )
        if rating["assessor"][0] == EDITORS:
            rated[rating["agenda"][0]].add(rating["criterion"][0])
    for agenda in rows_of("agendas.agenda"):
        missing = set(criteria_slugs()) - rated[agenda["slug"]]
        if missing:
            problems.append(f"agenda {agenda['slug']}: editors have not rated {sorted(missing)}")


def check_references(problems):
    """Every natural key a row names exists somewhere in the fixtures."""
    slugs = {
        model: {row["slug"] for row in rows_of(model)}
        for model in ("agendas.source", "agendas.organisation", "agendas.area", "agendas.agenda")
    }
    for agenda in rows_of("agendas.agenda"):
        for field, model in [
            ("sources", "agendas.source"),
            ("organisations", "agendas.organisation"),
        ]:
            for (slug,) in agenda.get(field, []):
                if slug not in slugs[model]:
                    problems.append(f"agenda {agenda['slug']}: {field} names unknown {slug!r}")
        for field in ("fte_source", "people_source", "status_source"):
            if agenda.get(field) and agenda[field][0] not in slugs["agendas.source"]:
                problems.append(f"agenda {agenda['slug']}: {field} {agenda[field][0]!r} unknown")
        if agenda["area"][0] not in slugs["agendas.area"]:
            problems.append(f"agenda {agenda['slug']}: unknown area {agenda['area'][0]!r}")
    for model in ("agendas.rating", "agendas.reliance"):
        for row in rows_of(model):
            if row.get("source") and row["source"][0] not in slugs["agendas.source"]:
                problems.append(f"{model} of {row['agenda'][0]}: unknown source {row['source']}")
            if row["agenda"][0] not in slugs["agendas.agenda"]:
                problems.append(f"{model}: unknown agenda {row['agenda'][0]!r}")


def check_duplicates(problems):
    """A slug shipped twice must carry the same fields both times."""
    seen = {}
    for file_name, row in all_rows():
        fields = row["fields"]
        key = (row["model"], fields.get("slug") or fields.get("name") or json.dumps(fields))
        if key in seen and seen[key][1] != fields:
            first = seen[key][0]
            problems.append(f"{key[1]!r} ({row['model']}) differs in {first} and {file_name}")
        seen.setdefault(key, (file_name, fields))


def uncovered_review_agendas():
    """Names of non-lab Shallow Review 2025 agendas that no shipped entry covers."""
    known = {agenda["name"].lower() for agenda in rows_of("agendas.agenda")}
    known |= {alias["name"].lower() for alias in rows_of("agendas.agendaalias")}
    return [row["name"] for row in review_agendas() if row["name"].strip().lower() not in known]


def check_review_coverage(problems):
    """Every non-lab agenda of the Shallow Review 2025 is one of ours, by name or alias."""
    for name in uncovered_review_agendas():
        problems.append(f"Shallow Review agenda {name!r} has no entry or alias")


def check_sources_against_reference(problems):
    """Every source URL is a checked one; outputs listed in papers.csv carry its facts."""
    checked = checked_urls()
    papers = review_papers()
    for source in rows_of("agendas.source"):
        url = source.get("url", "")
        if url and url not in checked:
            problems.append(f"source {source['slug']}: {url} is in no checked list")
        paper = papers.get(url)
        if paper is None:
            continue
        full_date = len(paper["date"]) == 10 and "X" not in paper["date"]
        if full_date and source.get("published") != paper["date"]:
            problems.append(
                f"source {source['slug']}: published should be {paper['date']} (papers.csv)"
            )
        if paper["published_year"] and source.get("year") != int(paper["published_year"]):
            problems.append(
                f"source {source['slug']}: year should be {paper['published_year']} (papers.csv)"
            )


def check_copying(problems):
    """No run of 8+ words from the export's summaries or theories of change, or of 10+
    words from the essay, in anything we wrote."""
    for _, row in all_rows():
        for field in PROSE_FIELDS.get(row["model"], ()):
            text = row["fields"].get(field) or ""
            for run in copied_runs(text):
                key = row["fields"].get("slug") or row["fields"].get("agenda") or row["model"]
                problems.append(f"{row['model']} {key}: {field} copies {run!r}")


def review_critique_links():
    """[(agenda name, link URL)] of every critique the export links to a non-lab agenda."""
    link = re.compile(r"\[(?:[^\[\]\\]|\\.)+\]\(((?:[^()\s\\]|\\.|\([^()\s]*\))+)\)")
    search = re.compile(r"^https?://(?:www\.)?google\.[a-z.]+/search\?q=(https?://[^&\s]+)$")
    urls = (
        (row["name"].strip(), url.replace("\\", "").strip())
        for row in review_agendas()
        for url in link.findall(row["critiques"])
    )
    # As the importer does, a link to a web search for an address is that address.
    return [(name, search.sub(r"\1", url)) for name, url in urls]


def check_review_critiques(problems, agenda_slugs=None):
    """Every critique the export links to one of our agendas is shipped, summarised or (when
    no copy could be read) linked, under the same agenda and with the link's exact URL."""
    slug_of = {row["name"].lower(): row["slug"] for row in rows_of("agendas.agenda")}
    slug_of |= {row["name"].lower(): row["agenda"][0] for row in rows_of("agendas.agendaalias")}
    url_of = {row["slug"]: row.get("url", "") for row in rows_of("agendas.source")}
    shipped = {
        (critique["agenda"][0], url_of.get(critique["source"][0]))
        for critique in rows_of("agendas.critique")
        if critique.get("source")
    }
    for name, url in review_critique_links():
        slug = slug_of.get(name.lower())
        if agenda_slugs is not None and slug not in agenda_slugs:
            continue
        if (slug, url) not in shipped:
            problems.append(f"agenda {slug}: the review's critique link {url} is not shipped")


def reference_problems(agenda_slugs=None):
    """The rules that compare the content with ../shared/reference."""
    problems = []
    check_review_critiques(problems, agenda_slugs)
    check_review_coverage(problems)
    check_sources_against_reference(problems)
    check_copying(problems)
    return problems


def all_problems(paths=None, with_reference=None, debate_paths_=None):
    """Every broken rule; with debate_paths_, the per-agenda targets only for their areas."""
    problems = []
    for path in paths or ([] if debate_paths_ else field_paths()):
        check_field_file(path, problems)
    for path in debate_paths_ or debate_paths():
        check_debate_file(path, problems)
    agenda_slugs = agendas_of_areas(debate_paths_) if debate_paths_ else None
    check_ratings(problems)
    check_references(problems)
    check_debate_references(problems)
    check_debate_targets(problems, agenda_slugs)
    check_duplicates(problems)
    if has_reference() if with_reference is None else with_reference:
        problems.extend(reference_problems(agenda_slugs))
    return problems


def main(argv):
    if not has_reference():
        print(f"note: {REFERENCE} is missing, so the copying and source rules were skipped")
    if argv[:1] == ["--debate"]:
        problems = all_problems(debate_paths_=[Path(arg) for arg in argv[1:]])
    else:
        problems = all_problems([Path(arg) for arg in argv] or None)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
