"""Small builders for test data. Each fills required fields and takes overrides.

Tests build what they need with these; the shipped fixtures are only tested for loading.
"""

import datetime
import itertools

from django.utils import timezone

from agendas.models import (
    Agenda,
    Area,
    Assessor,
    Assumption,
    Criterion,
    Critique,
    Organisation,
    Problem,
    Rating,
    Reliance,
    Source,
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
    fields.setdefault("body", f"The argument of critique {n}.")
    fields.setdefault("kind", Critique.Kind.SCALABILITY)
    fields.setdefault("severity", Critique.Severity.MAJOR)
    fields.setdefault("author", "A. Critic")
    if status != Critique.Status.SUBMITTED:
        fields.setdefault("reviewed_at", timezone.now())
    return Critique.objects.create(agenda=agenda or make_agenda(), status=status, **fields)


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
    fields.setdefault("rationale", "It is middling on this criterion.")
    fields.setdefault("date", datetime.date(2023, 3, 29))
    return Rating.objects.create(
        agenda=agenda or make_agenda(),
        criterion=criterion or make_criterion(),
        assessor=assessor or make_assessor(),
        **fields,
    )
