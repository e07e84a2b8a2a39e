"""Site search. (Placeholder routed early so the header can link to it; full search to come.)"""

from django.shortcuts import render


def search(request):
    query = request.GET.get("q", "")[:1000]
    return render(request, "agendas/search.html", {"query": query, "results": []})
