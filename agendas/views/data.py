"""The data for download: the whole export, and the JSON twins of the agenda page, the agenda
list and compare, each in the export's schema (docs/data-format.md) narrowed to what the
page shows, with a "selection" saying what that was."""

import json

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponse, JsonResponse
from django.urls import reverse

from agendas.cache.key import reads_query
from agendas.exporting import export_csv as build_csv
from agendas.exporting import export_document
from agendas.exporting import export_json as build_json
from agendas.forms import AgendaFilterForm, CompareForm, ReaderWeightsForm
from agendas.links import twin_url
from agendas.models import Agenda
from agendas.views import weights
from agendas.views.pages import PER_PAGE


def export_json(request):
    return HttpResponse(build_json(), content_type="application/json; charset=utf-8")


def export_csv(request):
    response = HttpResponse(build_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agendas.csv"'
    return response


def agenda_json(request, slug):
    if not Agenda.objects.filter(slug=slug).exists():
        return _problem(404, {"agenda": [f"There is no agenda “{slug}”."]})
    page = reverse("agendas:agenda_detail", args=[slug])
    return _twin([slug], {"page": page, "agendas": [slug]})


@reads_query(AgendaFilterForm, ReaderWeightsForm)
def agenda_list_json(request):
    """The agendas of one page of the list, under its filters, sort and the reader's
    weights; `selection.scores` gives each one's score as the list shows it."""
    form = AgendaFilterForm(request.GET)
    weights_form = weights.read(request, form.criteria.values())
    if not (form.is_valid() & weights_form.is_valid()):
        return _problem(400, {**form.errors, **weights_form.errors})
    agendas = form.filter(Agenda.objects.for_list(weights_form.weights))
    paginator = Paginator(agendas.values_list("slug", "shown_score"), PER_PAGE, orphans=3)
    number = form.cleaned_data["page"] or 1
    try:
        page = paginator.page(number)
    except EmptyPage:
        return _problem(404, {"page": [f"There is no page {number} of these agendas."]})
    rows = list(page.object_list)
    return _twin(
        [slug for slug, _ in rows],
        {
            "page": twin_url("agendas:agenda_list", request),
            "agendas": [slug for slug, _ in rows],
            "scores": {slug: _score(score) for slug, score in rows},
            "weights": "custom" if weights_form.weights.is_custom else "published",
            "page_number": page.number,
            "pages": paginator.num_pages,
            "count": paginator.count,
        },
    )


@reads_query(CompareForm, ReaderWeightsForm)
def compare_json(request):
    """The compared agendas, in the columns' order."""
    form = CompareForm(request.GET)
    if not form.is_valid() or not form.cleaned_data["a"]:
        errors = form.errors or {"a": ["Name the agendas to compare with a=<slug>, twice or more."]}
        return _problem(400, errors)
    weights_form = weights.read(request)
    if not weights_form.is_valid():
        return _problem(400, weights_form.errors)
    slugs = form.cleaned_data["a"]
    scores = dict(
        Agenda.objects.filter(slug__in=slugs)
        .annotate(shown_score=weights_form.weights.score())
        .values_list("slug", "shown_score")
    )
    missing = [slug for slug in slugs if slug not in scores]
    if missing:
        return _problem(404, {"a": [f"There is no agenda “{slug}”." for slug in missing]})
    return _twin(
        slugs,
        {
            "page": twin_url("agendas:compare", request),
            "agendas": slugs,
            "scores": {slug: _score(scores[slug]) for slug in slugs},
            "weights": "custom" if weights_form.weights.is_custom else "published",
        },
    )


def _twin(slugs, selection):
    document = export_document(slugs)
    document["selection"] = selection
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    return HttpResponse(text + "\n", content_type="application/json; charset=utf-8")


def _problem(status, errors):
    return JsonResponse(
        {
            "errors": {
                field: [str(message) for message in messages] for field, messages in errors.items()
            }
        },
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def _score(value):
    return None if value is None else round(float(value), 2)
