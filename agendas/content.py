"""The shipped content: fixture files in fixtures/, in the order they must load.

Every row names its relations by natural key (slugs), so the files load into any
database, including one that already holds imported or edited content.

fixtures/field/ holds one file per area of the taxonomy: the agendas filed there with their
aliases, tags, outputs (sources), organisations and the editors' ratings, in that order.
fixtures/debate/ holds, per area, the critical debate: the critiques of its agendas (each
with its voice, what its summary rests on and any reply), the works they cite and the
assumptions its agendas rest on. The files around them hold what areas share (problems,
criteria, assessors, assumptions), the essay's reliances and ratings, the Longterm Wiki's
levels mapped onto our rubric (an external assessor, its rule shown to readers) and the
published views read as assessors (views.json).
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
AFTER_DEBATE = [
    "ratings",
    "longterm-wiki",
    "views",
    "figures",
]


def fixture_paths():
    fixture_dir = settings.SITE_FILES_DIR / "fixtures"
    return [
        *(fixture_dir / f"{name}.json" for name in BEFORE_FIELD),
        *sorted((fixture_dir / "field").glob("*.json")),
        fixture_dir / "reliances.json",
        *sorted((fixture_dir / "debate").glob("*.json")),
        *(
            fixture_dir / f"{name}.json"
            for name in AFTER_DEBATE
            if (fixture_dir / f"{name}.json").exists()
        ),
    ]
