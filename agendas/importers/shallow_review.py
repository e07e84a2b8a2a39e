"""Reading the Shallow Review 2025 export: files, rows and the free-text cells in them.

Everything here is pure (text in, values out) except the file readers, which only read.
Writing to the database is agendas/importers/shallow_review_load.py's job.
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from django.utils.text import slugify

from agendas.importers.errors import ImportFailed

LABS_SECTION = "Labs (giant companies)"
REVIEW_DATE = datetime.date(2025, 12, 16)

# davidad's 13 orthodox problems, numbered as in his post; names as the review spells them.
ORTHODOX_PROBLEMS = [
    (1, "Value is fragile and hard to specify"),
    (2, "Corrigibility is anti-natural"),
    (3, "Pivotal processes require dangerous capabilities"),
    (4, "Goals misgeneralize out of distribution"),
    (5, "Instrumental convergence"),
    (6, "Pivotal processes likely require incomprehensibly complex plans"),
    (7, "Superintelligence can fool human supervisors"),
    (8, "Superintelligence can hack software supervisors"),
    (9, "Humans cannot be first-class parties to a superintelligent value handshake"),
    (10, "Humanlike minds/goals are not necessarily safe"),
    (11, "Someone else will deploy unsafe superintelligence first"),
    (12, "A boxed AGI might exfiltrate itself by steganography, spearphishing"),
    (13, "Fair, sane pivotal processes"),
]

AGENDA_COLUMNS = [
    "name",
    "section",
    "sub_section",
    "one_sentence_summary",
    "theory_of_change",
    "orthodox_problems",
    "target_case_text",
    "broad_approach_text",
    "some_names",
    "estimated_ftes",
    "critiques",
    "funded_by",
]
PAPER_COLUMNS = ["agenda_full_name", "link_url", "link_text", "title", "authors", "published_year"]

TARGET_CASES = {
    "average": "average",
    "average case": "average",
    "pessimistic": "pessimistic",
    "pessimistic case": "pessimistic",
    "worst-case": "worst-case",
    "worst case": "worst-case",
    "mixed": "mixed",
    "varies": "mixed",
}

# Longest first, so "behaviorist science" wins over "behaviorist".
APPROACHES = sorted(
    {
        "engineering": "engineering",
        "behaviorist science": "behavioural",
        "behaviourist science": "behavioural",
        "behaviorist": "behavioural",
        "behaviourist": "behavioural",
        "behavioral": "behavioural",
        "behavioural": "behavioural",
        "cognitivist science": "cognitive",
        "cognitivist": "cognitive",
        "cognitive": "cognitive",
        "maths / philosophy": "maths-philosophy",
        "maths/philosophy": "maths-philosophy",
        "math / philosophy": "maths-philosophy",
        "maths": "maths-philosophy",
        "philosophy": "maths-philosophy",
        "varies": "",
    }.items(),
    key=lambda item: -len(item[0]),
)


class ParseError(ValueError):
    """A cell that cannot be read; the caller adds the row number and column."""


# --- cells -------------------------------------------------------------------------------------

_FTE = re.compile(r"^(\d+)\s*(?:(\+)|-\s*(\d+))?$")


def parse_fte(text):
    """'10-50' -> (10, 50); '100+' -> (100, None); '30' -> (30, 30); '' -> (None, None)."""
    text = text.strip()
    if not text:
        return None, None
    match = _FTE.match(text)
    if not match:
        raise ParseError(f"cannot read the FTE estimate {text!r} (expected e.g. 10-50, 100+, 30)")
    low = int(match[1])
    if match[2]:
        return low, None
    high = int(match[3]) if match[3] else low
    if high < low:
        raise ParseError(f"the FTE range {text!r} runs backwards")
    return low, high


def parse_target_case(text):
    """The review's target case as one of Agenda.TargetCase's values ('' when not given)."""
    key = text.strip().lower()
    if not key:
        return ""
    if key not in TARGET_CASES:
        known = ", ".join(sorted(TARGET_CASES))
        raise ParseError(f"unknown target case {text.strip()!r} (known: {known})")
    return TARGET_CASES[key]


def parse_approach(text):
    """The first approach named, as one of Agenda.Approach's values ('' when not given).

    Combinations such as 'engineering / cognitive' keep the first; the caller keeps the
    original text so nothing is lost.
    """
    key = " ".join(text.strip().lower().split())
    if not key:
        return ""
    for term, value in APPROACHES:
        if key == term or re.match(rf"{re.escape(term)}\s*/", key):
            return value
    raise ParseError(f"unknown broad approach {text.strip()!r}")


def approach_is_lossy(text):
    """True when mapping the text dropped something ('engineering / cognitive', 'varies')."""
    key = " ".join(text.strip().lower().split())
    return bool(key) and not dict(APPROACHES).get(key)


def parse_problems(text):
    """Problem numbers named in a comma-separated list, in order, matched against known names.

    Names may contain commas themselves ('Fair, sane pivotal processes'), so the list is
    consumed by matching known names at the front rather than by splitting on commas.
    """
    rest = text.strip()
    numbers = []
    by_name = sorted(ORTHODOX_PROBLEMS, key=lambda item: -len(item[1]))
    while rest:
        for number, name in by_name:
            if rest.lower().startswith(name.lower()):
                after = rest[len(name) :]
                if not after.strip() or after.lstrip().startswith(","):
                    if number not in numbers:
                        numbers.append(number)
                    rest = after.lstrip().removeprefix(",").strip()
                    break
        else:
            unknown = rest.split(",")[0].strip()
            raise ParseError(f"unknown orthodox problem {unknown!r}")
    return numbers


# A Markdown link: [text](url), where both may hold backslash escapes and the URL may hold
# one level of balanced parentheses.
_LINK = re.compile(
    r"\[(?P<text>(?:[^\[\]\\]|\\.)+)\]\((?P<url>(?:[^()\s\\]|\\.|\([^()\s]*\))+)\)", re.DOTALL
)
_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Link:
    text: str
    url: str


def markdown_links(text):
    """Every [text](url) link in a cell, unescaped, in order; a link to a web search for an
    address becomes a link to that address."""
    return [
        Link(
            text=_unescape(match["text"]).strip(),
            url=unwrap_search_link(_unescape(match["url"]).strip()),
        )
        for match in _LINK.finditer(text)
    ]


_SEARCH_LINK = re.compile(r"^https?://(?:www\.)?google\.[a-z.]+/search\?q=(https?://[^&\s]+)$")


def unwrap_search_link(url):
    """https://www.google.com/search?q=https://example.org/post -> https://example.org/post
    (the export links one critique through a search for its address)."""
    match = _SEARCH_LINK.match(url)
    return unquote(match[1]) if match else url


def _unescape(text):
    return _ESCAPE.sub(r"\1", text)


_NOT_NAME_WORDS = {
    "a",
    "an",
    "and",
    "are",
    "can",
    "do",
    "does",
    "how",
    "is",
    "no",
    "not",
    "of",
    "on",
    "the",
    "why",
    "what",
}
_NAME_WORD = re.compile(r"^(?:[A-Z][a-zà-öø-ÿ'’]+(?:-[A-Z][a-zà-öø-ÿ'’]+)?|[A-Z]{1,2}\.?)$")


def person_name(link_text):
    """The person a link is credited to, when its text is just a name ('Bellot', 'Joar Skalse
    (2023)', 'Chan et al'); '' for titles, phrases and acronyms."""
    text = re.sub(r"\s*\(\d{4}\)$", "", link_text.strip())
    text = re.sub(r"\s+et al\.?$", "", text)
    words = text.split()
    if not 1 <= len(words) <= 3:
        return ""
    if words[0].isupper() and len(words[0]) > 2:  # acronyms such as STACK or SAIF
        return ""
    if any(word.lower() in _NOT_NAME_WORDS for word in words):
        return ""
    if not all(_NAME_WORD.match(word) for word in words) or len(words[0]) < 3:
        return ""
    return link_text.strip().removesuffix(".").strip()


_ASSUME = re.compile(r"^(?P<maybe>maybe\s+)?assume\s+(?:that\s+)?(?P<clause>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Assumed:
    statement: str
    hedged: bool


def assumption_clauses(theory_of_change):
    """The 'assume ...' clauses of a theory of change, as capitalised statements."""
    text = theory_of_change.strip().strip('"“”').strip()
    found = []
    for sentence in re.split(r"(?<=[.;!?])\s+", text):
        for part in sentence.split(","):
            match = _ASSUME.match(part.strip().rstrip(".;!?").strip())
            if not match:
                continue
            clause = match["clause"].strip()
            statement = truncate_at_word(clause[0].upper() + clause[1:], 300)
            if statement and all(statement != item.statement for item in found):
                found.append(Assumed(statement=statement, hedged=bool(match["maybe"])))
    return found


# --- text helpers ------------------------------------------------------------------------------


def truncate_at_word(text, limit):
    """Text cut to at most `limit` characters at a word boundary, with an ellipsis when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return f"{cut}…"


def short_hash(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def make_slug(text, max_length=80):
    """A slug cut at a hyphen; a hash of the text when nothing ASCII survives."""
    slug = slugify(text)
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or f"item-{short_hash(text)}"


def source_kind(url):
    """Source.Kind for a URL: papers on preprint servers, posts on forums and blogs."""
    host = re.sub(r"^https?://(www\.)?", "", url.lower()).split("/")[0]
    if url.lower().endswith(".pdf") or any(
        host.endswith(domain)
        for domain in ("arxiv.org", "openreview.net", "aclanthology.org", "doi.org", "acm.org")
    ):
        return "paper"
    if any(
        word in host
        for word in ("lesswrong", "alignmentforum", "substack", "medium.com", "blog", "tumblr")
    ):
        return "post"
    return "web"


def parse_year(text):
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 2100:
        raise ParseError(f"{text!r} is not a year")
    return int(text)


def parse_date(text):
    """An ISO date, or None for empty or partial dates such as '2025-03-XX'."""
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None


# --- files -------------------------------------------------------------------------------------


def read_csv(path, required_columns):
    """(row number, row dict) pairs; row numbers count the header as row 1, like a spreadsheet."""
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        missing = [column for column in required_columns if column not in header]
        if missing:
            raise ImportFailed(
                f"{Path(path).name} is not a Shallow Review CSV: missing column(s) "
                + ", ".join(missing)
            )
        rows = []
        for number, row in enumerate(reader, start=2):
            if None in row:
                raise ImportFailed(f"{Path(path).name}, row {number}: more cells than columns")
            rows.append((number, {key: (value or "") for key, value in row.items()}))
    except csv.Error as error:
        raise ImportFailed(f"{Path(path).name} is not a readable CSV file: {error}") from error
    return rows


def read_text(path):
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise ImportFailed(f"{path}: no such file") from error
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read it ({error.strerror})") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            f"{path.name} is not UTF-8 text (undecodable byte at position {error.start})"
        ) from error


def read_taxonomy(path):
    """The sections and sub-sections of taxonomy.yaml (nodes with children; their leaves are
    agendas) as a list of (name, parent name or None), parents first."""
    import yaml

    try:
        document = yaml.safe_load(read_text(path))
    except yaml.YAMLError as error:
        raise ImportFailed(f"{Path(path).name} is not valid YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("taxonomy"), list):
        raise ImportFailed(f"{Path(path).name} has no top-level 'taxonomy' list")
    sections = []
    pending = [(node, None) for node in document["taxonomy"]]
    while pending:
        node, parent = pending.pop(0)
        if not isinstance(node, dict) or not isinstance(node.get("name"), str):
            raise ImportFailed(f"{Path(path).name}: every taxonomy node needs a name")
        children = node.get("children") or []
        if not isinstance(children, list):
            raise ImportFailed(f"{Path(path).name}: children of {node['name']!r} are not a list")
        name = " ".join(node["name"].split())
        if children:
            sections.append((name, parent))
            pending.extend((child, name) for child in children)
    return sections


# --- rows --------------------------------------------------------------------------------------


@dataclass
class AgendaRow:
    number: int
    name: str
    section: str
    sub_section: str
    summary: str
    theory_of_change: str
    problems: list
    target_case: str
    approach: str
    approach_text: str
    people: str
    fte_low: int | None
    fte_high: int | None
    fte_text: str
    critiques: list
    funders: str
    assumptions: list = field(default_factory=list)

    @property
    def is_lab(self):
        return self.section == LABS_SECTION

    @property
    def full_name(self):
        parts = [self.section, self.sub_section, self.name]
        return " / ".join(part for part in parts if part)


def parse_agenda_row(number, row, file_name="agendas.csv"):
    """One CSV row as an AgendaRow; a ParseError names the row and column."""

    def cell(column, parse):
        try:
            return parse(row[column])
        except ParseError as error:
            raise ImportFailed(f"{file_name}, row {number}, column {column!r}: {error}") from error

    name = " ".join(row["name"].split())
    if not name:
        raise ImportFailed(f"{file_name}, row {number}, column 'name': the name is empty")
    if not row["section"].strip():
        raise ImportFailed(f"{file_name}, row {number}, column 'section': the section is empty")
    fte_low, fte_high = cell("estimated_ftes", parse_fte)
    return AgendaRow(
        number=number,
        name=name,
        section=" ".join(row["section"].split()),
        sub_section=" ".join(row["sub_section"].split()),
        summary=" ".join(row["one_sentence_summary"].split()),
        theory_of_change=row["theory_of_change"].strip(),
        problems=cell("orthodox_problems", parse_problems),
        target_case=cell("target_case_text", parse_target_case),
        approach=cell("broad_approach_text", parse_approach),
        approach_text=" ".join(row["broad_approach_text"].split()),
        people=", ".join(
            person.strip() for person in row["some_names"].split(",") if person.strip()
        ),
        fte_low=fte_low,
        fte_high=fte_high,
        fte_text=row["estimated_ftes"].strip(),
        critiques=markdown_links(row["critiques"]),
        funders=row["funded_by"].strip(),
        assumptions=assumption_clauses(row["theory_of_change"]),
    )


@dataclass
class PaperRow:
    number: int
    agenda_full_name: str
    url: str
    title: str
    authors: str
    year: int | None
    published: datetime.date | None


def parse_paper_row(number, row, file_name="papers.csv"):
    try:
        year = parse_year(row["published_year"])
    except ParseError as error:
        raise ImportFailed(
            f"{file_name}, row {number}, column 'published_year': {error}"
        ) from error
    published = parse_date(row.get("date", ""))
    return PaperRow(
        number=number,
        agenda_full_name=" ".join(row["agenda_full_name"].split()),
        url=row["link_url"].strip(),
        title=paper_title(row["link_text"], row["title"]),
        authors=truncate_authors(row["authors"]),
        year=year or (published.year if published else None),
        published=published,
    )


def paper_title(link_text, title):
    """The document's own title as papers.csv records it; the reviewers' link text only when
    no title was found ("Unknown - PDF content not accessible")."""
    link_text = " ".join(link_text.split()).removesuffix(".").strip()
    title = " ".join(title.split())
    if title and not title.lower().startswith("unknown"):
        return truncate_at_word(title, 500)
    return truncate_at_word(link_text, 500)


def truncate_authors(authors, limit=1000):
    authors = " ".join(authors.split())
    if len(authors) <= limit:
        return authors
    kept = authors[: limit - len(", et al.")].rsplit(",", 1)[0]
    return f"{kept}, et al."
