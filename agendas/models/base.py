"""What every model shares: natural keys by slug, web-only links and length limits."""

from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# Pages link to stored URLs, so only web links are accepted (also enforced in the database).
web_link = URLValidator(schemes=["http", "https"])
WEB_LINK = Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://")

# Length limits of person-written text. Each is a field's max_length (which the admin's
# forms enforce) and a named CheckConstraint (SQLite enforces no varchar length and a
# TextField has none), so no path can store a longer text. The longest limits keep one
# Markdown field's rendering far under a millisecond of parsing per kilobyte.
SLUG = 200  # every SlugField's max_length
NAME = 200
TITLE = 300
SUMMARY = 400
SHORT_TEXT = 2_000
MEDIUM_TEXT = 4_000
LONG_TEXT = 10_000
LONGEST_TEXT = 20_000


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
