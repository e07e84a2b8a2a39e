"""The compare page's query string: the agendas compared (?a=) and the picker's filters."""

from typing import Any

from django import forms

from agendas.forms.fields import SlugListField, area_choices, set_choices
from agendas.models import Area
from agendas.widgets import QuickSelect

COMPARE_MIN = 2
COMPARE_MAX = 6


class CompareForm(forms.Form):
    a = SlugListField(label="Agendas", required=False)
    diff = forms.BooleanField(label="Show only rows that differ", required=False)

    def clean_a(self) -> list[str]:
        slugs: list[str] = self.cleaned_data["a"]
        if not slugs:
            return slugs
        if len(set(slugs)) != len(slugs):
            raise forms.ValidationError(
                "The same agenda is listed twice; pick each agenda once.", code="duplicate"
            )
        if len(slugs) < COMPARE_MIN:
            raise forms.ValidationError(
                f"Pick at least {COMPARE_MIN} agendas to compare.", code="count"
            )
        if len(slugs) > COMPARE_MAX:
            raise forms.ValidationError(
                f"Pick at most {COMPARE_MAX} agendas to compare (you picked {len(slugs)}).",
                code="count",
            )
        return slugs


class ComparePickerForm(forms.Form):
    """Narrows the agendas the compare page offers: to one area (with its sub-areas) or to
    names containing some text. The agendas themselves travel as `a` (forms.CompareForm)."""

    area = forms.ChoiceField(
        widget=QuickSelect,
        label="Area",
        required=False,
        error_messages={"invalid_choice": "There is no area “%(value)s”."},
    )
    q = forms.CharField(
        label="Name contains",
        required=False,
        max_length=100,
        error_messages={"max_length": "Keep the name under %(limit_value)d characters."},
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        self.areas = list(Area.objects.order_by("order", "name").only("name", "slug", "parent"))
        set_choices(self, "area", [("", "Every area"), *area_choices(self.areas)])

    @property
    def chosen_area(self) -> Any:
        slug = self.cleaned_data.get("area") if hasattr(self, "cleaned_data") else None
        return next((area for area in self.areas if area.slug == slug), None)

    def is_narrowed(self) -> bool:
        return bool(self.cleaned_data.get("area") or self.cleaned_data.get("q"))

    def apply(self, agendas: Any) -> Any:
        """Narrow an Agenda queryset by the validated values."""
        if area := self.chosen_area:
            agendas = agendas.in_area(area)
        if text := self.cleaned_data["q"]:
            agendas = agendas.filter(name__icontains=text)
        return agendas
