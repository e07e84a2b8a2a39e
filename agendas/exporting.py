"""The public data as one JSON document, and one CSV row per agenda (docs/data-format.md).

Rows name each other by natural key (slugs; problems by number), never by database id, and
every list is sorted in Python, so the same content gives byte-identical output on SQLite
and PostgreSQL and after an export -> import -> export round trip. Timestamps that only
record when a row was saved (created, updated) and user accounts are left out; so are
critiques that are not published, and sources that only such critiques cite.

Scores are exported as stored (agendas/scoring.py): each agenda's overall score, its
confidence and disagreement, and its mean on each criterion. They are derived from the
ratings, so the importer ignores them and recomputes its own.
"""

import csv
import io
import json
from collections import defaultdict

from agendas.models import (
    Agenda,
    AgendaAlias,
    Area,
    Assessor,
    Assumption,
    AssumptionAlias,
    Criterion,
    CriterionScore,
    Critique,
    Figure,
    Organisation,
    Problem,
    Rating,
    Reliance,
    Source,
    TaggedAgenda,
)
from agendas.scoring import format_score

FORMAT = "alignment-agendas"
VERSION = 3


def export_document(slugs=None):
    """Everything public as a dict of sorted lists, in a fixed number of queries.

    With `slugs`, only those agendas and what they need (a page's JSON twin): their
    reliances, critiques, ratings and organisations, the assumptions, figures and sources
    these name, and the whole of the small reference tables (problems, areas, criteria,
    assessors). The document has the same schema either way."""
    scope = Scope(slugs)
    agendas = _agendas(scope)
    critiques = _rows(
        scope.of(Critique.objects.public()),
        "slug",
        agenda="agenda__slug",
        assumption="assumption__slug",
        title="title",
        body="body",
        kind="kind",
        severity="severity",
        severity_confidence="severity_confidence",
        voice="voice",
        basis="basis",
        basis_source="basis_source__slug",
        author="author",
        source="source__slug",
        response="response",
        response_source="response_source__slug",
        status="status",
        reviewed_at="reviewed_at",
    )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "problems": sorted(
            Problem.objects.values("number", "name", "slug", "description"),
            key=lambda row: row["number"],
        ),
        "areas": _rows(
            Area.objects,
            "slug",
            name="name",
            description="description",
            parent="parent__slug",
            order="order",
        ),
        "organisations": _rows(
            scope.of(Organisation.objects, "agendas__slug").distinct(),
            "slug",
            name="name",
            kind="kind",
            url="url",
            description="description",
            as_of="as_of",
            source="source__slug",
        ),
        "sources": _rows(
            Source.objects.public(),
            "slug",
            title="title",
            url="url",
            authors="authors",
            year="year",
            published="published",
            kind="kind",
            note="note",
        ),
        "criteria": _rows(
            Criterion.objects,
            "slug",
            name="name",
            question="question",
            guidance_1="guidance_1",
            guidance_2="guidance_2",
            guidance_3="guidance_3",
            guidance_4="guidance_4",
            guidance_5="guidance_5",
            weight="weight",
            order="order",
        ),
        "assessors": _rows(
            Assessor.objects,
            "slug",
            name="name",
            kind="kind",
            viewpoint="viewpoint",
            mapping_rule="mapping_rule",
            caveats="caveats",
            source="source__slug",
        ),
        "assumptions": _assumptions(),
        "agendas": agendas,
        "reliances": _rows(
            scope.of(Reliance.objects),
            ("agenda", "assumption"),
            agenda="agenda__slug",
            assumption="assumption__slug",
            load="load",
            reason="reason",
            source="source__slug",
        ),
        "critiques": critiques,
        "ratings": _rows(
            scope.of(Rating.objects),
            ("agenda", "criterion", "assessor"),
            agenda="agenda__slug",
            criterion="criterion__slug",
            assessor="assessor__slug",
            score="score",
            confidence="confidence",
            rationale="rationale",
            source="source__slug",
            date="date",
        ),
        "figures": _rows(
            scope.of(Figure.objects, "organisation__agendas__slug").distinct(),
            "slug",
            label="label",
            kind="kind",
            organisation="organisation__slug",
            value_low="value_low",
            value_high="value_high",
            unit="unit",
            as_of="as_of",
            source="source__slug",
            note="note",
            dispute="dispute",
            order="order",
        ),
    }
    if scope.slugs is not None:
        named = {row["assumption"] for row in document["reliances"]}
        named.update(row["assumption"] for row in critiques if row["assumption"])
        document["assumptions"] = [row for row in document["assumptions"] if row["slug"] in named]
    return _without_draft_sources(document, only_used=scope.slugs is not None)


class Scope:
    """The agendas an export covers: every one (slugs None) or those named."""

    def __init__(self, slugs=None):
        self.slugs = None if slugs is None else sorted(set(slugs))

    def of(self, queryset, lookup="agenda__slug"):
        if self.slugs is None:
            return queryset
        return queryset.filter(**{f"{lookup}__in": self.slugs})


def export_json():
    document = export_document()
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"


CSV_COLUMNS = [
    "slug",
    "name",
    "area",
    "parent",
    "summary",
    "broad_approach",
    "target_case",
    "supervision",
    "status",
    "problems",
    "organisations",
    "tags",
    "people",
    "fte_low",
    "fte_high",
    "fte_text",
    "fte_date",
    "sources",
    "assumptions",
    "published_critiques",
    "linked_critiques",
    "ratings",
    "overall_score",
    "score_confidence",
]
MEAN_PREFIX = "mean_"  # then a criterion's slug: one column per criterion, in rubric order


def csv_columns(criteria):
    """The CSV's columns: CSV_COLUMNS, then the agenda's mean on each criterion."""
    return CSV_COLUMNS + [MEAN_PREFIX + criterion["slug"] for criterion in criteria]


def export_csv():
    """One row per agenda: its main fields, lists joined with '; ', and counts and scores."""
    document = export_document()
    ratings = _count(document["ratings"])
    criteria = sorted(document["criteria"], key=lambda row: (row["order"], row["name"]))
    columns = csv_columns(criteria)
    reliances = _count(document["reliances"])
    critiques = _count(row for row in document["critiques"] if row["status"] == "published")
    linked = _count(row for row in document["critiques"] if row["status"] == "linked")
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(columns)
    for agenda in document["agendas"]:
        means = {
            MEAN_PREFIX + slug: _two_places(score["mean"])
            for slug, score in agenda["criterion_scores"].items()
        }
        row = {
            **agenda,
            "problems": "; ".join(str(number) for number in agenda["problems"]),
            "organisations": "; ".join(agenda["organisations"]),
            "tags": "; ".join(agenda["tags"]),
            "sources": len(agenda["sources"]),
            "assumptions": reliances[agenda["slug"]],
            "published_critiques": critiques[agenda["slug"]],
            "linked_critiques": linked[agenda["slug"]],
            "ratings": ratings[agenda["slug"]],
            "overall_score": _two_places(agenda["overall_score"]),
            **means,
        }
        writer.writerow([_spreadsheet_safe(row.get(column)) for column in columns])
    return output.getvalue()


def _agendas(scope):
    problems = _related(
        scope.of(Agenda.problems.through.objects), "agenda__slug", "problem__number"
    )
    organisations = _related(
        scope.of(Agenda.organisations.through.objects), "agenda__slug", "organisation__slug"
    )
    sources = _related(scope.of(Agenda.sources.through.objects), "agenda__slug", "source__slug")
    tags = _related(
        scope.of(TaggedAgenda.objects, "content_object__slug"), "content_object__slug", "tag__name"
    )
    aliases = _related(scope.of(AgendaAlias.objects), "agenda__slug", "name")
    rows = _rows(
        scope.of(Agenda.objects, "slug"),
        "slug",
        name="name",
        summary="summary",
        description="description",
        theory_of_change="theory_of_change",
        area="area__slug",
        parent="parent__slug",
        broad_approach="broad_approach",
        target_case="target_case",
        supervision="supervision",
        status="status",
        status_as_of="status_as_of",
        status_source="status_source__slug",
        people="people",
        people_as_of="people_as_of",
        people_source="people_source__slug",
        funders="funders",
        fte_low="fte_low",
        fte_high="fte_high",
        fte_text="fte_text",
        fte_source="fte_source__slug",
        fte_date="fte_date",
        critiques_searched="critiques_searched",
        overall_score="overall_score",
        score_confidence="score_confidence",
        disagreement="disagreement",
    )
    scores = defaultdict(dict)
    for score in (
        scope.of(CriterionScore.objects)
        .order_by()
        .values("agenda__slug", "criterion__slug", "mean", "spread", "rating_count", "confidence")
    ):
        scores[score.pop("agenda__slug")][score.pop("criterion__slug")] = score
    for row in rows:
        slug = row["slug"]
        row["criterion_scores"] = dict(sorted(scores[slug].items()))
        row["problems"] = problems[slug]
        row["organisations"] = organisations[slug]
        row["sources"] = sources[slug]
        row["tags"] = tags[slug]
        row["aliases"] = aliases[slug]
    return rows


def _assumptions():
    aliases = _related(AssumptionAlias.objects, "assumption__slug", "name")
    rows = _rows(
        Assumption.objects,
        "slug",
        statement="statement",
        description="description",
        source="source__slug",
    )
    for row in rows:
        row["aliases"] = aliases[row["slug"]]
    return rows


def _rows(queryset, key, **fields):
    """values() rows renamed to export names, dates as ISO text, sorted by the natural key."""
    if key == "slug":
        fields = {"slug": "slug", **fields}
    rows = [
        {name: _plain(row[lookup]) for name, lookup in fields.items()}
        for row in queryset.order_by().values(*fields.values())
    ]
    if isinstance(key, tuple):
        return sorted(rows, key=lambda row: tuple(row[part] for part in key))
    return sorted(rows, key=lambda row: row[key])


def _related(queryset, owner, value):
    """{owner slug: sorted list of related natural keys} from one through-table query."""
    related = defaultdict(list)
    for owner_key, value_key in queryset.order_by().values_list(owner, value):
        related[owner_key].append(value_key)
    return defaultdict(list, {key: sorted(values) for key, values in related.items()})


def _without_draft_sources(document, only_used=False):
    """Drop sources that only unpublished critiques cite: they would reveal the drafts.
    With `only_used`, keep only the sources some row of the document names."""
    draft_cited = set()
    for pair in Critique.objects.exclude(status__in=["published", "linked"]).values_list(
        "source__slug", "response_source__slug", "basis_source__slug"
    ):
        draft_cited.update(slug for slug in pair if slug)
    used = {
        agenda[field]
        for agenda in document["agendas"]
        for field in ("fte_source", "status_source", "people_source")
    }
    used.update(slug for agenda in document["agendas"] for slug in agenda["sources"])
    for kind, fields in (
        ("critiques", ("source", "response_source", "basis_source")),
        ("reliances", ("source",)),
        ("ratings", ("source",)),
        ("assessors", ("source",)),
        ("assumptions", ("source",)),
        ("organisations", ("source",)),
        ("figures", ("source",)),
    ):
        used.update(row[field] for row in document[kind] for field in fields)
    hidden = draft_cited - used
    document["sources"] = [
        row
        for row in document["sources"]
        if row["slug"] not in hidden and (not only_used or row["slug"] in used)
    ]
    return document


def _count(rows):
    counts = defaultdict(int)
    for row in rows:
        counts[row["agenda"]] += 1
    return counts


def _two_places(value):
    return format_score(value, empty="")


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    # The characters OWASP lists: a leading tab or carriage return also starts a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"
    return "" if value is None else value
