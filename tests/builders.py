"""Small builders for test data. Each fills required fields and takes overrides.

Tests build what they need with these; the shipped fixtures are only tested for loading.
"""

import datetime
import itertools

from django.utils import timezone

from agendas.models import (
    Agenda,
    AgendaAlias,
    Area,
    Assessor,
    Assumption,
    Criterion,
    Critique,
    Figure,
    Organisation,
    Problem,
    Rating,
    Reliance,
    Source,
    Suggestion,
)

_counter = itertools.count(1)


def _n():
    return next(_counter)


def make_area(**fields):
    n = _n()
    fields.setdefault("name", f"Area {n}")
    fields.setdefault("slug", f"area-{n}")
    return Area.objects.create(**fields)


def make_source(**fields):
    n = _n()
    fields.setdefault("title", f"Source {n}")
    fields.setdefault("slug", f"source-{n}")
    fields.setdefault("url", f"https://example.org/source-{n}")
    fields.setdefault("year", 2023)
    return Source.objects.create(**fields)


def make_organisation(**fields):
    n = _n()
    fields.setdefault("name", f"Organisation {n}")
    fields.setdefault("slug", f"organisation-{n}")
    if fields.get("description"):
        fields.setdefault("as_of", datetime.date(2025, 12, 16))
    return Organisation.objects.create(**fields)


def make_problem(number=None, **fields):
    number = number or (Problem.objects.count() + 1)
    fields.setdefault("name", f"Problem {number}")
    fields.setdefault("slug", f"problem-{number}")
    return Problem.objects.create(number=number, **fields)


def make_agenda(**fields):
    n = _n()
    fields.setdefault("name", f"Agenda {n}")
    fields.setdefault("slug", f"agenda-{n}")
    fields.setdefault("summary", f"What agenda {n} does.")
    if "area" not in fields:
        fields["area"] = make_area()
    fields.setdefault("broad_approach", Agenda.Approach.ENGINEERING)
    fields.setdefault("target_case", Agenda.TargetCase.AVERAGE)
    fields.setdefault("supervision", Agenda.Supervision.RELIES)
    if fields.get("people"):
        fields.setdefault("people_as_of", datetime.date(2025, 12, 16))
    return Agenda.objects.create(**fields)


def make_assumption(**fields):
    n = _n()
    fields.setdefault("statement", f"Assumption {n} holds")
    fields.setdefault("slug", f"assumption-{n}")
    return Assumption.objects.create(**fields)


def make_reliance(agenda=None, assumption=None, **fields):
    fields.setdefault("load", Reliance.Load.CRITICAL)
    fields.setdefault("reason", "Without it the method has nothing to stand on.")
    return Reliance.objects.create(
        agenda=agenda or make_agenda(), assumption=assumption or make_assumption(), **fields
    )


def make_critique(agenda=None, status=Critique.Status.PUBLISHED, **fields):
    n = _n()
    fields.setdefault("title", f"Critique {n}")
    fields.setdefault("slug", f"critique-{n}")
    fields.setdefault("author", "A. Critic")
    if status == Critique.Status.LINKED:
        # Merely linked: nothing assessed, so no kind, severity or review.
        return Critique.objects.create(agenda=agenda or make_agenda(), status=status, **fields)
    fields.setdefault("body", f"The argument of critique {n}.")
    fields.setdefault("kind", Critique.Kind.SCALABILITY)
    fields.setdefault("severity", Critique.Severity.MAJOR)
    fields.setdefault("severity_confidence", "medium")
    fields.setdefault("voice", Critique.Voice.OUTSIDE)
    fields.setdefault("basis", Critique.Basis.ABSTRACT)
    if status != Critique.Status.SUBMITTED:
        fields.setdefault("reviewed_at", timezone.now())
    return Critique.objects.create(agenda=agenda or make_agenda(), status=status, **fields)


def make_suggestion(**fields):
    fields.setdefault("text", "A stale name on this page.")
    fields.setdefault("page", "/")
    fields.setdefault("sender", "0" * 64)
    return Suggestion.objects.create(**fields)


def make_criterion(**fields):
    n = _n()
    fields.setdefault("name", f"Criterion {n}")
    fields.setdefault("slug", f"criterion-{n}")
    fields.setdefault("question", f"Does it meet criterion {n}?")
    fields.setdefault("order", n)
    for score in range(1, 6):
        fields.setdefault(f"guidance_{score}", f"What a {score} means.")
    return Criterion.objects.create(**fields)


def make_assessor(**fields):
    n = _n()
    fields.setdefault("name", f"Assessor {n}")
    fields.setdefault("slug", f"assessor-{n}")
    fields.setdefault("kind", Assessor.Kind.PERSON)
    fields.setdefault("viewpoint", "Sceptical of everything.")
    return Assessor.objects.create(**fields)


def make_rating(agenda=None, criterion=None, assessor=None, **fields):
    fields.setdefault("score", 3)
    fields.setdefault("confidence", "medium")
    fields.setdefault("rationale", "It is middling on this criterion.")
    fields.setdefault("date", datetime.date(2023, 3, 29))
    return Rating.objects.create(
        agenda=agenda or make_agenda(),
        criterion=criterion or make_criterion(),
        assessor=assessor or make_assessor(),
        **fields,
    )


def make_agenda_alias(agenda=None, **fields):
    n = _n()
    fields.setdefault("name", f"Alias {n}")
    return AgendaAlias.objects.create(agenda=agenda or make_agenda(), **fields)


def make_figure(**fields):
    n = _n()
    fields.setdefault("slug", f"figure-{n}")
    fields.setdefault("label", f"Figure {n}")
    fields.setdefault("kind", Figure.Kind.ALIGNMENT)
    fields.setdefault("value_low", 100)
    fields.setdefault("as_of", datetime.date(2023, 1, 1))
    if "source" not in fields:
        fields["source"] = make_source()
    return Figure.objects.create(**fields)


def make_rated_agenda(criteria, assessors, scores, **fields):
    """An agenda with one rating per (criterion, assessor); scores[i][j] for criteria[i]."""
    agenda = make_agenda(**fields)
    for criterion, row in zip(criteria, scores, strict=True):
        for assessor, score in zip(assessors, row, strict=True):
            if score is not None:
                make_rating(agenda=agenda, criterion=criterion, assessor=assessor, score=score)
    return agenda


def make_landscape(agendas=3, criteria=3, assessors=2, critiques=2):
    """A small but complete site: areas, rated agendas with assumptions, critiques, problems,
    organisations, tags, sources and headcount figures. Returns the agendas, in name order."""
    areas = [make_area(name="Interpretability"), make_area(name="Oversight that scales")]
    rubric = [make_criterion(weight=1 + i % 2) for i in range(criteria)]
    raters = [make_assessor() for _ in range(assessors)]
    shared = make_assumption(statement="Humans can judge the model's outputs")
    problem = make_problem()
    organisation = make_organisation(name="Example Lab", kind="lab")
    made = []
    for i in range(agendas):
        scores = [[1 + (i + c + a) % 5 for a in range(assessors)] for c in range(criteria)]
        agenda = make_rated_agenda(
            rubric,
            raters,
            scores,
            name=f"Agenda {i:03d}",
            area=areas[i % 2],
            fte_low=5 + i,
            fte_high=10 + i,
            description=f"What agenda {i} *does*, in some detail.",
        )
        agenda.tags.add(f"tag-{i % 3}")
        agenda.problems.add(problem)
        agenda.organisations.add(organisation)
        agenda.sources.add(make_source())
        make_reliance(agenda=agenda, assumption=shared, load=1 + i % 3)
        make_reliance(agenda=agenda)
        for _ in range(critiques):
            make_critique(agenda=agenda, source=make_source(), response="They disagree.")
        make_critique(agenda=agenda, status=Critique.Status.SUBMITTED, title="Draft critique")
        made.append(agenda)
    make_figure(label="Alignment researchers worldwide", value_low=300, value_high=600)
    make_figure(label="ML researchers worldwide", kind=Figure.Kind.CAPABILITIES, value_low=40000)
    make_figure(
        label="Alignment staff at Example Lab",
        organisation=organisation,
        value_low=30,
        dispute="Counts differ by what one calls alignment work.",
    )
    return made
