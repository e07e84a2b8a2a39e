"""Readers' suggestions: a correction or a critique, sent without an account.

Nothing a reader sends is ever shown on a public page: an editor reads it in the admin and,
if it holds, turns it into content there (a critique, an edit) and marks it used. The
sender's address is kept only as a keyed digest, for the rate limit; an email address, when
given, is shown only to editors.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from agendas.models.agendas import Agenda
from agendas.models.base import MEDIUM_TEXT, SHORT_TEXT, max_lengths, web_link

PAGE = 500  # the path of the page a suggestion came from
SENDER = 64  # a hex digest


class SuggestionQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(status=Suggestion.Status.NEW)

    def sent_since(self, sender, since):
        return self.filter(sender=sender, created__gte=since)


class Suggestion(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "A correction (something stale or wrong)"
        CRITIQUE = "critique", "A critique we should summarise"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        NEW = "new", "New"
        USED = "used", "Used: turned into content"
        DISMISSED = "dismissed", "Dismissed"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        max_length=MEDIUM_TEXT, help_text="What the reader says, as sent. Never shown publicly."
    )
    source_url = models.URLField(
        "source link",
        max_length=1000,
        blank=True,
        validators=[web_link],
        help_text="Where the reader's claim can be checked.",
    )
    email = models.EmailField(
        blank=True, help_text="Optional, for a question back. Shown to editors only."
    )
    agenda = models.ForeignKey(
        Agenda,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text="The agenda whose page it was sent from, if any.",
    )
    page = models.CharField(max_length=PAGE, help_text="The page it was sent from.")
    sender = models.CharField(
        max_length=SENDER,
        editable=False,
        help_text="A keyed digest of the sender's address, for the rate limit only.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    note = models.TextField(
        "editors' note",
        blank=True,
        max_length=SHORT_TEXT,
        help_text="What was done with it (e.g. the critique it became).",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "used", "dismissed"]), name="suggestion_status_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["correction", "critique", "other"]),
                name="suggestion_kind_known",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="suggestion_text_required"),
            models.CheckConstraint(
                condition=Q(source_url="")
                | Q(source_url__startswith="http://")
                | Q(source_url__startswith="https://"),
                name="suggestion_source_is_web_link",
            ),
            *max_lengths(
                "suggestion",
                text=MEDIUM_TEXT,
                source_url=1000,
                email=254,
                page=PAGE,
                note=SHORT_TEXT,
            ),
        ]
        indexes = [
            # The rate limit counts one sender's recent suggestions.
            models.Index(fields=["sender", "created"], name="suggestion_sender_recent"),
            # The moderation queue lists new ones, newest first.
            models.Index(fields=["status", "-created"], name="suggestion_queue"),
        ]
        permissions = [("handle_suggestion", "Can mark readers' suggestions used or dismissed")]

    def __str__(self):
        where = self.agenda.name if self.agenda_id else "the site"
        return f"{self.get_kind_display()} on {where}, {self.created:%Y-%m-%d}"

    def validate_constraints(self, exclude=None):
        # The form's fields check lengths, choices and links before the database refuses
        # them; asking the database again for each constraint would cost a public post
        # eighteen queries.
        pass
