"""The scalability rubric, who rates against it, their ratings, and the scores derived
from them (stored by agendas/scoring.py, never written anywhere else)."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords

from agendas.links import slug_url
from agendas.models.agendas import Agenda
from agendas.models.base import (
    MEDIUM_TEXT,
    NAME,
    SHORT_TEXT,
    SLUG,
    SUMMARY,
    SlugNaturalKey,
    max_lengths,
)
from agendas.models.catalogue import Source
from agendas.querysets import (
    AssessorQuerySet,
    CriterionQuerySet,
    CriterionScoreQuerySet,
    RatingQuerySet,
)
from agendas.scoring import Confidence

# A rationale opens "Level N: " and one sentence giving the reason (tests/content_rules.py).
LEVEL_PREFIX = re.compile(r"^\s*level\s*\d\s*[:.]\s*", re.IGNORECASE)
FIRST_SENTENCE = re.compile(r"(.+?[.!?])(?=\s+[A-Z(“\"]|\s*$)", re.DOTALL)
REASON_LINE = 200


class Criterion(SlugNaturalKey, models.Model):
    """One question of the scalability rubric."""

    name = models.CharField(max_length=NAME)
    slug = models.SlugField(max_length=200, unique=True)
    question = models.CharField(max_length=SUMMARY)
    guidance_1 = models.TextField("what a 1 means", max_length=SHORT_TEXT)
    guidance_2 = models.TextField("what a 2 means", max_length=SHORT_TEXT)
    guidance_3 = models.TextField("what a 3 means", max_length=SHORT_TEXT)
    guidance_4 = models.TextField("what a 4 means", max_length=SHORT_TEXT)
    guidance_5 = models.TextField("what a 5 means", max_length=SHORT_TEXT)
    weight = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Relative weight in the overall score (the published weights).",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            *max_lengths(
                "criterion",
                slug=SLUG,
                name=NAME,
                question=SUMMARY,
                guidance_1=SHORT_TEXT,
                guidance_2=SHORT_TEXT,
                guidance_3=SHORT_TEXT,
                guidance_4=SHORT_TEXT,
                guidance_5=SHORT_TEXT,
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("agendas:criterion_detail", self.slug)

    @property
    def guidance(self):
        return [(score, getattr(self, f"guidance_{score}")) for score in range(1, 6)]


class Assessor(SlugNaturalKey, models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        DOCUMENT = "document", "A document, read by the editors"
        EDITORS = "editors", "The editors"
        EXTERNAL = "external", "A public rater, mapped onto our rubric by the editors"

    name = models.CharField(max_length=NAME)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    viewpoint = models.TextField(
        max_length=MEDIUM_TEXT, help_text="Where this assessor is coming from, in a few sentences."
    )
    mapping_rule = models.TextField(
        blank=True,
        max_length=MEDIUM_TEXT,
        help_text="For a public rater: how its published levels became scores on our criteria, "
        "and which of its entries were matched to which agendas. Shown to readers.",
    )
    caveats = models.TextField(
        blank=True,
        max_length=MEDIUM_TEXT,
        help_text="What readers must know wherever these scores appear. Shown with every score.",
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = AssessorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="external") | (~Q(mapping_rule="") & ~Q(caveats="")),
                name="assessor_external_rule_and_caveats",
            ),
            *max_lengths(
                "assessor",
                slug=SLUG,
                name=NAME,
                viewpoint=MEDIUM_TEXT,
                mapping_rule=MEDIUM_TEXT,
                caveats=MEDIUM_TEXT,
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_external(self):
        return self.kind == self.Kind.EXTERNAL


class Rating(models.Model):
    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings")
    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (poor) to 5 (strong); see the criterion's guidance.",
    )
    confidence = models.CharField(
        max_length=10,
        choices=Confidence.choices,
        help_text="Low: rated from a summary and a few titles. Medium: from the outputs "
        "themselves. High: from a body of results, critiques included, that agree.",
    )
    rationale = models.TextField(
        max_length=MEDIUM_TEXT,
        help_text="Why this score: name the rubric level and what in the source supports it.",
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(help_text="When the assessment was made.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RatingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        ordering = ["criterion__order", "assessor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "criterion", "assessor"], name="rating_once_per_assessor"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="rating_confidence_known"
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="rating_rationale_required"),
            *max_lengths("rating", rationale=MEDIUM_TEXT),
        ]

    def __str__(self):
        return f"{self.assessor} rates {self.agenda} {self.score}/5 on {self.criterion}"

    @classmethod
    def from_db(cls, db, field_names, values):
        rating = super().from_db(db, field_names, values)
        # A rating moved to another agenda changes the scores of both (agendas/changes.py).
        rating._loaded_agenda_id = rating.__dict__.get("agenda_id")
        return rating

    @property
    def reason_line(self):
        """The rationale's one-line reason: its first sentence after "Level N:"."""
        text = LEVEL_PREFIX.sub("", self.rationale, count=1)
        first = FIRST_SENTENCE.match(text)
        return first.group(1) if first else Truncator(text).chars(REASON_LINE)

    def natural_key(self):
        return (self.agenda.slug, self.criterion.slug, self.assessor.slug)

    natural_key.dependencies = ["agendas.agenda", "agendas.criterion", "agendas.assessor"]  # type: ignore[attr-defined]


class CriterionScore(models.Model):
    """Derived: one agenda's mean over assessors on one criterion. Written only by
    agendas/scoring.py whenever ratings change, so pages and exports read it, never
    recompute it."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="criterion_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    mean = models.FloatField()
    spread = models.PositiveSmallIntegerField(help_text="Highest minus lowest score.")
    rating_count = models.PositiveSmallIntegerField()
    confidence = models.CharField(max_length=10, choices=Confidence.choices)

    # Pages show these rows: a bulk write to them, even outside scoring, makes pages stale.
    objects = CriterionScoreQuerySet.as_manager()

    class Meta:
        ordering = ["criterion__order", "criterion__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "criterion"], name="criterion_score_once_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(mean__gte=1) & Q(mean__lte=5), name="criterion_score_mean_1_to_5"
            ),
        ]
        indexes = [
            # Rankings on one criterion (the criterion page, the list's criterion sort).
            models.Index(fields=["criterion", "-mean"], name="criterion_score_ranking"),
        ]

    def __str__(self):
        return f"{self.agenda} on {self.criterion}: {self.mean:.2f}"
