"""Site search: /search/?q=...&kind=...&area=...&page=..."""

from django.shortcuts import render

from agendas import search as site_search
from agendas.cache.key import reads_query
from agendas.forms import SearchForm


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
        context.update(results=results, page=results.page(form.cleaned_data["page"]))
    return render(request, "agendas/search.html", context)
