"""The domain: agendas in a taxonomy, what they assume, how they are criticised and rated.

Integrity rule: nothing a person wrote disappears by accident. Foreign keys that point at
user-written rows use PROTECT, so deleting an agenda, assumption, criterion or assessor
that still has critiques, reliances or ratings is refused; edits are kept by
django-simple-history. Derived rows and columns (scores, rendered Markdown) are written
on every write path by agendas/changes.py and agendas/scoring.py.

Modules by idea: ``base`` (shared rules), ``catalogue`` (areas, problems, sources,
organisations, figures), ``agendas`` (agendas, aliases, assumptions, reliances),
``critiques`` and ``ratings`` (the rubric, assessors, ratings, stored scores).
"""

from agendas.models.agendas import (
    Agenda,
    AgendaAlias,
    Assumption,
    AssumptionAlias,
    Reliance,
    TaggedAgenda,
)
from agendas.models.base import MarkdownFields, SlugNaturalKey, web_link
from agendas.models.catalogue import Area, AreaAlias, Figure, Organisation, Problem, Source
from agendas.models.critiques import Critique
from agendas.models.ratings import Assessor, Criterion, CriterionScore, Rating
from agendas.models.suggestions import Suggestion

__all__ = [
    "Agenda",
    "AgendaAlias",
    "Area",
    "AreaAlias",
    "Assessor",
    "Assumption",
    "AssumptionAlias",
    "Criterion",
    "CriterionScore",
    "Critique",
    "Figure",
    "Organisation",
    "Problem",
    "Rating",
    "Reliance",
    "Source",
    "Suggestion",
    "TaggedAgenda",
    "web_link",
    "MarkdownFields",
    "SlugNaturalKey",
]
