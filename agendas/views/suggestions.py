"""Readers' suggestions: one form for the site and one for each agenda, never cached (the
form carries a CSRF token), a thank-you page after a post, and 429 past the rate limit."""

from urllib.parse import quote

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from agendas.cache.key import reads_query
from agendas.models import Agenda
from agendas.suggestions import SuggestionForm, over_the_limit, sender_of


@never_cache
@reads_query({"from": forms.CharField()})
def suggest(request):
    """The site-wide form; ?from= names the page the reader came from."""
    return _suggest(request, None, local_path(request.GET.get("from", "")))


@never_cache
def agenda_suggest(request, slug):
    agenda = get_object_or_404(Agenda.objects.only("name", "slug"), slug=slug)
    return _suggest(request, agenda, agenda.get_absolute_url())


def _suggest(request, agenda, page):
    form = SuggestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            return redirect("agendas:suggest_thanks")
        sender = sender_of(request)
        if over_the_limit(sender):
            return render(request, "429.html", {"agenda": agenda}, status=429)
        suggestion = form.save(commit=False)
        suggestion.agenda, suggestion.page, suggestion.sender = agenda, page, sender
        suggestion.save()
        return redirect("agendas:suggest_thanks")
    status = 400 if form.is_bound else 200
    # The form posts back here; the site-wide one keeps the page the reader came from.
    action = request.path if agenda else f"{request.path}?from={quote(page, safe='/')}"
    context = {"form": form, "agenda": agenda, "page": page, "action": action}
    return render(request, "agendas/suggest.html", context, status=status)


@never_cache
def suggest_thanks(request):
    return render(request, "agendas/suggest_thanks.html")


def local_path(value):
    """A path on this site the reader came from, or "/" for anything else."""
    if not value.startswith("/") or value.startswith("//") or len(value) > 200:
        return "/"
    if any(ord(character) < 32 or character in '\\<>"' for character in value):
        return "/"
    return value
