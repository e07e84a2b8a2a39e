from itertools import groupby

from django.shortcuts import get_object_or_404, render

from agendas.models import Agenda, Critique
from agendas.scoring import summarise_by_criterion


def home(request):
    agendas = Agenda.objects.for_home().with_summary_scores()
    landscape = [
        (area, list(rows)) for area, rows in groupby(agendas, key=lambda agenda: agenda.area)
    ]
    latest_critiques = Critique.objects.latest_published()[:5]
    return render(
        request,
        "agendas/home.html",
        {"landscape": landscape, "latest_critiques": latest_critiques},
    )


def agenda_detail(request, slug):
    agenda = get_object_or_404(Agenda.objects.for_detail(), slug=slug)
    return render(
        request,
        "agendas/agenda_detail.html",
        {"agenda": agenda, "criteria": summarise_by_criterion(agenda.ratings.all())},
    )
