"""Agendas, the other names they go by, and the assumptions they rest on."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from agendas.links import slug_url
from agendas.markdown import validate_markdown
from agendas.models.base import (
    LONG_TEXT,
    LONGEST_TEXT,
    MEDIUM_TEXT,
    NAME,
    SHORT_TEXT,
    SLUG,
    SUMMARY,
    TITLE,
    Alias,
    MarkdownFields,
    SlugNaturalKey,
    max_lengths,
)
from agendas.models.catalogue import Area, Organisation, Problem, Source
from agendas.querysets import (
    AgendaQuerySet,
    AliasQuerySet,
    AssumptionQuerySet,
    RelianceQuerySet,
    TaggedAgendaQuerySet,
)
from agendas.scoring import Confidence


def today():
    return datetime.date.today()


class TaggedAgenda(TaggedItemBase):
    """Explicit through model, so tags are plain rows that fixtures can name by slug."""

    content_object = models.ForeignKey("Agenda", on_delete=models.CASCADE)

    objects = TaggedAgendaQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tag_once_per_agenda"),
        ]

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)

    natural_key.dependencies = ["agendas.agenda", "taggit.tag"]  # type: ignore[attr-defined]


class Agenda(MarkdownFields, SlugNaturalKey, models.Model):  # type: ignore[django-manager-missing]
    class Approach(models.TextChoices):
        ENGINEERING = "engineering", "Engineering"
        BEHAVIOURAL = "behavioural", "Behavioural science"
        COGNITIVE = "cognitive", "Cognitive science"
        MATHS_PHILOSOPHY = "maths-philosophy", "Maths / philosophy"

    class TargetCase(models.TextChoices):
        AVERAGE = "average", "Average case"
        PESSIMISTIC = "pessimistic", "Pessimistic case"
        WORST = "worst-case", "Worst case"
        MIXED = "mixed", "Mixed"

    class Supervision(models.TextChoices):
        RELIES = "relies", "Relies on human supervision"
        PARTLY = "partly", "Partly relies on human supervision"
        INDEPENDENT = "independent", "Does not rely on human supervision"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        DORMANT = "dormant", "Dormant"
        GRAVEYARD = "graveyard", "Graveyard"

    markdown_fields = ("description", "theory_of_change", "funders")

    name = models.CharField(max_length=NAME)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(
        max_length=SUMMARY, help_text="One sentence in our own words: what the agenda does."
    )
    description = models.TextField(
        blank=True,
        max_length=LONGEST_TEXT,
        validators=[validate_markdown],
        help_text="Markdown. What the work consists of, with links to its outputs.",
    )
    theory_of_change = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        validators=[validate_markdown],
        help_text="Markdown. How success here would make AI go well.",
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="agendas")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The agenda this one grew out of or refines (RLHF -> RLHF++ -> CAI).",
    )
    broad_approach = models.CharField(max_length=20, choices=Approach.choices, blank=True)
    target_case = models.CharField(max_length=20, choices=TargetCase.choices, blank=True)
    supervision = models.CharField(
        "dependence on human supervision",
        max_length=20,
        choices=Supervision.choices,
        blank=True,
        help_text="Whether the method still needs humans to judge outputs once models outrun them.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_as_of = models.DateField(
        "status as of", default=today, help_text="When the status was last checked."
    )
    status_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="What the status rests on (e.g. recent outputs, or a group's announcement).",
    )
    problems = models.ManyToManyField(
        Problem,
        blank=True,
        related_name="agendas",
        help_text="Orthodox problems it could help with.",
    )
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="agendas")
    people = models.TextField(
        blank=True, max_length=SHORT_TEXT, help_text="Key people, comma-separated."
    )
    people_as_of = models.DateField(
        "people and organisations as of",
        null=True,
        blank=True,
        help_text="When the people and organisations above were last known to work on it.",
    )
    people_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the list of people and organisations comes from.",
    )
    funders = models.TextField(
        blank=True,
        max_length=MEDIUM_TEXT,
        validators=[validate_markdown],
        help_text="Markdown. Who funds the work, as reported.",
    )
    fte_low = models.PositiveIntegerField(
        "FTE estimate (low)", null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    fte_high = models.PositiveIntegerField(
        "FTE estimate (high)", null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    fte_text = models.CharField(
        "FTE estimate as given",
        max_length=100,
        blank=True,
        help_text="The estimate as the source wrote it.",
    )
    fte_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fte_date = models.DateField("FTE estimate date", null=True, blank=True)
    sources = models.ManyToManyField(
        Source, blank=True, related_name="agendas", help_text="Its outputs, and what we cite."
    )
    tags = TaggableManager(blank=True, through=TaggedAgenda)
    critiques_searched = models.DateField(
        "critiques searched for on",
        null=True,
        blank=True,
        help_text="When the editors last searched the published literature for critiques of "
        "this agenda. The page says which voices were found as of this date.",
    )

    # Derived: written only by agendas/scoring.py, from the ratings and the criteria weights.
    overall_score = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Weighted mean of the per-criterion means; empty when unrated.",
    )
    score_confidence = models.CharField(
        max_length=10, choices=Confidence.choices, blank=True, editable=False
    )
    disagreement = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The largest gap between two assessors on one criterion.",
    )

    description_html = models.TextField(blank=True, editable=False)
    theory_of_change_html = models.TextField(blank=True, editable=False)
    funders_html = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AgendaQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "created",
            "updated",
            "overall_score",
            "score_confidence",
            "disagreement",
            "description_html",
            "theory_of_change_html",
            "funders_html",
        ]
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte_low__isnull=True)
                | Q(fte_high__isnull=True)
                | Q(fte_low__lte=models.F("fte_high")),
                name="agenda_fte_range_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="agenda_not_its_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(people="") | Q(people_as_of__isnull=False),
                name="agenda_people_dated",
            ),
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True)
                | (Q(overall_score__gte=1) & Q(overall_score__lte=5)),
                name="agenda_overall_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(score_confidence__in=["", *Confidence.values]),
                name="agenda_score_confidence_known",
            ),
            *max_lengths(
                "agenda",
                slug=SLUG,
                name=NAME,
                summary=SUMMARY,
                description=LONGEST_TEXT,
                theory_of_change=LONG_TEXT,
                people=SHORT_TEXT,
                funders=MEDIUM_TEXT,
                fte_text=100,
            ),
        ]
        indexes = [
            # The agenda list sorts by score, best first; the home page ranks within areas.
            models.Index(fields=["-overall_score", "name"], name="agenda_by_score"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("agendas:agenda_detail", self.slug)

    @property
    def people_list(self):
        return [name.strip() for name in self.people.split(",") if name.strip()]


class AgendaAlias(Alias):
    """Another name an agenda is known by, used by importers to merge instead of duplicate."""

    target = "agenda"

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="aliases")

    objects = AliasQuerySet.as_manager()

    class Meta(Alias.Meta):
        verbose_name_plural = "agenda aliases"

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["agendas.agenda"]  # type: ignore[attr-defined]


class Assumption(MarkdownFields, SlugNaturalKey, models.Model):
    markdown_fields = ("description",)

    statement = models.CharField(max_length=TITLE, help_text="Stated so that it can fail.")
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        validators=[validate_markdown],
        help_text="Markdown. What would make it false.",
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the assumption is stated or argued, when it is attributed to someone.",
    )
    description_html = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AssumptionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created", "updated", "description_html"])

    class Meta:
        ordering = ["statement"]
        constraints = [
            *max_lengths("assumption", slug=SLUG, statement=TITLE, description=LONG_TEXT)
        ]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return slug_url("agendas:assumption_detail", self.slug)


class AssumptionAlias(Alias):
    """Another wording of an assumption, such as the Shallow Review's, so that its importer
    links agendas to the shipped assumption instead of adding a duplicate. An imported
    statement matches when it equals the alias or starts with it (whole words), so a long
    wording can be named by its first few words."""

    target = "assumption"

    assumption = models.ForeignKey(Assumption, on_delete=models.CASCADE, related_name="aliases")

    objects = AliasQuerySet.as_manager()

    class Meta(Alias.Meta):
        verbose_name_plural = "assumption aliases"

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["agendas.assumption"]  # type: ignore[attr-defined]


class Reliance(models.Model):
    """How much one agenda rests on one assumption, and why."""

    class Load(models.IntegerChoices):
        MINOR = 1, "Minor"
        SIGNIFICANT = 2, "Significant"
        CRITICAL = 3, "Critical"

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="reliances")
    assumption = models.ForeignKey(Assumption, on_delete=models.PROTECT, related_name="reliances")
    load = models.PositiveSmallIntegerField(
        "how load-bearing", choices=Load.choices, help_text="Critical: the agenda fails without it."
    )
    reason = models.TextField(
        max_length=SHORT_TEXT, help_text="Why the agenda needs this assumption."
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    objects = RelianceQuerySet.as_manager()

    class Meta:
        ordering = ["-load", "assumption__statement"]
        constraints = [
            models.UniqueConstraint(fields=["agenda", "assumption"], name="reliance_once_per_pair"),
            models.CheckConstraint(
                condition=Q(load__gte=1) & Q(load__lte=3), name="reliance_load_1_to_3"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="reliance_reason_required"),
            *max_lengths("reliance", reason=SHORT_TEXT),
        ]
        indexes = [
            # The assumption list counts, for every assumption, the agendas resting on it
            # and those resting on it critically: index-only scans with this index.
            models.Index(fields=["assumption", "load"], name="reliance_assumption_load"),
        ]

    def __str__(self):
        return f"{self.agenda} rests on {self.assumption}"

    def natural_key(self):
        return (self.agenda.slug, self.assumption.slug)

    natural_key.dependencies = ["agendas.agenda", "agendas.assumption"]  # type: ignore[attr-defined]
