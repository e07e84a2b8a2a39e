"""A synthetic, deterministic dataset for load tests and demos (`manage.py generate_demo_data`).

At scale 1 it holds about 10 agendas, 500 critiques, 300 ratings and 5 assumptions, with
areas, sources, organisations, reliances, tags, problem links, aliases and figures around
them; every count grows linearly with the scale (ratings are agendas x 6 criteria x 5
assessors, so one per cell like real data). Every row it creates has a slug (or name)
starting with DEMO_PREFIX, so real content is easy to tell apart. Text is made up from a
small vocabulary: plausible lengths and Markdown, no real claims.

Rows go in with bulk_create in batches, which is fast but sends no signals: simple-history
records nothing (fine for demo data) and the page cache is told by one explicit bump.
"""

import datetime
import math
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag

from agendas.models import (
    Agenda,
    AgendaAlias,
    Area,
    Assessor,
    Assumption,
    Criterion,
    Critique,
    Figure,
    Organisation,
    Problem,
    Rating,
    Reliance,
    Source,
    TaggedAgenda,
)

DEMO_PREFIX = "demo-"
# Demo claims are dated like real ones; a fixed date keeps a seed's data identical.
DEMO_DATE = datetime.date(2025, 12, 16)
CONFIDENCES = ["low", "medium", "high"]
BATCH_SIZE = 1000
CRITERIA_NEEDED = 6
ASSESSORS_NEEDED = 5
# Demo dates are fixed, so the same seed gives the same rows whenever it runs.
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class RealContentError(Exception):
    """The database holds agendas that are not demo rows."""


@dataclass
class Sizes:
    agendas: int
    critiques: int
    assumptions: int
    top_areas: int
    sub_areas: int
    sources: int
    organisations: int
    tags: int

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        return cls(
            agendas=max(1, round(10 * scale)),
            critiques=round(500 * scale),
            assumptions=max(1, round(5 * scale)),
            top_areas=5,
            sub_areas=max(2, round(4 * math.sqrt(scale))),
            sources=max(5, round(40 * scale)),
            organisations=max(3, round(3 * scale)),
            tags=max(8, round(20 * math.sqrt(scale))),
        )


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, name, number):
        self.counts[name] = self.counts.get(name, 0) + number


def real_agenda_count() -> int:
    return Agenda.objects.exclude(slug__startswith=DEMO_PREFIX).count()


def demo_agenda_count() -> int:
    return Agenda.objects.filter(slug__startswith=DEMO_PREFIX).count()


# ---------------------------------------------------------------------------------------
# Text. A small made-up vocabulary, combined at random: right lengths, no real claims.

SUBJECTS = [
    "the method",
    "this agenda",
    "the proposal",
    "the oversight scheme",
    "the training signal",
    "the probe",
    "the reward model",
    "the debate protocol",
    "the evaluation suite",
    "the interpretability toolkit",
    "the amplification step",
    "the verifier",
]
VERBS = [
    "assumes",
    "depends on",
    "struggles with",
    "cannot rule out",
    "is checked against",
    "relies on",
    "underestimates",
    "gives evidence about",
    "breaks down under",
    "tries to measure",
    "is robust to",
    "says little about",
]
OBJECTS = [
    "a deceptive model",
    "human judgement of outputs",
    "superhuman capabilities",
    "distribution shift",
    "latent knowledge",
    "learned optimisers",
    "reward hacking",
    "sparse features",
    "situational awareness",
    "adversarial inputs",
    "long-horizon planning",
    "goal misgeneralisation",
]
QUALIFIERS = [
    "in the worst case",
    "once models outrun their overseers",
    "without further evidence",
    "at current scale",
    "in small experiments",
    "when the stakes are high",
    "under optimisation pressure",
    "if progress is fast",
    "for frontier systems",
    "on held-out tasks",
]
ADJECTIVES = [
    "Scalable",
    "Recursive",
    "Adversarial",
    "Mechanistic",
    "Iterated",
    "Constitutional",
    "Causal",
    "Formal",
    "Cooperative",
    "Latent",
    "Robust",
    "Empirical",
]
NOUNS = [
    "oversight",
    "debate",
    "reward modelling",
    "interpretability",
    "evaluations",
    "amplification",
    "verification",
    "probing",
    "red-teaming",
    "world models",
    "agent foundations",
    "control",
]
FIRST_NAMES = ["Ada", "Ben", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jun"]
LAST_NAMES = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Reyes", "Khan"]


class Writer:
    """Deterministic filler text from one random.Random."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.links = 0

    def sentence(self) -> str:
        rng = self.rng
        text = (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(QUALIFIERS)}."
        )
        return text[0].upper() + text[1:]

    def sentences(self, count: int) -> str:
        return " ".join(self.sentence() for _ in range(count))

    def link(self) -> str:
        self.links += 1
        return f"[{self.rng.choice(NOUNS)}](https://example.org/demo/{self.links})"

    def markdown(self, low_words: int, high_words: int, links: tuple[int, int] = (1, 2)) -> str:
        """Paragraphs (and now and then a list) of about low..high words, with a link or two."""
        rng = self.rng
        words_wanted = rng.randint(low_words, high_words)
        sentences_left = max(1, words_wanted // 11)  # a sentence here is about 11 words
        paragraphs: list[str] = []
        while sentences_left > 0:
            size = min(sentences_left, rng.randint(2, 5))
            if paragraphs and rng.random() < 0.15:
                paragraphs.append("\n".join(f"- {self.sentence()}" for _ in range(size)))
            else:
                paragraphs.append(self.sentences(size))
            sentences_left -= size
        for _ in range(rng.randint(*links)):
            where = rng.randrange(len(paragraphs))
            paragraphs[where] += f" See {self.link()}."
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        text = f"{self.rng.choice(SUBJECTS)} {self.rng.choice(VERBS)} {self.rng.choice(OBJECTS)}"
        return text[0].upper() + text[1:]

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


# ---------------------------------------------------------------------------------------


class Generator:
    def __init__(self, scale: float, seed: int = 1, progress=None):
        self.sizes = Sizes.for_scale(scale)
        self.rng = random.Random(seed)
        self.write = Writer(self.rng)
        self.progress = progress or (lambda label, done, total: None)
        self.report = Report()

    def run(self) -> Report:
        started = time.monotonic()
        with transaction.atomic():
            self.problems = self.ensure_problems()
            self.criteria = self.ensure_criteria()
            self.assessors = self.ensure_assessors()
            self.areas = self.make_areas()
            self.sources = self.make_sources()
            self.organisations = self.make_organisations()
            self.tags = self.make_tags()
            self.assumptions = self.make_assumptions()
            self.agendas = self.make_agendas()
            self.link_agendas()
            self.relied_on = self.make_reliances()
            self.make_ratings()
            self.make_critiques()
            self.make_figures()
        # Fresh planner statistics: without them PostgreSQL guesses the new tables are tiny
        # and picks plans that are far slower on the first pages (seen on the home page).
        # Outside a transaction PostgreSQL also vacuums, as its autovacuum soon would after
        # so many inserts: the visibility map lets counts read indexes alone instead of
        # scanning the table (docs/performance.md).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.report.seconds = time.monotonic() - started
        return self.report

    # -- helpers ----------------------------------------------------------------------

    def bulk(self, model, rows, label, total=None, keep=True):
        """bulk_create an iterable in batches, reporting progress; returns the saved rows."""
        saved, batch, done = [], [], 0

        def flush():
            nonlocal done
            created = model.objects.bulk_create(batch)
            done += len(created)
            if keep:
                saved.extend(created)
            batch.clear()
            self.progress(label, done, total)

        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                flush()
        flush()
        self.report.add(label, done)
        return saved

    def when(self, days_back: int = 3 * 365) -> datetime.datetime:
        return EPOCH - datetime.timedelta(seconds=self.rng.randrange(days_back * 86400))

    # -- reference rows: reuse what exists, fill in what is missing -------------------

    def ensure_problems(self):
        existing = {problem.number for problem in Problem.objects.all()}
        names = set(Problem.objects.values_list("name", flat=True))
        missing = [
            Problem(
                number=number,
                name=f"Demo problem {number}",
                slug=f"{DEMO_PREFIX}problem-{number}",
                description=self.write.sentences(2),
            )
            for number in range(1, 14)
            if number not in existing and f"Demo problem {number}" not in names
        ]
        self.bulk(Problem, missing, "problems")
        return list(Problem.objects.all())

    def ensure_criteria(self):
        have = Criterion.objects.count()
        missing = [
            Criterion(
                name=f"Demo criterion {n}",
                slug=f"{DEMO_PREFIX}criterion-{n}",
                question=f"Does the agenda meet {self.write.title().lower()}?",
                order=100 + n,
                **{f"guidance_{score}": self.write.sentence() for score in range(1, 6)},
            )
            for n in range(have + 1, CRITERIA_NEEDED + 1)
        ]
        self.bulk(Criterion, missing, "criteria")
        return list(Criterion.objects.order_by("order", "name")[:CRITERIA_NEEDED])

    def ensure_assessors(self):
        have = Assessor.objects.count()
        missing = [
            Assessor(
                name=self.write.person(),
                slug=f"{DEMO_PREFIX}assessor-{n}",
                kind=Assessor.Kind.PERSON,
                viewpoint=self.write.sentences(2),
            )
            for n in range(have + 1, ASSESSORS_NEEDED + 1)
        ]
        self.bulk(Assessor, missing, "assessors")
        return list(Assessor.objects.order_by("name", "pk")[:ASSESSORS_NEEDED])

    # -- demo rows --------------------------------------------------------------------

    def make_areas(self):
        top = self.bulk(
            Area,
            (
                Area(
                    name=f"{noun.capitalize()} (demo)",
                    slug=f"{DEMO_PREFIX}area-{n}",
                    description=self.write.sentences(1),
                    order=n,
                )
                for n, noun in enumerate(NOUNS[: self.sizes.top_areas], start=1)
            ),
            "areas",
        )
        subs = self.bulk(
            Area,
            (
                Area(
                    name=f"{self.rng.choice(ADJECTIVES)} {self.rng.choice(NOUNS)} {n}",
                    slug=f"{DEMO_PREFIX}area-{len(top) + n}",
                    description=self.write.sentences(1),
                    parent=top[n % len(top)],
                    order=n,
                )
                for n in range(1, self.sizes.sub_areas + 1)
            ),
            "areas",
        )
        return top + subs

    def make_sources(self):
        kinds = [kind for kind, _ in Source.Kind.choices]
        return self.bulk(
            Source,
            (
                Source(
                    slug=f"{DEMO_PREFIX}source-{n}",
                    title=self.write.title(),
                    url=f"https://example.org/demo/source-{n}",
                    authors=", ".join(self.write.person() for _ in range(self.rng.randint(1, 3))),
                    year=self.rng.randint(2016, 2025),
                    kind=self.rng.choice(kinds),
                )
                for n in range(1, self.sizes.sources + 1)
            ),
            "sources",
            self.sizes.sources,
        )

    def make_organisations(self):
        kinds = [kind for kind, _ in Organisation.Kind.choices]
        return self.bulk(
            Organisation,
            (
                Organisation(
                    name=f"Demo {self.rng.choice(NOUNS).title()} Institute {n}",
                    slug=f"{DEMO_PREFIX}organisation-{n}",
                    kind=self.rng.choice(kinds),
                    url=f"https://example.org/demo/organisation-{n}",
                    description=self.write.sentences(2),
                    as_of=DEMO_DATE,
                )
                for n in range(1, self.sizes.organisations + 1)
            ),
            "organisations",
        )

    def make_tags(self):
        wanted = {}
        for n in range(self.sizes.tags):
            name = f"{self.rng.choice(NOUNS)} {self.rng.choice(OBJECTS).split()[-1]} {n}"
            wanted[name] = Tag(name=name, slug=f"{DEMO_PREFIX}{slugify(name)}")
        taken = set(Tag.objects.filter(name__in=wanted).values_list("name", flat=True))
        self.bulk(Tag, (tag for name, tag in wanted.items() if name not in taken), "tags")
        return list(Tag.objects.filter(name__in=wanted))

    def make_assumptions(self):
        return self.bulk(
            Assumption,
            (
                Assumption(
                    statement=f"{self.write.title()} ({n})",
                    slug=f"{DEMO_PREFIX}assumption-{n}",
                    description=self.write.markdown(40, 120, links=(0, 1)),
                )
                for n in range(1, self.sizes.assumptions + 1)
            ),
            "assumptions",
        )

    def make_agendas(self):
        rng = self.rng
        approaches = [value for value, _ in Agenda.Approach.choices]
        targets = [value for value, _ in Agenda.TargetCase.choices]
        supervision = [value for value, _ in Agenda.Supervision.choices]
        statuses = [Agenda.Status.ACTIVE] * 8 + [Agenda.Status.DORMANT, Agenda.Status.GRAVEYARD]

        def rows():
            for n in range(1, self.sizes.agendas + 1):
                name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {n}"
                fte_low = rng.randint(1, 40)
                yield Agenda(
                    name=name,
                    slug=f"{DEMO_PREFIX}{slugify(name)}",
                    summary=self.write.sentence(),
                    description=self.write.markdown(100, 300),
                    theory_of_change=self.write.markdown(50, 150, links=(0, 1)),
                    area=rng.choice(self.areas),
                    broad_approach=rng.choice(approaches),
                    target_case=rng.choice(targets),
                    supervision=rng.choice(supervision),
                    status=rng.choice(statuses),
                    people=", ".join(self.write.person() for _ in range(rng.randint(1, 4))),
                    people_as_of=DEMO_DATE,
                    status_as_of=DEMO_DATE,
                    fte_low=fte_low,
                    fte_high=fte_low + rng.randint(0, 30),
                    fte_text=f"{fte_low}+ FTE (demo)",
                    fte_source=rng.choice(self.sources),
                    fte_date=self.when().date(),
                )

        agendas = self.bulk(Agenda, rows(), "agendas", self.sizes.agendas)
        # About one agenda in seven refines an earlier one (RLHF -> RLHF++ style).
        children = [agenda for agenda in agendas[1:] if rng.random() < 0.15]
        for child in children:
            child.parent = rng.choice(agendas[: agendas.index(child)])
        Agenda.objects.bulk_update(children, ["parent"], batch_size=BATCH_SIZE)
        return agendas

    def link_agendas(self):
        rng = self.rng
        links = [
            ("problems", Agenda.problems.through, "problem_id", self.problems, (1, 4)),
            ("organisations", Agenda.organisations.through, "organisation_id", self.organisations,
             (1, 2)),
            ("sources", Agenda.sources.through, "source_id", self.sources, (1, 4)),
        ]  # fmt: skip
        for label, through, column, pool, (low, high) in links:
            rows = (
                through(agenda_id=agenda.pk, **{column: row.pk})
                for agenda in self.agendas
                for row in rng.sample(pool, min(len(pool), rng.randint(low, high)))
            )
            self.bulk(through, rows, f"agenda {label}")
        tagged = (
            TaggedAgenda(content_object_id=agenda.pk, tag_id=tag.pk)
            for agenda in self.agendas
            for tag in rng.sample(self.tags, min(len(self.tags), rng.randint(1, 4)))
        )
        self.bulk(TaggedAgenda, tagged, "tag links")
        aliases = (
            AgendaAlias(name=f"{agenda.name} (also known as {n})", agenda_id=agenda.pk)
            for n, agenda in enumerate(self.agendas)
            if rng.random() < 0.1
        )
        self.bulk(AgendaAlias, aliases, "aliases")

    def make_reliances(self):
        rng = self.rng
        relied_on = {}
        rows = []
        for agenda in self.agendas:
            count = min(len(self.assumptions), rng.randint(2, 6))
            chosen = rng.sample(self.assumptions, count)
            relied_on[agenda.pk] = [assumption.pk for assumption in chosen]
            rows.extend(
                Reliance(
                    agenda_id=agenda.pk,
                    assumption_id=assumption.pk,
                    load=rng.randint(1, 3),
                    reason=self.write.sentences(rng.randint(1, 2)),
                    source=rng.choice(self.sources) if rng.random() < 0.3 else None,
                )
                for assumption in chosen
            )
        self.bulk(Reliance, rows, "reliances")
        return relied_on

    def make_ratings(self):
        rng = self.rng
        total = len(self.agendas) * len(self.criteria) * len(self.assessors)

        def rows():
            for agenda in self.agendas:
                leaning = rng.randint(1, 5)  # assessors disagree around a common view
                for criterion in self.criteria:
                    for assessor in self.assessors:
                        yield Rating(
                            agenda_id=agenda.pk,
                            criterion_id=criterion.pk,
                            assessor_id=assessor.pk,
                            score=min(5, max(1, leaning + rng.randint(-1, 1))),
                            confidence=CONFIDENCES[(agenda.pk + criterion.pk) % 3],
                            rationale=self.write.sentences(rng.randint(1, 2)),
                            source=rng.choice(self.sources) if rng.random() < 0.2 else None,
                            date=self.when().date(),
                        )

        self.bulk(Rating, rows(), "ratings", total, keep=False)

    def make_critiques(self):
        rng = self.rng
        total = self.sizes.critiques
        # Some agendas draw many more critiques than others, as in real life.
        weights = [rng.lognormvariate(0, 0.5) for _ in self.agendas]
        targets = rng.choices(self.agendas, weights=weights, k=total)
        kinds = [value for value, _ in Critique.Kind.choices]
        voices = [Critique.Voice.OUTSIDE, Critique.Voice.OWN, Critique.Voice.EDITORS]
        bases = [basis for basis in Critique.Basis.values if basis != Critique.Basis.ACCOUNT]
        confidences = list(CONFIDENCES)
        reviewer = User.objects.filter(is_staff=True).order_by("pk").first()

        def rows():
            for n, agenda in enumerate(targets, start=1):
                roll = rng.random()
                if roll < 0.8:
                    status, reviewed_at = Critique.Status.PUBLISHED, self.when()
                elif roll < 0.92:
                    status, reviewed_at = Critique.Status.SUBMITTED, None
                else:
                    status, reviewed_at = Critique.Status.REJECTED, self.when()
                assumption = None
                if rng.random() < 0.3:
                    assumption = rng.choice(self.relied_on[agenda.pk])
                has_response = rng.random() < 0.25
                voice = rng.choices(voices, weights=[6, 3, 1])[0]
                yield Critique(
                    agenda_id=agenda.pk,
                    assumption_id=assumption,
                    title=self.write.title(),
                    slug=f"{DEMO_PREFIX}critique-{n}",
                    body=self.write.markdown(80, 300),
                    kind=rng.choice(kinds),
                    severity=rng.choices([1, 2, 3, 4], weights=[3, 4, 2, 1])[0],
                    severity_confidence=rng.choice(confidences),
                    voice=voice,
                    # "Another work's account" would need a second source: demo data
                    # keeps to the bases that name none.
                    basis=rng.choice(bases),
                    author=Critique.EDITORS_CREDIT
                    if voice == Critique.Voice.EDITORS
                    else self.write.person(),
                    source=rng.choice(self.sources) if rng.random() < 0.5 else None,
                    response=self.write.markdown(30, 120, links=(0, 1)) if has_response else "",
                    status=status,
                    reviewed_by=reviewer if reviewed_at else None,
                    reviewed_at=reviewed_at,
                )

        self.bulk(Critique, rows(), "critiques", total, keep=False)

    def make_figures(self):
        kinds = [value for value, _ in Figure.Kind.choices]
        rows = []
        for n in range(1, 7):
            low = self.rng.randint(50, 5000)
            rows.append(
                Figure(
                    slug=f"{DEMO_PREFIX}figure-{n}",
                    label=f"Demo headcount {n}",
                    kind=kinds[n % len(kinds)],
                    organisation=self.rng.choice(self.organisations) if n > 2 else None,
                    value_low=low,
                    value_high=low + self.rng.randint(0, 500) if n % 2 else None,
                    as_of=self.when().date(),
                    source=self.rng.choice(self.sources),
                    order=100 + n,
                )
            )
        self.bulk(Figure, rows, "figures")
