"""The query-string forms of the reference pages: the assumption grid and the critiques."""

from typing import Any

from django import forms

from agendas.forms.fields import PageField, area_choices, by_label, set_choices
from agendas.models import Agenda, Area, Assumption, Criterion, Critique
from agendas.widgets import QuickSelect


class AssumptionMatrixForm(forms.Form):
    area = forms.ChoiceField(
        widget=QuickSelect,
        label="Agendas in area",
        required=False,
        error_messages={"invalid_choice": "There is no area “%(value)s”."},
    )
    page = PageField()

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        # Read once: the choices and the page's area links both come from these rows.
        self.areas = list(Area.objects.order_by("order", "name").only("name", "slug", "parent"))
        set_choices(self, "area", [("", "All areas"), *area_choices(self.areas)])

    @property
    def top_areas(self) -> list[Any]:
        return [area for area in self.areas if not area.parent_id]

    @property
    def chosen_area(self) -> Any:
        slug = self.cleaned_data.get("area") if hasattr(self, "cleaned_data") else None
        return next((area for area in self.areas if area.slug == slug), None)


ANSWERED, UNANSWERED = "answered", "unanswered"


class CritiqueFilterForm(forms.Form):
    NEWEST = "newest"
    SEVERITY = "severity"
    SORTS = [(NEWEST, "Newest first"), (SEVERITY, "Most severe first")]

    q = forms.CharField(
        label="Text contains",
        required=False,
        max_length=200,
        error_messages={"max_length": "Keep the text filter under %(limit_value)d characters."},
    )
    agenda = forms.ChoiceField(
        widget=QuickSelect,
        label="Agenda",
        required=False,
        error_messages={"invalid_choice": "There is no agenda “%(value)s”."},
    )
    assumption = forms.ChoiceField(
        widget=QuickSelect,
        label="Assumption",
        required=False,
        error_messages={"invalid_choice": "There is no assumption “%(value)s”."},
    )
    state = forms.ChoiceField(
        widget=QuickSelect,
        label="State",
        required=False,
        choices=[
            ("", "Summarised or linked"),
            (Critique.Status.PUBLISHED, "Summarised and assessed by our editors"),
            (Critique.Status.LINKED, "Linked by the Shallow Review, not yet summarised"),
        ],
        error_messages={
            "invalid_choice": "“%(value)s” is not a state a public critique can be in."
        },
    )
    kind = forms.ChoiceField(
        widget=QuickSelect,
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *Critique.Kind.choices],
        error_messages={"invalid_choice": "“%(value)s” is not a kind of critique."},
    )
    voice = forms.ChoiceField(
        widget=QuickSelect,
        label="Whose voice",
        required=False,
        choices=[("", "Any voice"), *Critique.Voice.choices],
        error_messages={"invalid_choice": "“%(value)s” is not a voice a critique is in."},
    )
    basis = forms.ChoiceField(
        widget=QuickSelect,
        label="Summary rests on",
        required=False,
        choices=[
            ("", "Anything read"),
            *((value, label[0].upper() + label[1:]) for value, label in Critique.Basis.choices),
        ],
        error_messages={"invalid_choice": "“%(value)s” is not something a summary rests on."},
    )
    reply = forms.ChoiceField(
        widget=QuickSelect,
        label="Reply",
        required=False,
        choices=[
            ("", "Answered or not"),
            (ANSWERED, "Answered by the agenda's people"),
            (UNANSWERED, "Not answered"),
        ],
        error_messages={"invalid_choice": "“%(value)s” is not answered or unanswered."},
    )
    severity = forms.TypedChoiceField(
        widget=QuickSelect,
        label="Severity",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any severity"), *Critique.Severity.choices],
        error_messages={"invalid_choice": "Severity must be 1 to 4, not “%(value)s”."},
    )
    sort = forms.ChoiceField(
        widget=QuickSelect,
        label="Sort",
        required=False,
        choices=SORTS,
        error_messages={"invalid_choice": "“%(value)s” is not a way to sort critiques."},
    )
    page = PageField()

    filter_fields = (
        "q",
        "agenda",
        "assumption",
        "state",
        "kind",
        "voice",
        "basis",
        "reply",
        "severity",
        "sort",
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        # Choices are read here, once, so that rendering the form never queries.
        set_choices(
            self,
            "agenda",
            [
                ("", "Any agenda"),
                *by_label(Agenda.objects.order_by().values_list("slug", "name")),
            ],
        )
        set_choices(
            self,
            "assumption",
            [
                ("", "Any assumption"),
                *by_label(Assumption.objects.order_by().values_list("slug", "statement")),
            ],
        )

    def visible_filters(self) -> list[forms.BoundField]:
        return [self[name] for name in self.filter_fields]

    def is_filtered(self) -> bool:
        data = self.cleaned_data
        return any(data.get(name) for name in self.filter_fields if name != "sort")

    def apply(self, critiques: Any) -> Any:
        """Filter and sort a CritiqueQuerySet by the validated values."""
        data = self.cleaned_data
        if data["q"]:
            critiques = critiques.matching(data["q"])
        if data["agenda"]:
            critiques = critiques.filter(agenda__slug=data["agenda"])
        if data["assumption"]:
            critiques = critiques.filter(assumption__slug=data["assumption"])
        if data["state"]:
            critiques = critiques.filter(status=data["state"])
        if data["kind"]:
            critiques = critiques.filter(kind=data["kind"])
        if data["voice"]:
            critiques = critiques.filter(voice=data["voice"])
        if data["basis"]:
            critiques = critiques.filter(basis=data["basis"])
        if data["reply"]:
            critiques = critiques.answered(data["reply"] == ANSWERED)
        if data["severity"] is not None:
            critiques = critiques.filter(severity=data["severity"])
        if data["sort"] == self.SEVERITY:
            return critiques.most_severe_first()
        return critiques.newest_first()


class DisagreementFilterForm(forms.Form):
    """Narrows the cells where assessors disagree to one area (with its sub-areas) and one
    criterion."""

    area = forms.ChoiceField(
        widget=QuickSelect,
        label="Area",
        required=False,
        error_messages={"invalid_choice": "There is no area “%(value)s”."},
    )
    criterion = forms.ChoiceField(
        widget=QuickSelect,
        label="Criterion",
        required=False,
        error_messages={"invalid_choice": "There is no criterion “%(value)s”."},
    )
    page = PageField()

    filter_fields = ("area", "criterion")

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        self.areas = list(Area.objects.order_by("order", "name").only("name", "slug", "parent"))
        set_choices(self, "area", [("", "Every area"), *area_choices(self.areas)])
        criteria = Criterion.objects.order_by("order", "name").values_list("slug", "name")
        set_choices(self, "criterion", [("", "Every criterion"), *criteria])

    def visible_filters(self) -> list[forms.BoundField]:
        return [self[name] for name in self.filter_fields]

    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.filter_fields)

    def apply(self, scores: Any) -> Any:
        """Narrow a CriterionScoreQuerySet by the validated values."""
        data = self.cleaned_data
        if data["area"]:
            area = next(area for area in self.areas if area.slug == data["area"])
            scores = scores.filter(agenda__in=Agenda.objects.in_area(area))
        if data["criterion"]:
            scores = scores.filter(criterion__slug=data["criterion"])
        return scores
