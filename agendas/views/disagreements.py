"""Where the assessors disagree: the agenda and criterion cells with the widest spread between
assessors, each with every assessor's score, confidence and reason side by side."""

from dataclasses import dataclass

from django.shortcuts import render

from agendas.cache.key import reads_query
from agendas.forms import DisagreementFilterForm
from agendas.models import CriterionScore, Rating
from agendas.pagination import paginate

CELLS_PER_PAGE = 25
CELLS_ORPHANS = 5


@dataclass
class Disagreement:
    """One cell (a CriterionScore row) and its ratings, highest score first."""

    cell: CriterionScore
    ratings: list


@reads_query(DisagreementFilterForm)
def disagreement_list(request):
    form = DisagreementFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "agendas/disagreement_list.html", {"form": form}, status=400)
    cells = form.apply(CriterionScore.objects.disagreements())
    page = paginate(cells, form.cleaned_data["page"], CELLS_PER_PAGE, CELLS_ORPHANS)
    on_page = list(page.object_list)
    by_cell = {}
    for rating in Rating.objects.for_cells(on_page):
        by_cell.setdefault((rating.agenda_id, rating.criterion_id), []).append(rating)
    return render(
        request,
        "agendas/disagreement_list.html",
        {
            "form": form,
            "page": page,
            "disagreements": [
                Disagreement(cell, by_cell.get((cell.agenda_id, cell.criterion_id), []))
                for cell in on_page
            ],
        },
    )
