"""The shipped content: fixture files in fixtures/, in the order they must load.

Every row names its relations by natural key (slugs), so the files load into any
database, including one that already holds imported or edited content.

fixtures/field/ holds one file per area of the taxonomy: the agendas filed there with their
aliases, tags, outputs (sources), organisations and the editors' ratings, in that order.
The files around it hold what areas share (problems, criteria, assessors, assumptions) and
what the essay's agendas carry (their reliances, critiques and ratings), and the
Longterm Wiki's levels mapped onto our rubric (an external assessor, its rule shown to readers).
"""

from django.conf import settings

BEFORE_FIELD = [
    "problems",
    "sources",
    "critique_sources",
    "organisations",
    "areas",
    "criteria",
    "assessors",
    "assumptions",
    "tags",
]
AFTER_FIELD = [
    "reliances",
    "critiques",
    "ratings",
    "longterm-wiki",
    "figures",
]


def fixture_paths():
    fixture_dir = settings.SITE_FILES_DIR / "fixtures"
    return [
        *(fixture_dir / f"{name}.json" for name in BEFORE_FIELD),
        *sorted((fixture_dir / "field").glob("*.json")),
        *(fixture_dir / f"{name}.json" for name in AFTER_FIELD),
    ]
