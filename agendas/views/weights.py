"""A reader's own criterion weights, as every page ranked by them reads and shows them.

The weights travel in the query string (?w-<criterion slug>=0..5, agendas/forms/lists.py) and are
never stored: a page ranked by them says so, links back to the published weights, and keeps
them in its own links so that the ranking can be shared.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from agendas.forms import ReaderWeightsForm
from agendas.models import Criterion


def read(request, criteria=None):
    """The weights form bound to the query string (call is_valid() before using it)."""
    return ReaderWeightsForm(request.GET, Criterion.objects.all() if criteria is None else criteria)


def problem(request, weights_form):
    """The 400 page for weights that cannot be used, with the form to fix them."""
    return render(
        request,
        "agendas/weights_invalid.html",
        {"weights_form": weights_form, "action": request.path},
        status=400,
    )


def context(request, weights_form):
    """What a page ranked by (valid) weights needs to show and keep them."""
    items = weights_form.query_items()
    without = [
        (key, value)
        for key, values in request.GET.lists()
        if not key.startswith(ReaderWeightsForm.PREFIX) and key != "page"
        for value in values
    ]
    weights = weights_form.weights
    return {
        "weights_form": weights_form,
        "custom_weights": weights.is_custom,
        "weight_items": items,
        "weights_summary": [
            (criterion, weights.by_criterion[criterion.pk]) for criterion in weights_form.criteria
        ],
        "published_weights_url": request.path + (f"?{urlencode(without)}" if without else ""),
        "change_weights_url": url("agendas:criterion_list", items) + "#your-weights",
    }


def url(name, items, *args):
    """The URL of a named page, carrying the weights' query-string pairs."""
    return reverse(name, args=args) + (f"?{urlencode(items)}" if items else "")
