"""Writing the Shallow Review 2025 export into the database.

Rules: everything in one transaction; rows are matched before they are created (agendas by
name, alias or slug; areas by name or alias; sources by URL; critiques by agenda and source),
so a second run creates and changes nothing; existing agendas only get their EMPTY fields
filled, never an editor's text replaced. Everything written is deterministic (fixed dates,
slugs derived from names and URLs), so two databases fed the same files end up identical.

- Areas: the review's sections and sub-sections are matched to our one taxonomy (shipped in
  fixtures/areas.json, with aliases for older names). A section or sub-section the map does
  not know is reported, never created: new agendas under an unknown section are skipped,
  and under an unknown sub-section they go to its section.
- Critiques: a link the review lists against an agenda becomes a *linked* critique, public
  as "linked by the Shallow Review, not yet summarised", with no severity, kind or review
  claimed. Its title, authors and date come from papers.csv when the link is listed there.
- New agendas (ones no fixture or editor has written) keep the review's own words, quoted
  and attributed, until an editor writes them up.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from agendas import changes
from agendas.importers.errors import ImportFailed
from agendas.importers.shallow_review import (
    AGENDA_COLUMNS,
    LABS_SECTION,
    ORTHODOX_PROBLEMS,
    PAPER_COLUMNS,
    REVIEW_DATE,
    approach_is_lossy,
    make_slug,
    parse_agenda_row,
    parse_paper_row,
    person_name,
    read_csv,
    read_taxonomy,
    short_hash,
    source_kind,
    truncate_at_word,
)
from agendas.importers.summary import ImportSummary
from agendas.models import (
    Agenda,
    AgendaAlias,
    Area,
    Assumption,
    AssumptionAlias,
    Critique,
    Organisation,
    Problem,
    Reliance,
    Source,
)

REVIEW_SOURCE = {
    "slug": "shallow-review-2025",
    "title": "Shallow review of technical AI safety, 2025",
    "url": "https://shallowreview.ai",
    "year": 2025,
    "kind": Source.Kind.REPORT,
}
RELIANCE_REASON = "Stated in the agenda's theory of change (Shallow Review 2025)."
ATTRIBUTION = "Shallow Review 2025"


def import_shallow_review(agendas_path, papers_path=None, taxonomy_path=None, progress=None):
    """Read the files, then write them in one transaction. Returns an ImportSummary.

    Raises ImportFailed (nothing written) for a missing or malformed file or row.
    """
    rows = [parse_agenda_row(number, row) for number, row in read_csv(agendas_path, AGENDA_COLUMNS)]
    papers = []
    if papers_path:
        papers = [
            parse_paper_row(number, row) for number, row in read_csv(papers_path, PAPER_COLUMNS)
        ]
    taxonomy = read_taxonomy(taxonomy_path) if taxonomy_path else []
    summary = ImportSummary()
    # One transaction; stored scores and cached pages are brought up to date once, at the end.
    with transaction.atomic(), changes.batch():
        _Import(summary, taxonomy, progress or (lambda done, total: None)).run(rows, papers)
    return summary


class _Import:
    def __init__(self, summary, taxonomy, progress):
        self.summary = summary
        self.taxonomy = taxonomy
        self.progress = progress
        self.is_url = URLValidator(schemes=["http", "https"])
        self.areas = {}
        self.assumptions = {}
        self.agendas_by_full_name = {}
        self.agenda_index = _AgendaIndex()
        self.sources_by_url = {
            source.url: source for source in Source.objects.exclude(url="").only("url", "slug")
        }
        self.source_slugs = set(Source.objects.values_list("slug", flat=True))

    def run(self, rows, papers):
        self.review = self.review_source()
        self.problems = self.ensure_problems()
        self.papers_by_url = {paper.url: paper for paper in papers if paper.url}
        self.report_unknown_sections()
        total = len(rows) + len(papers)
        for done, row in enumerate(rows, start=1):
            if row.is_lab:
                self.import_lab(row)
            else:
                agenda = self.import_agenda(row)
                if agenda is not None:
                    self.agendas_by_full_name[row.full_name.lower()] = agenda
                    self.import_critiques(row, agenda)
                    self.import_assumptions(row, agenda)
            self.progress(done, total)
        for done, paper in enumerate(papers, start=len(rows) + 1):
            self.import_paper(paper)
            self.progress(done, total)

    # --- fixed rows ----------------------------------------------------------------------------

    def review_source(self):
        source = Source.objects.filter(slug=REVIEW_SOURCE["slug"]).first()
        if source:
            self.summary.unchanged("sources")
            return source
        source = Source.objects.create(**REVIEW_SOURCE)
        self.remember_source(source)
        self.summary.created("sources")
        return source

    def ensure_problems(self):
        existing = {problem.number: problem for problem in Problem.objects.all()}
        for number, name in ORTHODOX_PROBLEMS:
            if number in existing:
                self.summary.unchanged("problems")
                continue
            existing[number] = self.create(
                Problem(number=number, name=name, slug=make_slug(name)), f"problem {number}"
            )
            self.summary.created("problems")
        return existing

    # --- areas and organisations ---------------------------------------------------------------

    def area(self, row):
        """The area of our map a row belongs in, or None (reported) when its section is not on
        the map. An unknown sub-section files the row under its section."""
        section = self.area_named(row.section)
        if section is None:
            self.summary.skipped("areas", f"section {row.section!r} is not on our map")
            return None
        if not row.sub_section:
            return section
        sub_section = self.area_named(row.sub_section)
        if sub_section is None or sub_section.parent_id != section.pk:
            self.summary.skipped(
                "areas",
                f"sub-section {row.sub_section!r} is not on our map: filed under its section",
            )
            return section
        return sub_section

    def area_named(self, name):
        key = name.lower()
        if key not in self.areas:
            self.areas[key] = Area.objects.named(name)
            if self.areas[key] is not None:
                self.summary.unchanged("areas")
        return self.areas[key]

    def report_unknown_sections(self):
        """Sections and sub-sections of taxonomy.yaml that our map does not know."""
        for name, parent in self.taxonomy:
            if LABS_SECTION.lower() in (name.lower(), (parent or "").lower()):
                continue
            if self.area_named(name) is None:
                kind = "sub-section" if parent else "section"
                self.summary.skipped("taxonomy", f"{kind} {name!r} is not on our map")

    def import_lab(self, row):
        organisation = (
            Organisation.objects.filter(name__iexact=row.name).first()
            or Organisation.objects.filter(slug=make_slug(row.name)).first()
        )
        if organisation is None:
            self.create(
                Organisation(name=row.name, slug=make_slug(row.name), kind=Organisation.Kind.LAB),
                f"agendas.csv, row {row.number}",
            )
            self.summary.created("organisations")
        else:
            self.summary.unchanged("organisations")
        for _link in row.critiques:
            self.summary.skipped("critiques", "of a lab (only agendas take critiques)")

    # --- agendas -------------------------------------------------------------------------------

    def import_agenda(self, row):
        values = self.agenda_values(row)
        agenda = self.agenda_index.find(row.name)
        area = self.area(row)
        if approach_is_lossy(row.approach_text):
            self.summary.skipped(
                "approach texts", "with several approaches: only the first was kept"
            )
        if agenda is None:
            if not row.summary:
                raise ImportFailed(
                    f"agendas.csv, row {row.number}, column 'one_sentence_summary': "
                    "an agenda needs a summary"
                )
            if area is None:
                self.summary.skipped("agendas", "in a section that is not on our map")
                return None
            agenda = Agenda(
                name=row.name[:200],
                slug=self.agenda_slug(row.name),
                area=area,
                **values,
                **self.quoted_text(row),
            )
            self.create(agenda, f"agendas.csv, row {row.number}")
            self.agenda_index.add(agenda)
            self.summary.created("agendas")
        else:
            changed = self.fill_empty(agenda, values)
            if changed:
                agenda.save(update_fields=[*changed, "updated"])
                self.summary.updated("agendas")
            else:
                self.summary.unchanged("agendas")
        self.link_problems(agenda, row)
        return agenda

    def quoted_text(self, row):
        """A new agenda's text: the review's own words, quoted and attributed, until an editor
        writes it up in ours."""
        suffix = f"” ({ATTRIBUTION})"
        summary = "“" + truncate_at_word(row.summary, 400 - len(suffix) - 1) + suffix
        theory = row.theory_of_change.strip().strip('"“”').strip()
        quoted = "\n".join(f"> {line}" if line else ">" for line in theory.splitlines())
        return {
            "summary": summary,
            "theory_of_change": f"{quoted}\n\n— {ATTRIBUTION}" if theory else "",
        }

    def agenda_values(self, row):
        """Facts an existing agenda may lack: filled in only where its field is empty."""
        values = {
            "broad_approach": row.approach,
            "target_case": row.target_case,
            "people": row.people,
            "people_as_of": REVIEW_DATE if row.people else None,
            "people_source": self.review if row.people else None,
            "funders": f"As reported by the {ATTRIBUTION}: {row.funders}" if row.funders else "",
            "status_as_of": REVIEW_DATE,
            "status_source": self.review,
        }
        if row.fte_text:
            values.update(
                fte_low=row.fte_low,
                fte_high=row.fte_high,
                fte_text=row.fte_text[:100],
                fte_source=self.review,
                fte_date=REVIEW_DATE,
            )
        return values

    # Fields that make one dated claim together: filled all at once, and only when the agenda
    # has none of that claim yet.
    GROUPS = {
        "fte_text": ("fte_low", "fte_high", "fte_text", "fte_source", "fte_date"),
        "people": ("people", "people_as_of", "people_source"),
        "status_source": ("status_as_of", "status_source"),
    }

    def fill_empty(self, agenda, values):
        """Set the fields that are empty on the agenda; returns their names."""
        changed = []
        grouped = {field for fields in self.GROUPS.values() for field in fields}
        for field, value in values.items():
            if field not in grouped and value and not getattr(agenda, field):
                setattr(agenda, field, value)
                changed.append(field)
        for key, fields in self.GROUPS.items():
            if values.get(key) and not any(_has(agenda, field) for field in fields[:-1]):
                for field in fields:
                    setattr(agenda, field, values[field])
                changed.extend(fields)
        return changed

    def agenda_slug(self, name):
        slug = agenda_slug(name)
        if self.agenda_index.slug_taken(slug):
            slug = f"{slug}-{short_hash(name)}"
        return slug

    def link_problems(self, agenda, row):
        linked = set(agenda.problems.values_list("number", flat=True))
        missing = [self.problems[number] for number in row.problems if number not in linked]
        if missing:
            agenda.problems.add(*missing)
        for number in row.problems:
            if number in linked:
                self.summary.unchanged("problem links")
            else:
                self.summary.created("problem links")

    # --- critiques -----------------------------------------------------------------------------

    def import_critiques(self, row, agenda):
        critiqued = set(agenda.critiques.exclude(source=None).values_list("source__url", flat=True))
        seen = set()
        for link in row.critiques:
            if link.url in seen:
                self.summary.skipped("critiques", "same link twice for one agenda")
                continue
            seen.add(link.url)
            if not self.valid_url(link.url):
                self.summary.skipped("critiques", "link without a valid URL")
                continue
            if link.url in critiqued:
                self.summary.unchanged("critiques")
                continue
            critique = self.linked_critique(agenda, link)
            self.create(critique, f"agendas.csv, row {row.number}, column 'critiques'")
            self.summary.created("critiques")

    def linked_critique(self, agenda, link):
        """A critique the review links to and no editor has read: what it is called, who wrote
        it and when come from papers.csv when the link is listed there; nothing is assessed."""
        paper = self.papers_by_url.get(link.url)
        name = person_name(link.text)
        authors = (paper.authors if paper else "") or name
        if paper and paper.title:
            title = paper.title
        else:
            title = f"Critique by {name}" if name else link.text
        source = self.source_for(
            link.url,
            title=paper.title if paper and paper.title else link.text,
            authors=authors,
            year=paper.year if paper else None,
            published=paper.published if paper else None,
        )
        return Critique(
            agenda=agenda,
            title=truncate_at_word(title, 300),
            slug=self.critique_slug(agenda, link),
            author=truncate_at_word(authors, 300),
            source=source,
            status=Critique.Status.LINKED,
        )

    def critique_slug(self, agenda, link):
        slug = f"{agenda.slug[:120]}-{make_slug(link.text, 60)}"
        if Critique.objects.filter(slug=slug).exists():
            slug = f"{slug}-{short_hash(link.url)}"
        return slug

    # --- assumptions ---------------------------------------------------------------------------

    def import_assumptions(self, row, agenda):
        relied_on = set(agenda.reliances.values_list("assumption__slug", flat=True))
        for assumed in row.assumptions:
            assumption = self.assumption(assumed.statement)
            if assumption.slug in relied_on:
                self.summary.unchanged("reliances")
                continue
            load = Reliance.Load.MINOR if assumed.hedged else Reliance.Load.SIGNIFICANT
            self.create(
                Reliance(
                    agenda=agenda,
                    assumption=assumption,
                    load=load,
                    reason=RELIANCE_REASON,
                    source=self.review,
                ),
                f"agendas.csv, row {row.number}, column 'theory_of_change'",
            )
            relied_on.add(assumption.slug)
            self.summary.created("reliances")

    def assumption(self, statement):
        slug = make_slug(statement, 200)
        if slug not in self.assumptions:
            assumption = (
                Assumption.objects.filter(slug=slug).first()
                or Assumption.objects.filter(statement__iexact=statement).first()
                or self.aliased_assumption(statement)
            )
            if assumption is None:
                assumption = self.create(
                    Assumption(statement=statement, slug=slug), f"assumption {statement!r}"
                )
                self.summary.created("assumptions")
            else:
                self.summary.unchanged("assumptions")
            self.assumptions[slug] = assumption
        return self.assumptions[slug]

    def aliased_assumption(self, statement):
        """The shipped assumption one of whose aliases is this statement or its first words."""
        words = statement.lower().split()
        for alias in AssumptionAlias.objects.select_related("assumption"):
            alias_words = alias.name.lower().split()
            if words[: len(alias_words)] == alias_words:
                return alias.assumption
        return None

    # --- outputs -------------------------------------------------------------------------------

    def import_paper(self, paper):
        if paper.agenda_full_name.split(" / ")[0] == LABS_SECTION:
            self.summary.skipped("outputs", "of a lab (only agendas list outputs)")
            return
        agenda = self.agendas_by_full_name.get(paper.agenda_full_name.lower())
        if agenda is None:
            self.summary.skipped("outputs", "for an agenda not in agendas.csv")
            return
        if not paper.url:
            self.summary.skipped("outputs", "without a URL")
            return
        if not self.valid_url(paper.url):
            self.summary.skipped("outputs", "with an invalid URL")
            return
        source = self.source_for(
            paper.url,
            title=paper.title or paper.url,
            authors=paper.authors,
            year=paper.year,
            published=paper.published,
        )
        if agenda.sources.filter(pk=source.pk).exists():
            self.summary.unchanged("outputs")
        else:
            agenda.sources.add(source)
            self.summary.created("outputs")

    def source_for(self, url, title, authors="", year=None, published=None):
        """The Source with this URL, created from what the review says when there is none."""
        if url in self.sources_by_url:
            return self.sources_by_url[url]
        slug = make_slug(title)
        if slug in self.source_slugs:
            slug = f"{slug[:70]}-{short_hash(url)}"
        source = self.create(
            Source(
                slug=slug,
                title=truncate_at_word(title, 500),
                url=url,
                authors=authors,
                year=year,
                published=published,
                kind=source_kind(url),
            ),
            f"source {url}",
        )
        self.remember_source(source)
        self.summary.created("sources")
        return source

    def remember_source(self, source):
        if source.url:
            self.sources_by_url[source.url] = source
        self.source_slugs.add(source.slug)

    # --- helpers -------------------------------------------------------------------------------

    def valid_url(self, url):
        if len(url) > 1000:
            return False
        try:
            self.is_url(url)
        except ValidationError:
            return False
        return True

    def create(self, instance, where):
        """Validate like the admin would, then save; a failure names where the row came from."""
        try:
            instance.full_clean()
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise ImportFailed(f"{where}: {problems}") from error
        instance.save()
        return instance


def agenda_slug(name):
    return make_slug(name, 190)


def _has(agenda, field):
    """Whether the agenda already makes this part of a claim (status_as_of always has a value,
    so the status claim counts as made once it has a source)."""
    if field == "status_as_of":
        return agenda.status_source_id is not None
    return getattr(agenda, field) not in ("", None)


class _AgendaIndex:
    """Existing agendas by lower-cased name, alias and slug, kept current as agendas are added."""

    def __init__(self):
        self.by_name = {}
        self.by_slug = {}
        for agenda in Agenda.objects.all():
            self.add(agenda)
        self.by_alias = {
            alias.name.lower(): alias.agenda
            for alias in AgendaAlias.objects.select_related("agenda")
        }

    def add(self, agenda):
        self.by_name.setdefault(agenda.name.lower(), agenda)
        self.by_slug[agenda.slug] = agenda

    def find(self, name):
        key = name.lower()
        return (
            self.by_name.get(key) or self.by_alias.get(key) or self.by_slug.get(agenda_slug(name))
        )

    def slug_taken(self, slug):
        return slug in self.by_slug
