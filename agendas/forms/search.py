"""The site search's query string: /search/?q=...&kind=...&area=...&page=..."""

from django import forms

from agendas import search as site_search
from agendas.forms.fields import PageField
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
    page = PageField()
