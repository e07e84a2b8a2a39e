"""The agenda list's filters, a reader's own criterion weights, and plain page forms."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import F
from django.db.models.expressions import OrderBy

from agendas.forms.fields import PageField, WeightField, blank, set_choices
from agendas.models import Agenda, Area, Criterion, Problem, TaggedAgenda
from agendas.scoring import BANDS_BY_SLUG, READER_WEIGHT_MAX, SCORE_BANDS, Weights
from agendas.widgets import QuickSelect


class PageForm(forms.Form):
    page = PageField()


class SitemapPageForm(forms.Form):
    """The page of a long sitemap section (django.contrib.sitemaps reads ?p=)."""

    p = forms.IntegerField(min_value=1)


class AgendaFilterForm(forms.Form):
    SORTS = [
        ("name", "Name"),
        ("score", "Overall score (highest first)"),
        ("criterion", "Score on the chosen criterion (highest first)"),
        ("critiques", "Number of critiques (most first)"),
        ("fte", "FTEs (most first)"),
    ]

    q = forms.CharField(label="Text", required=False, max_length=200)
    area = forms.ChoiceField(required=False, widget=QuickSelect)
    tag = forms.ChoiceField(required=False, widget=QuickSelect)
    approach = forms.ChoiceField(
        widget=QuickSelect,
        label="Broad approach",
        required=False,
        choices=blank("Any") + Agenda.Approach.choices,
    )
    target = forms.ChoiceField(
        widget=QuickSelect,
        label="Target case",
        required=False,
        choices=blank("Any") + Agenda.TargetCase.choices,
    )
    supervision = forms.ChoiceField(
        widget=QuickSelect,
        label="Human supervision",
        required=False,
        choices=blank("Any") + Agenda.Supervision.choices,
    )
    problem = forms.ChoiceField(label="Orthodox problem", required=False, widget=QuickSelect)
    band = forms.ChoiceField(
        widget=QuickSelect,
        label="Overall score",
        required=False,
        choices=blank("Any") + [(band.slug, band.label) for band in SCORE_BANDS],
    )
    criterion = forms.ChoiceField(required=False, widget=QuickSelect)
    min_score = forms.DecimalField(
        label="Minimum mean score on it",
        required=False,
        min_value=1,
        max_value=5,
        max_digits=3,
        decimal_places=1,
    )
    sort = forms.ChoiceField(required=False, choices=SORTS, widget=QuickSelect)
    page = PageField()

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        self.areas = {area.slug: area for area in Area.objects.select_related("parent")}
        self.problems = {str(problem.number): problem for problem in Problem.objects.all()}
        self.criteria = {criterion.slug: criterion for criterion in Criterion.objects.all()}
        tags = TaggedAgenda.objects.tags_in_use()
        set_choices(
            self,
            "area",
            blank("Any")
            + [
                (slug, f"{area.parent.name} › {area.name}" if area.parent else area.name)
                for slug, area in self.areas.items()
            ],
        )
        set_choices(
            self, "tag", blank("Any") + [(row["tag__slug"], row["tag__name"]) for row in tags]
        )
        set_choices(
            self,
            "problem",
            blank("Any") + [(number, str(problem)) for number, problem in self.problems.items()],
        )
        set_choices(
            self,
            "criterion",
            blank("None chosen")
            + [(slug, criterion.name) for slug, criterion in self.criteria.items()],
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        needs_criterion = cleaned.get("sort") == "criterion" or cleaned.get("min_score")
        if needs_criterion and not cleaned.get("criterion"):
            raise forms.ValidationError(
                "Choose a criterion to sort by it or to set a minimum score on it."
            )
        return cleaned

    def filter(self, agendas: Any) -> Any:
        """Apply the (valid) filters and sort to an Agenda queryset from for_list(), whose
        shown_score is the overall score under the weights in use."""
        data = self.cleaned_data
        if data["q"]:
            agendas = agendas.matching(data["q"])
        if data["area"]:
            agendas = agendas.in_area(self.areas[data["area"]])
        if data["tag"]:
            agendas = agendas.tagged(data["tag"])
        if data["approach"]:
            agendas = agendas.filter(broad_approach=data["approach"])
        if data["target"]:
            agendas = agendas.filter(target_case=data["target"])
        if data["supervision"]:
            agendas = agendas.filter(supervision=data["supervision"])
        if data["problem"]:
            agendas = agendas.addressing(self.problems[data["problem"]])
        if data["band"]:
            agendas = agendas.filter(BANDS_BY_SLUG[data["band"]].q("shown_score"))
        if data["criterion"]:
            agendas = agendas.with_criterion_score(self.criteria[data["criterion"]])
            if data["min_score"] is not None:
                agendas = agendas.filter(criterion_score__gte=float(data["min_score"]))
        return agendas.order_by(*self.ordering())

    def ordering(self) -> list[Any]:
        by: dict[str, list[Any]] = {
            "score": [_desc("shown_score")],
            "criterion": [_desc("criterion_score")],
            "critiques": ["-critique_count"],
            "fte": [_desc("fte_midpoint")],
        }
        return by.get(self.cleaned_data["sort"], []) + ["name", "pk"]

    @property
    def chosen_criterion(self) -> Any:
        return self.criteria.get(self.cleaned_data.get("criterion") or "")

    def active_filter_count(self) -> int:
        """How many filters narrow the list (the sort and the page do not)."""
        data = getattr(self, "cleaned_data", {})
        narrowing = (value for name, value in data.items() if name not in ("sort", "page"))
        return sum(1 for value in narrowing if value not in ("", None))


def _desc(name: str) -> OrderBy:
    return F(name).desc(nulls_last=True)


class ReaderWeightsForm(forms.Form):
    """A reader's own weight for each criterion, from the query string: ?w-<criterion
    slug>=0..5. Nothing is stored; the weights live in the address, so a ranking made with
    them can be shared. A criterion left out keeps its published weight."""

    PREFIX = "w-"
    field_prefixes = {PREFIX: WeightField(min_value=0)}  # for agendas.cache.key.reads_query

    def __init__(self, data: Any, criteria: Iterable[Any]) -> None:
        super().__init__(data)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[self.PREFIX + criterion.slug] = WeightField(
                label=criterion.name,
                required=False,
                min_value=0,
                max_value=READER_WEIGHT_MAX,
                help_text=f"published: {criterion.weight.normalize():f}",
                error_messages={
                    "invalid": f"The weight of “{criterion.name}” must be a whole number "
                    f"from 0 to {READER_WEIGHT_MAX}.",
                    "min_value": f"The weight of “{criterion.name}” must be a whole number "
                    f"from 0 to {READER_WEIGHT_MAX}.",
                    "max_value": f"The weight of “{criterion.name}” must be a whole number "
                    f"from 0 to {READER_WEIGHT_MAX}.",
                },
            )
            # The form starts from the published weight where it is a whole number.
            if criterion.weight == int(criterion.weight):
                self.fields[self.PREFIX + criterion.slug].initial = int(criterion.weight)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unknown = sorted(
            key.removeprefix(self.PREFIX)
            for key in self.data
            if key.startswith(self.PREFIX) and key not in self.fields
        )
        if unknown:
            names = ", ".join(f"“{slug}”" for slug in unknown)
            raise forms.ValidationError(
                f"There is no criterion {names} to weigh; the criteria page lists them."
            )
        if self.errors:
            return cleaned
        weights = self.weights
        if weights.is_custom and not any(weights.by_criterion.values()):
            raise forms.ValidationError(
                "At least one criterion needs a weight above 0, or no agenda has a score."
            )
        return cleaned

    @property
    def weights(self) -> Weights:
        """The weights in use (a scoring.Weights): the reader's, or the published ones."""
        chosen = {
            criterion.pk: self.cleaned_data[self.PREFIX + criterion.slug]
            for criterion in self.criteria
            if self.cleaned_data.get(self.PREFIX + criterion.slug) is not None
        }
        return Weights.chosen(self.criteria, chosen)

    def query_items(self) -> list[tuple[str, Any]]:
        """The (name, value) pairs that carry these weights in a link; none when published."""
        if not self.weights.is_custom:
            return []
        return [
            (name, self.cleaned_data[name])
            for name in self.fields
            if self.cleaned_data.get(name) is not None
        ]

    def rows(self) -> list[tuple[Any, forms.BoundField]]:
        """(criterion, bound field) pairs, in rubric order, for the weights table."""
        return [(criterion, self[self.PREFIX + criterion.slug]) for criterion in self.criteria]
