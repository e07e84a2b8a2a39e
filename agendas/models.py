"""The domain: agendas in a taxonomy, what they assume, how they are criticised and rated.

Integrity rule: nothing a person wrote disappears by accident. Foreign keys that
point at user-written rows use PROTECT, so deleting an agenda, assumption, criterion
or assessor that still has critiques, reliances or ratings is refused; edits are kept
by django-simple-history.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from agendas.querysets import (
    AgendaAliasQuerySet,
    AgendaQuerySet,
    AssumptionQuerySet,
    CriterionQuerySet,
    CritiqueQuerySet,
    OrganisationQuerySet,
    ProblemQuerySet,
    RatingQuerySet,
    RelianceQuerySet,
    SlugQuerySet,
    TaggedAgendaQuerySet,
)

# Pages link to stored URLs, so only web links are accepted (also enforced in the database).
web_link = URLValidator(schemes=["http", "https"])


class SlugNaturalKey:
    """Fixtures and exports name rows by slug, so they load anywhere without pk clashes."""

    def natural_key(self):
        return (self.slug,)


class Area(SlugNaturalKey, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(
        blank=True, help_text="One or two sentences, shown on the home page."
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

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="area_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return self.name


class Problem(models.Model):
    """One of davidad's 13 'orthodox problems' of alignment."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True, help_text="Our short explanation of the problem.")

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=13), name="problem_number_1_to_13"
            ),
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
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True, validators=[web_link])
    authors = models.CharField(max_length=1000, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    published = models.DateField(null=True, blank=True, help_text="Exact date, when known.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PAPER)
    note = models.TextField(blank=True, help_text="What in the source supports our claims.")

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | (Q(year__gte=1900) & Q(year__lte=2100)),
                name="source_year_plausible",
            ),
            # Pages link to this URL: only web links, never javascript: or data:.
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="source_url_is_web_link",
            ),
        ]

    def __str__(self):
        return self.title


class Organisation(SlugNaturalKey, models.Model):
    class Kind(models.TextChoices):
        LAB = "lab", "AI company"
        NONPROFIT = "nonprofit", "Non-profit"
        ACADEMIC = "academic", "Academic"
        FUNDER = "funder", "Funder"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(max_length=500, blank=True, validators=[web_link])
    description = models.TextField(blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="organisation_url_is_web_link",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agendas:organisation_detail", args=[self.slug])


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

    natural_key.dependencies = ["agendas.agenda", "taggit.tag"]


class Agenda(SlugNaturalKey, models.Model):
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

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=400, help_text="One sentence: what the agenda does.")
    description = models.TextField(blank=True, help_text="Markdown. What the work consists of.")
    theory_of_change = models.TextField(
        blank=True, help_text="Markdown. How success here would make AI go well."
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
    problems = models.ManyToManyField(
        Problem,
        blank=True,
        related_name="agendas",
        help_text="Orthodox problems it could help with.",
    )
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="agendas")
    people = models.TextField(blank=True, help_text="Key people, comma-separated.")
    funders = models.TextField(blank=True, help_text="Markdown. Who funds the work, as reported.")
    fte_low = models.PositiveIntegerField("FTE estimate (low)", null=True, blank=True)
    fte_high = models.PositiveIntegerField("FTE estimate (high)", null=True, blank=True)
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
    sources = models.ManyToManyField(Source, blank=True, related_name="agendas")
    tags = TaggableManager(blank=True, through=TaggedAgenda)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AgendaQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created", "updated"])

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
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agendas:agenda_detail", args=[self.slug])

    @property
    def people_list(self):
        return [name.strip() for name in self.people.split(",") if name.strip()]


class AgendaAlias(models.Model):
    """Another name an agenda is known by, used by importers to merge instead of duplicate."""

    name = models.CharField(max_length=200, unique=True, help_text="Matched case-insensitively.")
    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="aliases")

    objects = AgendaAliasQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agenda aliases"

    def __str__(self):
        return f"{self.name} → {self.agenda}"

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["agendas.agenda"]


class Assumption(SlugNaturalKey, models.Model):
    statement = models.CharField(max_length=300, help_text="Stated so that it can fail.")
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True, help_text="Markdown. What would make it false.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AssumptionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        ordering = ["statement"]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return reverse("agendas:assumption_detail", args=[self.slug])


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
    reason = models.TextField(help_text="Why the agenda needs this assumption.")
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
        ]

    def __str__(self):
        return f"{self.agenda} rests on {self.assumption}"

    def natural_key(self):
        return (self.agenda.slug, self.assumption.slug)

    natural_key.dependencies = ["agendas.agenda", "agendas.assumption"]


class Critique(SlugNaturalKey, models.Model):
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

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="critiques")
    assumption = models.ForeignKey(
        Assumption,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="critiques",
        help_text="Optional: the assumption of this agenda the critique attacks.",
    )
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    body = models.TextField(help_text="Markdown. The argument, in our words, with attribution.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    author = models.CharField(
        "credited author",
        max_length=300,
        help_text="Whose argument this is (a person or document).",
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="critiques"
    )
    response = models.TextField(blank=True, help_text="Markdown. The proponents' reply, if any.")
    response_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
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
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CritiqueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        ordering = ["-severity", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1) & Q(severity__lte=4), name="critique_severity_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewed_at__isnull=False),
                name="critique_reviewed_when_decided",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "published", "rejected"]),
                name="critique_status_known",
            ),
        ]
        indexes = [
            # The public pages list published critiques newest first.
            models.Index(fields=["status", "-reviewed_at"], name="critique_published_recent"),
        ]
        permissions = [("moderate_critique", "Can publish or reject critiques")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agendas:critique_detail", args=[self.slug])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class Criterion(SlugNaturalKey, models.Model):
    """One question of the scalability rubric."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    question = models.CharField(max_length=400)
    guidance_1 = models.TextField("what a 1 means")
    guidance_2 = models.TextField("what a 2 means")
    guidance_3 = models.TextField("what a 3 means")
    guidance_4 = models.TextField("what a 4 means")
    guidance_5 = models.TextField("what a 5 means")
    weight = models.DecimalField(
        max_digits=4, decimal_places=2, default=1, help_text="Relative weight in the overall score."
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agendas:criterion_detail", args=[self.slug])

    @property
    def guidance(self):
        return [(score, getattr(self, f"guidance_{score}")) for score in range(1, 6)]


class Assessor(SlugNaturalKey, models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        DOCUMENT = "document", "A document, read by the editors"
        EDITORS = "editors", "The editors"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    viewpoint = models.TextField(
        help_text="Where this assessor is coming from, in a few sentences."
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Rating(models.Model):
    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings")
    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(
        help_text="1 (poor) to 5 (strong); see the criterion's guidance."
    )
    rationale = models.TextField(help_text="Why this score. Required.")
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
            models.CheckConstraint(condition=~Q(rationale=""), name="rating_rationale_required"),
        ]

    def __str__(self):
        return f"{self.assessor} rates {self.agenda} {self.score}/5 on {self.criterion}"

    def natural_key(self):
        return (self.agenda.slug, self.criterion.slug, self.assessor.slug)

    natural_key.dependencies = ["agendas.agenda", "agendas.criterion", "agendas.assessor"]


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
    note = models.TextField(blank=True)
    dispute = models.TextField(
        blank=True, help_text="Filled in when the figure is disputed: by whom and why."
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
        ]

    def __str__(self):
        return self.label

    @property
    def is_disputed(self):
        return bool(self.dispute)
