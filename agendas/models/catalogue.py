"""The map and the references: areas of the taxonomy, davidad's problems, sources,
organisations and sourced figures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from agendas.links import slug_url
from agendas.models.base import (
    NAME,
    SHORT_TEXT,
    SLUG,
    WEB_LINK,
    Alias,
    SlugNaturalKey,
    max_lengths,
    web_link,
)
from agendas.querysets import (
    AliasQuerySet,
    AreaQuerySet,
    OrganisationQuerySet,
    ProblemQuerySet,
    SlugQuerySet,
    SourceQuerySet,
)

AREA_DESCRIPTION = 500
SOURCE_TITLE = 500
SOURCE_AUTHORS = 1000


class Area(SlugNaturalKey, models.Model):
    """A node of the one taxonomy tree: a section or sub-section of the Shallow Review 2025's
    map, described in our own words."""

    name = models.CharField(max_length=NAME)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(
        blank=True,
        max_length=AREA_DESCRIPTION,
        help_text="One sentence in our own words, shown on the home page and the area filter.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The broader area this one sits in; empty for a top-level area.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position among its siblings.")

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="area_not_its_own_parent"
            ),
            *max_lengths("area", slug=SLUG, name=NAME, description=AREA_DESCRIPTION),
        ]

    def __str__(self):
        return self.name

    @property
    def top_level(self):
        """The top-level area this one belongs to (itself when it is one); needs parent loaded."""
        return self.parent or self


class AreaAlias(Alias):
    """Another name of an area: an older section name (Shallow Review 2023, 2024) or one of
    our earlier area names. Importers merge into the area instead of growing a second tree."""

    target = "area"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="aliases")

    objects = AliasQuerySet.as_manager()

    class Meta(Alias.Meta):
        verbose_name_plural = "area aliases"

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["agendas.area"]  # type: ignore[attr-defined]


class Problem(models.Model):
    """One of davidad's 13 'orthodox problems' of alignment."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=NAME, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(
        blank=True, max_length=SHORT_TEXT, help_text="Our short explanation of the problem."
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=13), name="problem_number_1_to_13"
            ),
            *max_lengths("problem", slug=SLUG, name=NAME, description=SHORT_TEXT),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("agendas:problem_list") + f"#problem-{self.number}"

    def natural_key(self):
        return (self.number,)


class Source(SlugNaturalKey, models.Model):
    class Kind(models.TextChoices):
        PAPER = "paper", "Paper"
        POST = "post", "Post"
        REPORT = "report", "Report"
        TALK = "talk", "Talk"
        DATASET = "dataset", "Dataset"
        WEB = "web", "Web page"

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=SOURCE_TITLE)
    url = models.URLField(max_length=1000, blank=True, validators=[web_link])
    authors = models.CharField(max_length=SOURCE_AUTHORS, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    published = models.DateField(
        null=True, blank=True, help_text="Date of publication, whenever it is known."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PAPER)
    note = models.TextField(
        blank=True, max_length=SHORT_TEXT, help_text="What in the source supports our claims."
    )
    is_approved = models.BooleanField(
        "approved",
        default=True,
        help_text="A source a contributor adds stays off the public site until an editor "
        "approves it or a published critique cites it.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | (Q(year__gte=1900) & Q(year__lte=2100)),
                name="source_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(published__isnull=True) | Q(year__isnull=False),
                name="source_dated_has_year",
            ),
            # Pages link to this URL: only web links, never javascript: or data:.
            models.CheckConstraint(condition=WEB_LINK, name="source_url_is_web_link"),
            *max_lengths(
                "source",
                slug=SLUG,
                title=SOURCE_TITLE,
                authors=SOURCE_AUTHORS,
                url=1000,
                note=SHORT_TEXT,
            ),
        ]

    def __str__(self):
        return self.title


class Organisation(SlugNaturalKey, models.Model):
    class Kind(models.TextChoices):
        LAB = "lab", "AI company"
        NONPROFIT = "nonprofit", "Non-profit"
        ACADEMIC = "academic", "Academic"
        GOVERNMENT = "government", "Government"
        FUNDER = "funder", "Funder"
        OTHER = "other", "Other"

    name = models.CharField(max_length=NAME, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(max_length=500, blank=True, validators=[web_link])
    description = models.TextField(
        blank=True, max_length=SHORT_TEXT, help_text="What it is and does, as of the date below."
    )
    as_of = models.DateField(
        "description as of",
        null=True,
        blank=True,
        help_text="When the description was last true; required with a description.",
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the description's claims come from.",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=WEB_LINK, name="organisation_url_is_web_link"),
            models.CheckConstraint(
                condition=Q(description="") | Q(as_of__isnull=False),
                name="organisation_description_dated",
            ),
            *max_lengths("organisation", slug=SLUG, name=NAME, url=500, description=SHORT_TEXT),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("agendas:organisation_detail", self.slug)


class Figure(SlugNaturalKey, models.Model):
    """A sourced number or range, with its date, e.g. researchers worldwide."""

    class Kind(models.TextChoices):
        ALIGNMENT = "alignment", "Alignment researchers"
        CAPABILITIES = "capabilities", "ML / capabilities researchers"
        STAFF = "staff", "Total staff"
        ESTIMATE = "estimate", "Other estimate"

    slug = models.SlugField(max_length=200, unique=True)
    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="figures",
        help_text="Empty for a worldwide figure.",
    )
    value_low = models.DecimalField(max_digits=12, decimal_places=2)
    value_high = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Empty for a point value."
    )
    unit = models.CharField(max_length=50, default="people")
    as_of = models.DateField(help_text="When the figure was true (or published).")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figures")
    note = models.TextField(blank=True, max_length=SHORT_TEXT)
    dispute = models.TextField(
        blank=True,
        max_length=SHORT_TEXT,
        help_text="Filled in when the figure is disputed: by whom and why.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_high__isnull=True) | Q(value_high__gte=models.F("value_low")),
                name="figure_range_ordered",
            ),
            *max_lengths(
                "figure", slug=SLUG, label=300, unit=50, note=SHORT_TEXT, dispute=SHORT_TEXT
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_disputed(self):
        return bool(self.dispute)
