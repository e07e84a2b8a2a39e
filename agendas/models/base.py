"""What every model shares: natural keys by slug, web-only links and length limits."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.db.models.signals import class_prepared
from django.utils.deconstruct import deconstructible

# Pages link to stored URLs, so only web links are accepted (also enforced in the database).
web_link = URLValidator(schemes=["http", "https"])
WEB_LINK = Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://")

# Length limits of person-written text. Each is a field's max_length (which the admin's
# forms enforce) and a named CheckConstraint (SQLite enforces no varchar length and a
# TextField has none), so no path can store a longer text. The longest limits keep one
# Markdown field's worst-case rendering short (docs/performance.md, "Markdown").
SLUG = 200  # every SlugField's max_length
NAME = 200
TITLE = 300
SUMMARY = 400
SHORT_TEXT = 2_000
MEDIUM_TEXT = 4_000
LONG_TEXT = 10_000
LONGEST_TEXT = 20_000


# C0 control characters other than tab, line feed and carriage return (browsers send line
# breaks as CR LF): invisible in the admin, and XML 1.0, so an Atom feed, cannot carry them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@deconstructible(path="agendas.models.base.NoControlCharacters")
class NoControlCharacters:
    """Refuses text holding a control character, naming it and where it is."""

    def __call__(self, value):
        found = CONTROL_CHARACTERS.search(value) if isinstance(value, str) else None
        if found:
            raise ValidationError(
                "Remove the invisible control character U+%(code)04X (character %(position)d): "
                "only tabs and line breaks may be used.",
                code="control_character",
                params={"code": ord(found.group()), "position": found.start() + 1},
            )

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters)


no_control_characters = NoControlCharacters()


def without_control_characters(text):
    """`text` with the characters NoControlCharacters refuses removed (for rows stored before
    it existed, and text from elsewhere, such as taggit's tags)."""
    return CONTROL_CHARACTERS.sub("", text) if isinstance(text, str) else text


def _refuse_control_characters(sender, **kwargs):
    """Every text field of the app's models gets the validator, so the admin's forms and the
    importers (which call full_clean) refuse such text with a message; a new field cannot
    be forgotten. tests/test_control_characters.py checks every field has it."""
    # simple-history puts its models in the module "agendas"; a migration's models are in
    # "__fake__" and built from the migration's own state.
    ours = sender.__module__ == "agendas" or sender.__module__.startswith("agendas.")
    if sender._meta.app_label != "agendas" or not ours:
        return
    for field in sender._meta.local_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            if no_control_characters not in field._validators:
                # A new list: fields inherited from an abstract model share the parent's.
                field._validators = [*field._validators, no_control_characters]
            # CharField reads `validators` (a cached property) when it is created.
            field.__dict__.pop("validators", None)


class_prepared.connect(_refuse_control_characters, dispatch_uid="agendas-no-control-characters")


def max_lengths(model_name, **limits):
    """One CheckConstraint per field, named <model>_<field>_max_length."""
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(field), limit),
            name=f"{model_name}_{field}_max_length",
        )
        for field, limit in limits.items()
    ]


class SlugNaturalKey:
    """Fixtures and exports name rows by slug, so they load anywhere without pk clashes."""

    def natural_key(self):
        return (self.slug,)


class MarkdownFields:
    """Models with person-written Markdown: each field in `markdown_fields` has a
    `<field>_html` sibling holding its sanitised HTML, rendered whenever the row is written
    (agendas/changes.py), so no request ever parses Markdown."""

    markdown_fields: tuple[str, ...] = ()

    def save(self, *args, update_fields=None, **kwargs):
        # A save limited to some fields still writes the HTML of the Markdown among them
        # (the pre_save receiver renders it; this makes sure it is written).
        if update_fields is not None:
            update_fields = set(update_fields)
            update_fields |= {
                f"{name}_html" for name in self.markdown_fields if name in update_fields
            }
        super().save(*args, update_fields=update_fields, **kwargs)

    def render_markdown_fields(self):
        from agendas.markdown import render_markdown

        for name in self.markdown_fields:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)))


class Alias(models.Model):
    """Another name of a row (an agenda, an area, an assumption), so that importers merge into
    it instead of adding a duplicate. Subclasses add the foreign key named by `target`."""

    target = ""

    name = models.CharField(max_length=NAME, unique=True, help_text="Matched case-insensitively.")

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [*max_lengths("%(class)s", name=NAME)]

    def __str__(self):
        return f"{self.name} → {getattr(self, self.target)}"

    def natural_key(self):
        return (self.name,)
