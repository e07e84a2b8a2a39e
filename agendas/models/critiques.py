"""Critiques: moderated arguments against an agenda, each credited and sourced.

A critique moves submitted -> published | rejected. What is published is exactly the
version an editor reviewed: every change to what a critique says increases its
`revision`, a published row must carry `reviewed_revision == revision` (a database
constraint), and a change nobody reviewed sends it back to review.

A critique the Shallow Review merely links to, which no editor has read yet, is `linked`:
public, shown as "linked by the Shallow Review, not yet summarised", with no severity, kind
or review claimed. An editor who summarises and assesses one publishes it like any other.

Every assessed critique says whose voice it is (people outside the agenda, the agenda's own
people, or the editors), what its summary rests on (the full text, parts of it, the abstract,
or another work's account of it) and how confident the editors are in its severity.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agendas.links import slug_url
from agendas.markdown import validate_markdown
from agendas.models.agendas import Agenda, Assumption
from agendas.models.base import (
    LONG_TEXT,
    LONGEST_TEXT,
    SLUG,
    TITLE,
    MarkdownFields,
    SlugNaturalKey,
    max_lengths,
)
from agendas.models.catalogue import Source
from agendas.querysets import CONTENT_FIELDS, CritiqueQuerySet
from agendas.scoring import Confidence


class Critique(MarkdownFields, SlugNaturalKey, models.Model):
    class Kind(models.TextChoices):
        SCALABILITY = "scalability", "Scalability"
        TRACTABILITY = "tractability", "Tractability"
        THEORY_OF_CHANGE = "theory-of-change", "Theory of change"
        EVIDENCE = "evidence", "Evidence"
        SAFETY = "safety", "Side effects / safety"
        OTHER = "other", "Other"

    class Severity(models.IntegerChoices):
        MINOR = 1, "Minor"
        MODERATE = 2, "Moderate"
        MAJOR = 3, "Major"
        FATAL = 4, "Fatal if true"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"
        LINKED = "linked", "Linked by the Shallow Review, not yet summarised"

    class Voice(models.TextChoices):
        OUTSIDE = "outside", "From outside the agenda"
        OWN = "own", "From the agenda's own people"
        EDITORS = "editors", "The editors' own analysis"

    class Basis(models.TextChoices):
        FULL_TEXT = "full-text", "the full text"
        EXCERPTS = "excerpts", "parts of the full text"
        ABSTRACT = "abstract", "the abstract only"
        ACCOUNT = "account", "another work's account of it"

    DECISIONS = (Status.PUBLISHED, Status.REJECTED)
    # How the editors' own analysis is credited (tests/content_rules.py checks the fixtures).
    EDITORS_CREDIT = "Alignment Agendas editors"
    # What an assessed critique must say beyond its argument, and what a linked one may not.
    ASSESSMENT_FIELDS = ("kind", "severity", "severity_confidence", "voice", "basis")

    markdown_fields = ("body", "response")

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="critiques")
    assumption = models.ForeignKey(
        Assumption,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="critiques",
        help_text="Optional: the assumption of this agenda the critique attacks.",
    )
    title = models.CharField(max_length=TITLE)
    slug = models.SlugField(max_length=200, unique=True)
    body = models.TextField(
        blank=True,
        max_length=LONGEST_TEXT,
        validators=[validate_markdown],
        help_text="Markdown. The argument, in our words, with attribution. "
        "Empty only while the critique is merely linked.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, null=True, blank=True)
    severity_confidence = models.CharField(
        "confidence in the severity",
        max_length=10,
        choices=Confidence.choices,
        blank=True,
        help_text="How sure the editors are of the severity they gave.",
    )
    voice = models.CharField(
        "whose voice",
        max_length=10,
        choices=Voice.choices,
        blank=True,
        help_text="Outside: people not working on the agenda. Own: the agenda's people stating "
        "a limitation or open problem. Editors: our own analysis, credited to the editors and "
        "citing what it rests on.",
    )
    basis = models.CharField(
        "summary rests on",
        max_length=10,
        choices=Basis.choices,
        blank=True,
        help_text="What the editors read to write the summary. It never claims more than that "
        "text supports.",
    )
    basis_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="critiques_read_through",
        help_text="When the summary rests on another work's account: that work.",
    )
    author = models.CharField(
        "credited author",
        max_length=TITLE,
        blank=True,
        help_text="Whose argument this is (a person or document). Empty only while the "
        "critique is merely linked and its author is not known.",
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="critiques"
    )
    response = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        validators=[validate_markdown],
        help_text="Markdown. The proponents' reply, if any.",
    )
    response_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    revision = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up with every change to what it says."
    )
    reviewed_revision = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="The revision the decision was made on."
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_critiques",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_critiques",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    body_html = models.TextField(blank=True, editable=False)
    response_html = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CritiqueQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["created", "updated", "body_html", "response_html"]
    )

    class Meta:
        ordering = [models.F("severity").desc(nulls_last=True), "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__isnull=True) | (Q(severity__gte=1) & Q(severity__lte=4)),
                name="critique_severity_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "published", "rejected", "linked"]),
                name="critique_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "linked"]) | Q(reviewed_at__isnull=False),
                name="critique_reviewed_when_decided",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(reviewed_revision=models.F("revision")),
                name="critique_published_as_reviewed",
            ),
            # A linked critique claims nothing an editor has not assessed.
            models.CheckConstraint(
                condition=~Q(status="linked")
                | Q(
                    severity__isnull=True,
                    kind="",
                    severity_confidence="",
                    voice="",
                    basis="",
                    basis_source__isnull=True,
                    reviewed_at__isnull=True,
                ),
                name="critique_linked_claims_nothing",
            ),
            models.CheckConstraint(
                condition=Q(status="linked")
                | (Q(severity__isnull=False) & ~Q(kind="") & ~Q(body="") & ~Q(author="")),
                name="critique_assessed_unless_linked",
            ),
            # Only what is published must say whose voice it is and what it rests on: rows
            # from before these fields existed wait in review until an editor adds them.
            models.CheckConstraint(
                condition=~Q(status="published")
                | (~Q(severity_confidence="") & ~Q(voice="") & ~Q(basis="")),
                name="critique_published_says_voice_and_basis",
            ),
            models.CheckConstraint(
                condition=Q(severity_confidence__in=["", *Confidence.values]),
                name="critique_severity_confidence_known",
            ),
            models.CheckConstraint(
                condition=Q(voice__in=["", "outside", "own", "editors"]),
                name="critique_voice_known",
            ),
            models.CheckConstraint(
                condition=Q(basis__in=["", "full-text", "excerpts", "abstract", "account"]),
                name="critique_basis_known",
            ),
            # "Another work's account" names that work; no other basis needs one.
            models.CheckConstraint(
                condition=(Q(basis="account") & Q(basis_source__isnull=False))
                | (~Q(basis="account") & Q(basis_source__isnull=True)),
                name="critique_account_names_its_work",
            ),
            *max_lengths(
                "critique",
                slug=SLUG,
                title=TITLE,
                body=LONGEST_TEXT,
                author=TITLE,
                response=LONG_TEXT,
            ),
        ]
        indexes = [
            # The public pages list published critiques newest first.
            models.Index(fields=["status", "-reviewed_at"], name="critique_published_recent"),
            # Counts per agenda and state (the agenda list, an agenda's page) from the
            # index alone. PostgreSQL also has critique_public_newest (migration 0013).
            models.Index(fields=["agenda", "status"], name="critique_agenda_status"),
        ]
        permissions = [("moderate_critique", "Can publish or reject critiques")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        decided = getattr(self, "_decided", False)
        if self._state.adding:
            # Whoever creates a critique already decided on (an editor, an importer) decided
            # on this text.
            decided = decided or self.status in self.DECISIONS
        else:
            changed = self._stored_content() not in (None, self._content())
            if changed:
                self.revision += 1
            # Setting a decision's status is deciding on the version being saved; a change
            # to a published critique that nobody decided on sends it back to review.
            decided = decided or (
                self.status in self.DECISIONS and self.status != self._stored_status()
            )
            if changed and not decided and self.status == self.Status.PUBLISHED:
                self.decide(self.Status.SUBMITTED, None)
        if decided:
            self.reviewed_revision = self.revision
        super().save(*args, **kwargs)
        self._decided = False
        self._loaded_content, self._loaded_status = self._content(), self.status

    def get_absolute_url(self):
        return slug_url("agendas:critique_detail", self.slug)

    def clean(self):
        if self.status == self.Status.LINKED:
            return
        required = {
            "body": (self.body, "Write the argument in our own words before it can be reviewed."),
            "kind": (self.kind, "Say what kind of critique this is."),
            "severity": (self.severity, "Say how severe the critique is, if it holds."),
            "severity_confidence": (
                self.severity_confidence,
                "Say how confident the editors are in that severity.",
            ),
            "voice": (self.voice, "Say whose voice this is."),
            "basis": (self.basis, "Say what the summary rests on."),
            "author": (self.author, "Credit whose argument this is."),
        }
        errors = {name: message for name, (value, message) in required.items() if not value}
        if self.basis == self.Basis.ACCOUNT and self.basis_source_id is None:
            errors["basis_source"] = "Name the work whose account the summary rests on."
        if self.basis != self.Basis.ACCOUNT and self.basis_source_id is not None:
            errors["basis_source"] = "Only a summary resting on another work's account names one."
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_linked(self):
        return self.status == self.Status.LINKED

    @property
    def is_answered(self):
        return bool(self.response)

    def decide(self, status, user, when=None):
        """Record an editor's decision on the version as it will be saved."""
        self.status = status
        if status in (self.Status.SUBMITTED, self.Status.LINKED):
            self.reviewed_by = self.reviewed_at = self.reviewed_revision = None
        else:
            self.reviewed_by, self.reviewed_at = user, when or timezone.now()
            self._decided = True

    @classmethod
    def from_db(cls, db, field_names, values):
        critique = super().from_db(db, field_names, values)
        critique._loaded_content = critique._content()
        critique._loaded_status = critique.__dict__.get("status")
        return critique

    def _content(self):
        """What the critique says, or None when some of it was not loaded (.only())."""
        loaded = self.__dict__
        if any(name not in loaded for name in CONTENT_FIELDS):
            return None
        return tuple(loaded[name] for name in CONTENT_FIELDS)

    def _stored_status(self):
        if getattr(self, "_loaded_status", None) is None and self.pk is not None:
            self._loaded_status = (
                type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
        return self._loaded_status

    def _stored_content(self):
        loaded = getattr(self, "_loaded_content", None)
        if loaded is None and self.pk is not None:
            row = type(self).objects.filter(pk=self.pk).values_list(*CONTENT_FIELDS).first()
            loaded = tuple(row) if row else None
        return loaded
