"""Readers' suggestions: the form they fill in, and the rate limit per address.

The limit counts a sender's suggestions of the last hour in the database, so it holds across
workers and hosts without a cache. The sender is a keyed digest of the client's address
(agendas/throttling.py decides which address that is behind proxies): the address itself is
never stored.
"""

import datetime
import hashlib
import hmac

from django import forms
from django.conf import settings
from django.utils import timezone

from agendas.models import Suggestion, web_link
from agendas.throttling import client_ip

RATE_WINDOW = datetime.timedelta(hours=1)


class SuggestionForm(forms.ModelForm):
    # A field people never see (hidden by CSS, skipped by keyboard and screen readers) and
    # bots fill in: a filled one is dropped without a word.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    source_url = forms.URLField(
        label="A link to the source",
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[web_link],
        help_text="Where an editor can check it: a paper, a post, an announcement.",
    )

    class Meta:
        model = Suggestion
        fields = ["kind", "text", "source_url", "email"]
        labels = {
            "kind": "What are you suggesting?",
            "text": "Your suggestion",
            "email": "Your email address",
        }
        help_texts = {
            "text": "What is wrong, stale or missing, in a few sentences. Up to 4,000 characters.",
            "email": "Only if you are happy to be asked a question back. It is never shown "
            "on the site.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def is_bot(self):
        return bool(self.cleaned_data.get("website"))


def sender_of(request):
    """A keyed digest of the client's address: the same address gives the same value."""
    address = (client_ip(request) or "unknown").encode()
    return hmac.new(settings.SECRET_KEY.encode(), address, hashlib.sha256).hexdigest()


def over_the_limit(sender, now=None):
    since = (now or timezone.now()) - RATE_WINDOW
    sent = Suggestion.objects.sent_since(sender, since).count()
    return sent >= settings.SUGGESTIONS_PER_HOUR
