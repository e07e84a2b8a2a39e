"""Every reference page renders in a fixed number of queries, whatever the data size.

Each page is requested after building a small and a larger data set, with the same
expected count; the comments say which queries those are.
"""

import pytest
from django.urls import reverse

from agendas.models import Critique, Reliance
from tests.builders import (
    make_agenda,
    make_assessor,
    make_assumption,
    make_criterion,
    make_critique,
    make_figure,
    make_organisation,
    make_problem,
    make_rating,
    make_reliance,
    make_source,
)


def populate(size):
    """size agendas, each with its own and shared rows of every kind the pages show."""
    shared = make_assumption(slug=f"shared-{size}")
    organisation = make_organisation(slug="the-org")
    problem = make_problem(1)
    make_problem(2)  # addressed by no agenda
    # One more assessor than agendas, scoring apart: every agenda is a disagreement.
    assessors = [make_assessor() for _ in range(size + 1)]
    criterion = make_criterion(slug="the-criterion")
    for index in range(size):
        agenda = make_agenda()
        agenda.tags.add("the-tag", f"tag-{index}")
        agenda.problems.add(problem)
        agenda.organisations.add(organisation, make_organisation())
        own = make_assumption()
        make_reliance(agenda=agenda, assumption=shared, load=Reliance.Load.CRITICAL)
        make_reliance(agenda=agenda, assumption=own, load=Reliance.Load.MINOR)
        for status in Critique.Status.values:
            make_critique(
                agenda=agenda,
                assumption=shared,
                status=status,
                source=make_source(),
                response="Reply.",
                response_source=make_source(),
            )
        for number, assessor in enumerate(assessors):
            make_rating(agenda=agenda, criterion=criterion, assessor=assessor, score=1 + number % 5)
        make_figure(organisation=organisation)
    return {
        "assumption": shared.slug,
        "critique": Critique.objects.published().values_list("slug", flat=True).first(),
        "agenda": agenda.slug,
        "area": agenda.area.slug,
    }


# Pages whose content includes the last agenda built, so the larger size really is shown.
LISTS_EVERY_AGENDA = {
    "assumption_list",
    "assumption_detail",
    "critique_list",
    "criterion_detail",
    "problem_list",
    "organisation_list",
    "organisation_detail",
    "tag_detail",
    "disagreement_list",
}

PAGES = [
    # (name, args from the populated slugs, query string, expected queries)
    # 1 areas (the select and the links by area), 2 count, 3 the page of assumptions with
    # their agenda, critical and critique counts, 4 their reliances with agendas.
    ("assumption_list", None, "", 4),
    ("assumption_list", None, "?area={area}&page=1", 4),
    # 1 the assumption with its source and critique count, 2 its reliances with agendas
    # (their stored scores and FTEs) and sources, 3 its most severe published critiques.
    ("assumption_detail", "assumption", "", 3),
    # 1 agenda choices, 2 assumption choices, 3 how many are published and how many merely
    # linked (their sum is the paginator's count), 4 the page of critiques.
    ("critique_list", None, "", 4),
    ("critique_list", None, "?sort=severity&kind=scalability&severity=3&q=argument", 4),
    # Filtering by agenda and assumption adds no query: choices are validated in memory.
    ("critique_list", None, "?agenda={agenda}&assumption={assumption}", 4),
    # 1 the critique with its agenda, assumption and sources.
    ("critique_detail", "critique", "", 1),
    # 1 criteria with their count of rated agendas, 2 the assessors who rate.
    ("criterion_list", None, "", 2),
    # 1 the criterion, 2 count, 3 the page of agendas with their stored score on it (mean,
    # spread, confidence), 4 the assessors, 5 their ratings of the agendas on the page;
    # the editors' calibration: 6 how many ratings at each level, 7 the first at each.
    ("criterion_detail", "the-criterion", "", 7),
    # 1 areas, 2 criteria (the filters' choices), 3 count, 4 the page of cells with their
    # agenda and criterion, 5 the ratings of those cells with assessors and sources.
    ("disagreement_list", None, "", 5),
    ("disagreement_list", None, "?area={area}&criterion=the-criterion&page=1", 5),
    # 1 problems with agenda counts, 2 the first agendas of each (a sliced prefetch).
    ("problem_list", None, "", 2),
    # 1 how many organisations, 2 a page of them with agenda counts, 3 their figures with
    # sources, 4 the first agendas of each.
    ("organisation_list", None, "", 4),
    ("organisation_list", None, "?page=1", 4),
    # 1 the organisation, 2 its agendas with areas, 3 its figures with sources.
    ("organisation_detail", "the-org", "", 3),
    # 1 tags in use with agenda counts.
    ("tag_list", None, "", 1),
    # 1 the tag, 2 its agendas with areas.
    ("tag_detail", "the-tag", "", 2),
]


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(
    ("name", "arg", "query", "expected"), PAGES, ids=[f"{p[0]}{p[2]}" for p in PAGES]
)
def test_reference_page_query_count_does_not_grow(
    client, db, django_assert_num_queries, size, name, arg, query, expected
):
    slugs = populate(size)
    args = [slugs.get(arg, arg)] if arg else []
    url = reverse(f"agendas:{name}", args=args) + query.format(**slugs)

    with django_assert_num_queries(expected):
        response = client.get(url)
        # The test client renders the template before returning, inside the block.
        assert response.status_code == 200
    assert slugs["agenda"] in response.text or name not in LISTS_EVERY_AGENDA
