"""Forms that validate the query strings of the reference pages (critiques, ...).

A form that fails to validate means the URL is wrong: the view answers 400 and shows
the form's errors, never a 500.
"""

from django import forms
from django.db.models import Q

from agendas.models import Agenda, Area, Assumption, Criterion, Critique
from agendas.widgets import QuickSelect


def area_choices(areas):
    """Choices for picking an area, grouped: each top-level area is an <optgroup> holding
    itself (with its sub-areas) and each of its sub-areas. `areas`: Area rows, in order."""
    children = {}
    for area in areas:
        if area.parent_id:
            children.setdefault(area.parent_id, []).append(area)
    return [
        (
            area.name,
            [
                (area.slug, f"All of {area.name}" if area.pk in children else area.name),
                *((child.slug, child.name) for child in children.get(area.pk, [])),
            ],
        )
        for area in areas
        if not area.parent_id
    ]


def by_label(choices):
    """(value, label) pairs in alphabetical order of their labels, sorted here rather than by
    the database: Python sorts them faster than PostgreSQL's collation does
    (docs/performance.md), and the order no longer depends on the database's locale."""
    return sorted(choices, key=lambda choice: (choice[1].casefold(), choice[1], choice[0]))


def page_field():
    return forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1_000_000,
        error_messages={"invalid": "The page must be a whole number."},
    )


class PageForm(forms.Form):
    page = page_field()


class AssumptionMatrixForm(forms.Form):
    area = forms.ChoiceField(
        widget=QuickSelect,
        label="Agendas in area",
        required=False,
        error_messages={"invalid_choice": "There is no area “%(value)s”."},
    )
    page = page_field()

    def __init__(self, data=None):
        super().__init__(data)
        # Read once: the choices and the page's area links both come from these rows.
        self.areas = list(Area.objects.order_by("order", "name").only("name", "slug", "parent"))
        self.fields["area"].choices = [("", "All areas"), *area_choices(self.areas)]

    @property
    def top_areas(self):
        return [area for area in self.areas if not area.parent_id]

    @property
    def chosen_area(self):
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
    page = page_field()

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

    def __init__(self, data=None):
        super().__init__(data)
        # Choices are read here, once, so that rendering the form never queries.
        self.fields["agenda"].choices = [
            ("", "Any agenda"),
            *by_label(Agenda.objects.order_by().values_list("slug", "name")),
        ]
        self.fields["assumption"].choices = [
            ("", "Any assumption"),
            *by_label(Assumption.objects.order_by().values_list("slug", "statement")),
        ]

    def visible_filters(self):
        return [self[name] for name in self.filter_fields]

    def is_filtered(self):
        data = self.cleaned_data
        return any(data.get(name) for name in self.filter_fields if name != "sort")

    def apply(self, critiques):
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

    def __init__(self, data=None):
        super().__init__(data)
        self.areas = list(Area.objects.order_by("order", "name").only("name", "slug", "parent"))
        self.fields["area"].choices = [("", "Every area"), *area_choices(self.areas)]

    @property
    def chosen_area(self):
        slug = self.cleaned_data.get("area") if hasattr(self, "cleaned_data") else None
        return next((area for area in self.areas if area.slug == slug), None)

    def is_narrowed(self):
        return bool(self.cleaned_data.get("area") or self.cleaned_data.get("q"))

    def apply(self, agendas):
        """Narrow an Agenda queryset by the validated values."""
        if area := self.chosen_area:
            agendas = agendas.in_area(area)
        if text := self.cleaned_data["q"]:
            agendas = agendas.filter(name__icontains=text)
        return agendas


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
    page = page_field()

    filter_fields = ("area", "criterion")

    def __init__(self, data=None):
        super().__init__(data)
        self.areas = list(Area.objects.order_by("order", "name").only("name", "slug", "parent"))
        self.fields["area"].choices = [("", "Every area"), *area_choices(self.areas)]
        self.fields["criterion"].choices = [
            ("", "Every criterion"),
            *Criterion.objects.order_by("order", "name").values_list("slug", "name"),
        ]

    def visible_filters(self):
        return [self[name] for name in self.filter_fields]

    def is_filtered(self):
        return any(self.cleaned_data.get(name) for name in self.filter_fields)

    def apply(self, scores):
        """Narrow a CriterionScoreQuerySet by the validated values."""
        data = self.cleaned_data
        if data["area"]:
            area = next(area for area in self.areas if area.slug == data["area"])
            scores = scores.filter(Q(agenda__area=area) | Q(agenda__area__parent=area))
        if data["criterion"]:
            scores = scores.filter(criterion__slug=data["criterion"])
        return scores
