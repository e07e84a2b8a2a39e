"""Site search: /search/?q=...&kind=...&area=...&page=..."""

from django import forms
from django.shortcuts import render

from agendas import search as site_search
from agendas.cache.key import reads_query
from agendas.filters import page_field
from agendas.models import Area

MAX_QUERY_LENGTH = 1000


class SearchForm(forms.Form):
    # CharField also refuses NUL characters, which PostgreSQL cannot hold in text.
    q = forms.CharField(
        label="Search for",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": (
                f"Search for at most {MAX_QUERY_LENGTH} characters (%(show_value)d given)."
            ),
        },
    )
    kind = forms.ChoiceField(
        choices=site_search.KIND_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Narrow by agendas, assumptions, critiques or sources."},
    )
    area = forms.ModelChoiceField(
        Area.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "There is no such area."},
    )
    page = page_field()


@reads_query(SearchForm)
def search(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "agendas/search.html", {"form": form, "query": ""}, status=400)
    query = form.cleaned_data["q"]
    kind, area = form.cleaned_data["kind"], form.cleaned_data["area"]
    context = {"form": form, "query": query, "kind": kind, "area": area}
    if query:
        results = site_search.search(query, kind=kind or None, area=area)
        page = results.page(form.cleaned_data["page"])
        page.elided_range = list(page.paginator.get_elided_page_range(page.number))
        context.update(results=results, page=page)
    return render(request, "agendas/search.html", context)
