"""The shipped content: fixture files in fixtures/, in the order they must load.

Every row names its relations by natural key (slugs), so the files load into any
database, including one that already holds imported or edited content.
"""

from django.conf import settings

FIXTURES = [
    "problems",
    "sources",
    "critique_sources",
    "organisations",
    "areas",
    "criteria",
    "assessors",
    "assumptions",
    "agendas",
    "reliances",
    "critiques",
    "ratings",
    "figures",
    "aliases",
]


def fixture_paths():
    fixture_dir = settings.BASE_DIR / "fixtures"
    return [fixture_dir / f"{name}.json" for name in FIXTURES]
