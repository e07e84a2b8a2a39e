"""Reading our own JSON export (agendas/exporting.py, docs/data-format.md) back in.

Rows are matched by natural key: a row that is missing is created (validated like the admin
would), a row that is already here is kept as it is, and agendas only gain the links they
lack. Everything happens in one transaction: any bad record stops the import with a message
naming the section, the record and the field, and nothing is written.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from agendas.exporting import FORMAT, VERSION
from agendas.importers.errors import ImportFailed
from agendas.importers.shallow_review import read_text
from agendas.importers.summary import ImportSummary
from agendas.models import (
    Agenda,
    AgendaAlias,
    Area,
    Assessor,
    Assumption,
    AssumptionAlias,
    Criterion,
    Critique,
    Figure,
    Organisation,
    Problem,
    Rating,
    Reliance,
    Source,
)


@dataclass(frozen=True)
class Kind:
    section: str
    model: type
    key: tuple
    fields: tuple
    refs: dict = field(default_factory=dict)
    # Values a field may take in an export (only public critiques are ever exported).
    allowed: dict = field(default_factory=dict)


# In dependency order. Self-references (area and agenda parents) are set in a second pass.
KINDS = [
    Kind("problems", Problem, ("number",), ("name", "slug", "description")),
    Kind(
        "sources",
        Source,
        ("slug",),
        ("title", "url", "authors", "year", "published", "kind", "note"),
    ),
    Kind("areas", Area, ("slug",), ("name", "description", "order")),
    Kind(
        "criteria",
        Criterion,
        ("slug",),
        ("name", "question", *(f"guidance_{score}" for score in range(1, 6)), "weight", "order"),
    ),
    Kind(
        "organisations",
        Organisation,
        ("slug",),
        ("name", "kind", "url", "description", "as_of"),
        {"source": Source},
    ),
    Kind(
        "assessors",
        Assessor,
        ("slug",),
        ("name", "kind", "viewpoint", "mapping_rule", "caveats"),
        {"source": Source},
    ),
    Kind("assumptions", Assumption, ("slug",), ("statement", "description"), {"source": Source}),
    Kind(
        "agendas",
        Agenda,
        ("slug",),
        (
            "name",
            "summary",
            "description",
            "theory_of_change",
            "broad_approach",
            "target_case",
            "supervision",
            "status",
            "status_as_of",
            "people",
            "people_as_of",
            "funders",
            "fte_low",
            "fte_high",
            "fte_text",
            "fte_date",
            "critiques_searched",
        ),
        {
            "area": Area,
            "fte_source": Source,
            "status_source": Source,
            "people_source": Source,
        },
    ),
    Kind(
        "reliances",
        Reliance,
        ("agenda", "assumption"),
        ("load", "reason"),
        {"agenda": Agenda, "assumption": Assumption, "source": Source},
    ),
    Kind(
        "critiques",
        Critique,
        ("slug",),
        (
            "title",
            "body",
            "kind",
            "severity",
            "severity_confidence",
            "voice",
            "basis",
            "author",
            "response",
            "status",
            "reviewed_at",
        ),
        {
            "agenda": Agenda,
            "assumption": Assumption,
            "source": Source,
            "response_source": Source,
            "basis_source": Source,
        },
        allowed={"status": (Critique.Status.PUBLISHED, Critique.Status.LINKED)},
    ),
    Kind(
        "ratings",
        Rating,
        ("agenda", "criterion", "assessor"),
        ("score", "confidence", "rationale", "date"),
        {"agenda": Agenda, "criterion": Criterion, "assessor": Assessor, "source": Source},
    ),
    Kind(
        "figures",
        Figure,
        ("slug",),
        (
            "label",
            "kind",
            "value_low",
            "value_high",
            "unit",
            "as_of",
            "note",
            "dispute",
            "order",
        ),
        {"organisation": Organisation, "source": Source},
    ),
]
PARENTS = {"areas": Area, "agendas": Agenda}
AGENDA_LINKS = {"problems": Problem, "organisations": Organisation, "sources": Source}


def import_agendas_json(path, progress=None):
    """Import the export at `path` in one transaction. Returns an ImportSummary."""
    document = read_document(path)
    summary = ImportSummary()
    with transaction.atomic():
        _JsonImport(document, summary, progress or (lambda done, total: None)).run()
    return summary


def read_document(path):
    name = Path(path).name
    try:
        document = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise ImportFailed(
            f"{name} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFailed(f'{name} is not an Alignment Agendas export (no "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise ImportFailed(
            f"{name} is format version {document.get('version')!r}; this site reads version "
            f"{VERSION}"
        )
    for kind in KINDS:
        records = document.setdefault(kind.section, [])
        if not isinstance(records, list) or not all(isinstance(row, dict) for row in records):
            raise ImportFailed(f"{name}: {kind.section!r} must be a list of objects")
    return document


class _JsonImport:
    def __init__(self, document, summary, progress):
        self.document = document
        self.summary = summary
        self.progress = progress
        self.done = 0
        self.total = sum(len(document[kind.section]) for kind in KINDS)
        self.cache = {}

    def run(self):
        for kind in KINDS:
            created = {}
            for index, record in enumerate(self.document[kind.section]):
                where = f"{kind.section}[{index}]"
                instance, is_new = self.import_record(kind, record, where)
                if is_new:
                    created[index] = instance
                self.done += 1
                self.progress(self.done, self.total)
            if kind.section in PARENTS:
                self.set_parents(kind, created)
            if kind.section == "agendas":
                for index, record in enumerate(self.document["agendas"]):
                    self.link_agenda(record, f"agendas[{index}]")
            if kind.section == "assumptions":
                for index, record in enumerate(self.document["assumptions"]):
                    where = f"assumptions[{index}]"
                    assumption = self.ref(Assumption, record.get("slug"), where, "slug")
                    self.add_aliases(AssumptionAlias, assumption, record, where)

    def import_record(self, kind, record, where):
        lookup = {}
        for name in kind.key:
            value = self.value(record, name, where, required=True)
            lookup[name] = (
                self.ref(kind.refs[name], value, where, name) if name in kind.refs else value
            )
        where = f"{where} ({', '.join(str(value) for value in self.key_text(record, kind))})"
        existing = kind.model.objects.filter(**lookup).first()
        if existing:
            self.remember(existing)
            self.summary.unchanged(kind.section)
            return existing, False
        values = {}
        for name in kind.fields:
            if name in record:
                values[name] = record[name]
        for name, allowed in kind.allowed.items():
            if values.get(name) not in allowed:
                raise ImportFailed(
                    f"{where}: {name} must be one of {', '.join(allowed)}, not {values.get(name)!r}"
                )
        for name, model in kind.refs.items():
            if name in record:
                values[name] = self.ref(model, record[name], where, name)
        values.update(lookup)
        instance = self.create(kind.model(**values), where)
        self.summary.created(kind.section)
        return instance, True

    def set_parents(self, kind, created):
        model = PARENTS[kind.section]
        for index, instance in created.items():
            record = self.document[kind.section][index]
            parent_slug = record.get("parent")
            if parent_slug:
                where = f"{kind.section}[{index}] ({record['slug']})"
                instance.parent = self.ref(model, parent_slug, where, "parent")
                self.validate(instance, where)
                instance.save(update_fields=["parent"])

    def link_agenda(self, record, where):
        agenda = self.ref(Agenda, record["slug"], where, "slug")
        for name, model in AGENDA_LINKS.items():
            wanted = [
                self.ref(model, key, where, name) for key in self.list_value(record, name, where)
            ]
            have = set(getattr(agenda, name).values_list("pk", flat=True))
            missing = [item for item in wanted if item.pk not in have]
            if missing:
                getattr(agenda, name).add(*missing)
            self.count_links("agenda links", len(wanted), len(missing))
        tags = [str(tag) for tag in self.list_value(record, "tags", where)]
        have = {tag.lower() for tag in agenda.tags.names()}
        missing = [tag for tag in tags if tag.lower() not in have]
        if missing:
            agenda.tags.add(*missing)
        self.count_links("agenda tags", len(tags), len(missing))
        self.add_aliases(AgendaAlias, agenda, record, where)

    def add_aliases(self, model, owner, record, where):
        """The record's other names for `owner` that no row of `model` holds yet."""
        for name in self.list_value(record, "aliases", where):
            alias = model.objects.filter(name__iexact=name).first()
            if alias is None:
                self.create(model(name=name, **{model.target: owner}), f"{where}, alias {name!r}")
                self.summary.created("aliases")
            elif getattr(alias, f"{model.target}_id") == owner.pk:
                self.summary.unchanged("aliases")
            else:
                self.summary.skipped("aliases", f"already naming another {model.target}")

    def count_links(self, kind, wanted, added):
        for _ in range(added):
            self.summary.created(kind)
        for _ in range(wanted - added):
            self.summary.unchanged(kind)

    # --- values and references -----------------------------------------------------------------

    def value(self, record, name, where, required=False):
        if name not in record or (required and record[name] in (None, "")):
            raise ImportFailed(f"{where}: missing field {name!r}")
        return record[name]

    def list_value(self, record, name, where):
        value = record.get(name, [])
        if not isinstance(value, list):
            raise ImportFailed(f"{where}: {name!r} must be a list")
        return value

    def key_text(self, record, kind):
        return [record.get(name) for name in kind.key]

    def ref(self, model, key, where, name):
        """The row a natural key names (a slug, or a problem's number); None for null."""
        if key is None:
            return None
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise ImportFailed(f"{where}: {name!r} must be a slug, not {key!r}")
        cache = self.cache.setdefault(model, {})
        if key not in cache:
            field_name = "number" if model is Problem else "slug"
            try:
                cache[key] = model.objects.get(**{field_name: key})
            except (model.DoesNotExist, ValueError, TypeError):
                raise ImportFailed(
                    f"{where}: {name} {key!r} is neither in the file nor in the database"
                ) from None
        return cache[key]

    def remember(self, instance):
        key = instance.number if isinstance(instance, Problem) else getattr(instance, "slug", None)
        if key is not None:
            self.cache.setdefault(type(instance), {})[key] = instance

    def create(self, instance, where):
        self.validate(instance, where)
        instance.save()
        self.remember(instance)
        return instance

    def validate(self, instance, where):
        try:
            instance.full_clean()
        except ValidationError as error:
            problems = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
            raise ImportFailed(f"{where}: {problems}") from error
