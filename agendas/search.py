"""Site search over agendas, assumptions, published critiques and sources.

One entry point, `search(query, kind=..., area=...)`, answers on both databases:

- PostgreSQL: websearch-syntax full-text search over weighted vectors (name or title A,
  summary-like fields B, bodies C) stored in generated columns, ranked by ts_rank, with
  ts_headline snippets. When the full-text query finds fewer than FEW_RESULTS rows, names
  and titles also match by trigram word similarity (pg_trgm's `%>`, threshold
  pg_trgm.word_similarity_threshold, 0.6 by default), so a misspelt word still finds
  something. Queries with a "phrase" or a -word are taken literally and never widened.
  Migration 0003_search adds the vector columns and the GIN indexes serving both
  (tests/test_search.py checks with EXPLAIN that they are used); the fields of each Kind
  below must match the columns' definitions there (a test checks that too).
- SQLite: every word must occur (case-insensitively) in one of the same fields; a quoted
  phrase counts as one word and a leading minus excludes. Rank is 3 for a word found in the
  name or title, 2 in a summary field, 1 in a body; snippets are cut around the first match.

Snippets are plain text: they are cut from the HTML stored when each Markdown field was
written (`<field>_html`, agendas/markdown.py), never from the Markdown, so no link target
or Markdown syntax shows; plain fields are escaped into that HTML in SQL. On PostgreSQL
ts_headline reads it with its own parser, which drops tags; on SQLite the page's few hits
are turned into text by agendas.markdown.plain_text. Either way the snippet is then
escaped, with <mark> added around matches only.

Area is a filter on everything: agendas in the area, critiques of them, assumptions they
rest on and sources they cite. Facets follow the usual rule: the counts by kind ignore the
kind filter, the counts by area ignore the area filter.

Whatever the data size, a search costs the same queries: the counts (by kind and by area,
in one query), the page of hits, then titles and snippets for that page only (ts_headline
is too costly to run on every match). And it does the same bounded work: of each kind, only
the first CANDIDATES matches found are counted and ranked. A word found more often than
that (half the corpus matches "oversight" in the 100x demo) counts as "300+", and the page
says that its hits are the best of those first found (docs/performance.md).

No text can make PostgreSQL's parser slow: its cost grows with the square of the longest run
without a space, so the stored vectors and the headline's input go through the SQL function
agendas_search_text (migration 0019), which breaks runs longer than MAX_RUN, and the query
is broken the same way here.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Expression,
    F,
    FloatField,
    Func,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Replace
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from agendas.markdown import plain_text
from agendas.models import Agenda, Assumption, Critique, Source
from agendas.pagination import paginate

CONFIG = "english"
FEW_RESULTS = 3
MIN_FUZZY_WORD = 4
PER_PAGE = 20
AREA_FACETS_SHOWN = 12  # the busiest areas, plus the chosen one wherever it ranks
# SQLite: each word adds a CASE to the rank and LIKEs to the filter; bound the statement.
MAX_WORDS = 16
SNIPPET_CHARS = 220
# Of each kind, the most matches counted and ranked; past it the count reads "300+".
CANDIDATES = 300
# Runs of non-space characters longer than this are broken before PostgreSQL parses them
# (migration 0019's agendas_search_text, whose MAX_RUN this must equal).
MAX_RUN = 64

# ts_headline markers: private-use characters, removed from the text before highlighting,
# so that after HTML-escaping the only place they can appear is around a real match.
START_SEL = "\ue000"
STOP_SEL = "\ue001"


@dataclass(frozen=True)
class Kind:
    key: str
    name: str  # one hit's kind, "Agenda"
    label: str  # the facet, "Agendas"
    title: str  # weight A
    summary: tuple[str, ...]  # weight B
    body: tuple[str, ...]  # weight C
    snippet: tuple[str, ...]  # the fields snippets are cut from (Markdown ones as HTML)
    area: str  # lookup path to the Area the row belongs to
    many_areas: bool  # whether that path crosses a to-many relation (rows may repeat)
    context: str  # field shown under the title
    model: type

    def rows(self):
        if self.model is Critique:
            return Critique.objects.published()
        if self.model is Source:
            return Source.objects.public()
        return self.model.objects.all()

    @property
    def fields(self):
        return (self.title, *self.summary, *self.body)


KINDS = (
    Kind(
        key="agenda",
        name="Agenda",
        label="Agendas",
        title="name",
        summary=("summary",),
        body=("description", "theory_of_change", "people"),
        snippet=("summary", "description", "theory_of_change"),
        area="area",
        many_areas=False,
        context="area__name",
        model=Agenda,
    ),
    Kind(
        key="assumption",
        name="Assumption",
        label="Assumptions",
        title="statement",
        summary=(),
        body=("description",),
        snippet=("description",),
        area="reliances__agenda__area",
        many_areas=True,
        context="",
        model=Assumption,
    ),
    Kind(
        key="critique",
        name="Critique",
        label="Critiques",
        title="title",
        summary=("author",),
        body=("body", "response"),
        snippet=("body", "response"),
        area="agenda__area",
        many_areas=False,
        context="agenda__name",
        model=Critique,
    ),
    Kind(
        key="source",
        name="Source",
        label="Sources",
        title="title",
        summary=("authors",),
        body=("note",),
        snippet=("note",),
        area="agendas__area",
        many_areas=True,
        context="authors",
        model=Source,
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS]


class StoredVector(Expression):
    """The row's weighted tsvector: the `search_vector` column that migration 0003_search
    generates on PostgreSQL from the same fields as the Kind (title A, summary B, body C).
    It is not a model field (SQLite has no tsvector), so it is read by name from the
    query's own table."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.search_vector", []


@dataclass(frozen=True)
class AreaFacet:
    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class KindFacet:
    kind: Kind
    count: int
    is_capped: bool = False  # more matches than CANDIDATES: count is a lower bound


@dataclass(frozen=True)
class Hit:
    kind: Kind
    title: str
    url: str
    context: str
    snippet: str  # safe HTML: escaped text with <mark> around matches


def search(query, *, kind=None, area=None):
    """Search every kind for `query`; `kind` is a key of KINDS_BY_KEY, `area` an Area."""
    engine = PostgresEngine(query) if connection.vendor == "postgresql" else SimpleEngine(query)
    return SearchResults(engine, kind=KINDS_BY_KEY[kind] if kind else None, area=area)


class SearchResults:
    """Facet counts, computed on creation; hits, fetched a page at a time by `page()`."""

    def __init__(self, engine, *, kind, area):
        self.engine = engine
        self.kind = kind
        self.area = area
        counts, by_area = self._count(fuzzy=False)
        # Widen to fuzzy title matching only when the exact query finds little: trigram
        # similarity is costly to test on every row, and noisy when exact matches exist.
        self.is_fuzzy = engine.can_fuzz and sum(counts.values()) < FEW_RESULTS
        if self.is_fuzzy:
            counts, by_area = self._count(fuzzy=True)
        capped = {key for key, count in counts.items() if count > CANDIDATES}
        counts = {key: min(count, CANDIDATES) for key, count in counts.items()}
        self.kind_facets = [KindFacet(k, counts.get(k.key, 0), k.key in capped) for k in KINDS]
        self.total = sum(counts.get(k.key, 0) for k in self._kinds())
        self.is_capped = any(k.key in capped for k in self._kinds())
        self.candidates = CANDIDATES
        self.area_facets = self._area_facets(by_area)

    def _kinds(self):
        return [self.kind] if self.kind else list(KINDS)

    def _matching(self, kind, *, fuzzy, area=None, limit=None):
        """The first `limit` (CANDIDATES) rows of the kind found to match (in the area, if
        given)."""
        limit = CANDIDATES if limit is None else limit
        # No ORDER BY: the parts are combined with UNION, which takes one ordering at the end.
        rows = kind.rows().order_by().annotate(**self.engine.annotations(kind))
        found = rows.filter(self.engine.match(kind, fuzzy=fuzzy))
        if area is not None:
            # A subquery rather than a join, so rows reached through many agendas stay single.
            found = found.filter(pk__in=kind.model.objects.filter(**{kind.area: area}).values("pk"))
        # Found in index order, not by rank: ranking every match of a common word cost more
        # than the rest of the page (docs/performance.md).
        return rows.filter(pk__in=found.values("pk")[:limit])

    def _count(self, *, fuzzy):
        """({kind key: matches}, {kind key: {(area slug, name): matches}}) in one query.

        Counts by kind ignore the kind filter and keep the area filter; counts by area keep
        the kind filter and ignore the area filter. Each counts at most CANDIDATES + 1
        matches, so a count above CANDIDATES means "more than that". With no area chosen, a
        kind whose rows each belong to one area (agendas, critiques) is counted once, by
        area, and its count is the sum: each count tests every candidate against the query.
        """
        parts = []
        for kind in KINDS:
            summed = self.area is None and not kind.many_areas
            if summed or kind in self._kinds():
                parts.append(self._by_area(kind, fuzzy=fuzzy))
            if not summed:
                parts.append(self._in_all(kind, fuzzy=fuzzy))
        counts, by_area = {}, {}
        for row in parts[0].union(*parts[1:], all=True):
            kind = KINDS_BY_KEY[row["r_kind"]]
            if row["r_whole"]:
                counts[kind.key] = row["r_count"]
                continue
            area = (row["r_slug"], row["r_name"])
            by_area.setdefault(kind.key, {})[area] = row["r_count"]
            if self.area is None and not kind.many_areas:
                counts[kind.key] = counts.get(kind.key, 0) + row["r_count"]
        return counts, by_area

    def _by_area(self, kind, *, fuzzy):
        """One row per area the kind's matches belong to (the area filter ignored)."""
        return self._counted(
            self._matching(kind, fuzzy=fuzzy, limit=CANDIDATES + 1),
            kind,
            whole=False,
            slug=F(f"{kind.area}__slug"),
            name=F(f"{kind.area}__name"),
            # DISTINCT only where a row can reach one area twice: it costs a sort of every
            # match (docs/performance.md).
            distinct=kind.many_areas,
        )

    def _in_all(self, kind, *, fuzzy):
        """One row: how many rows of the kind match, in the chosen area if there is one."""
        nothing = Value(None, output_field=CharField())
        return self._counted(
            self._matching(kind, fuzzy=fuzzy, area=self.area, limit=CANDIDATES + 1),
            kind,
            whole=True,
            slug=nothing,
            name=nothing,
        )

    @staticmethod
    def _counted(rows, kind, *, whole, slug, name, distinct=False):
        """The columns every part of _count's UNION has, in the same order."""
        return (
            rows.annotate(
                r_kind=Value(kind.key, output_field=CharField()),
                r_whole=Value(whole),
                r_slug=slug,
                r_name=name,
            )
            .values("r_kind", "r_whole", "r_slug", "r_name")
            .annotate(r_count=Count("pk", distinct=distinct))
        )

    def _area_facets(self, by_area):
        totals = {}
        for kind in self._kinds():
            for (slug, name), count in by_area.get(kind.key, {}).items():
                if slug is None:  # an assumption no agenda rests on, an uncited source
                    continue
                totals[(slug, name)] = totals.get((slug, name), 0) + count
        facets = [AreaFacet(slug, name, count) for (slug, name), count in totals.items()]
        facets.sort(key=lambda facet: (-facet.count, facet.name))
        shown = facets[:AREA_FACETS_SHOWN]
        chosen = [f for f in facets[AREA_FACETS_SHOWN:] if self.area and f.slug == self.area.slug]
        return shown + chosen

    def _ranked(self):
        parts = [
            self._matching(kind, fuzzy=self.is_fuzzy, area=self.area)
            .annotate(
                r_kind=Value(kind.key, output_field=CharField()),
                r_id=F("pk"),
                r_rank=self.engine.rank(kind, fuzzy=self.is_fuzzy),
            )
            .values("r_kind", "r_id", "r_rank")
            for kind in self._kinds()
        ]
        return parts[0].union(*parts[1:], all=True).order_by("-r_rank", "r_kind", "r_id")

    def page(self, number):
        """Page `number` of the hits (None: the first; past the last: a 404)."""
        page = paginate(_CountedRows(self._ranked(), self.total), number, PER_PAGE, orphans=4)
        page.object_list = self._hits(list(page.object_list))
        return page

    def _hits(self, ranked):
        """Titles, links and snippets for one page of ranked rows, in one query."""
        ids = {}
        for row in ranked:
            ids.setdefault(row["r_kind"], []).append(row["r_id"])
        if not ids:
            return []
        parts = [
            kind.model.objects.filter(pk__in=ids[kind.key])
            .order_by()
            .annotate(
                r_kind=Value(kind.key, output_field=CharField()),
                r_id=F("pk"),
                r_title=F(kind.title),
                r_slug=F("slug"),
                r_url=F("url") if kind.model is Source else Value(""),
                r_context=F(kind.context) if kind.context else Value(""),
                r_text=self.engine.snippet_source(kind),
            )
            .values("r_kind", "r_id", "r_title", "r_slug", "r_url", "r_context", "r_text")
            for kind in KINDS
            if kind.key in ids
        ]
        details = parts[0].union(*parts[1:], all=True)
        by_key = {(row["r_kind"], row["r_id"]): row for row in details}
        hits = []
        for row in ranked:
            detail = by_key.get((row["r_kind"], row["r_id"]))
            if detail is None:  # deleted between the two queries
                continue
            kind = KINDS_BY_KEY[detail["r_kind"]]
            hits.append(
                Hit(
                    kind=kind,
                    title=detail["r_title"],
                    url=_url(kind, detail),
                    context=detail["r_context"] or "",
                    snippet=self.engine.snippet(detail["r_text"] or ""),
                )
            )
        return hits


class _CountedRows:
    """Ranked rows whose total the facet query already counted: saves Paginator a COUNT."""

    def __init__(self, rows, total):
        self.rows = rows
        self.total = total

    def count(self):
        return self.total

    def __getitem__(self, index):
        return self.rows[index]


def _url(kind, detail):
    if kind.key == "source":
        return detail["r_url"]
    return reverse(f"agendas:{kind.key}_detail", args=[detail["r_slug"]])


class PostgresEngine:
    def __init__(self, query):
        self.query = SearchQuery(break_runs(query), search_type="websearch", config=CONFIG)
        include, exclude = _terms(query)
        self.words = " ".join(word for term in include for word in term.split())
        # A phrase or an exclusion is a precise request: loose spelling would override it.
        # Short words ("the", "ai") are similar to too much to be worth a fuzzy match.
        self.can_fuzz = (
            not exclude
            and '"' not in query
            and any(len(word) >= MIN_FUZZY_WORD for word in self.words.split())
        )

    def annotations(self, kind):
        return {"r_vector": StoredVector()}

    def match(self, kind, *, fuzzy):
        exact = Q(r_vector=self.query)
        if fuzzy:
            return exact | Q(**{f"{kind.title}__trigram_word_similar": self.words})
        return exact

    def rank(self, kind, *, fuzzy):
        rank = SearchRank(F("r_vector"), self.query)
        if fuzzy:
            rank = rank + TrigramWordSimilarity(self.words, kind.title)
        return rank

    def snippet_source(self, kind):
        html = _snippet_html(kind)
        for marker in (START_SEL, STOP_SEL):
            html = Replace(html, Value(marker), Value(""))
        # PostgreSQL's default parser reads HTML tags as tokens of their own, which
        # ts_headline replaces by spaces: what it returns is text with HTML entities.
        return SearchHeadline(
            Func(html, function="agendas_search_text", output_field=TextField()),
            self.query,
            config=CONFIG,
            start_sel=START_SEL,
            stop_sel=STOP_SEL,
            max_words=25,
            min_words=10,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    def snippet(self, headline):
        # Split at our markers first, so that an entity decoded afterwards can never
        # become one; each piece of text is then decoded and escaped again.
        pieces = []
        first, *marked = " ".join(headline.split()).split(START_SEL)
        pieces.append(_text(first))
        for part in marked:
            match, _, after = part.partition(STOP_SEL)
            pieces.append(f"<mark>{_text(match)}</mark>{_text(after)}")
        return mark_safe("".join(pieces))  # noqa: S308 - every piece of text escaped


class SimpleEngine:
    """The SQLite search: substring matching, honest about being simple."""

    can_fuzz = False

    def __init__(self, query):
        self.include, self.exclude = _terms(query)

    def annotations(self, kind):
        return {}

    def match(self, kind, *, fuzzy):
        condition = Q()
        for term in self.include:
            condition &= _any_contains(kind.fields, term)
        for term in self.exclude:
            condition &= ~_any_contains(kind.fields, term)
        if not self.include:
            return Q(pk__in=[])  # nothing to look for (only exclusions, or only punctuation)
        return condition

    def rank(self, kind, *, fuzzy):
        rank = Value(0.0)
        for term in self.include:
            whens = [When(Q(**{f"{kind.title}__icontains": term}), then=Value(3.0))]
            if kind.summary:
                whens.append(When(_any_contains(kind.summary, term), then=Value(2.0)))
            rank = rank + Case(*whens, default=Value(1.0), output_field=FloatField())
        return rank

    def snippet_source(self, kind):
        return _snippet_html(kind)

    def snippet(self, html):
        return highlight(plain_text(html), self.include)


_LONG_RUN = re.compile(rf"\S{{{MAX_RUN}}}")


def break_runs(text):
    """`text` with a space after every MAX_RUN characters without one, as
    agendas_search_text does in SQL: no run PostgreSQL parses can make it slow."""
    return _LONG_RUN.sub(r"\g<0> ", text)


def highlight(text, terms, *, width=SNIPPET_CHARS):
    """An escaped excerpt of `text` around the first of `terms`, each occurrence in <mark>."""
    text = " ".join(text.split())
    if not terms:
        return escape(_clip(text, 0, width))
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - width // 4) if first else 0
    excerpt = _clip(text, start, width)
    pieces, position = [], 0
    for match in pattern.finditer(excerpt):
        pieces.append(escape(excerpt[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(excerpt[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text escaped above


def _clip(text, start, width):
    excerpt = text[start : start + width]
    return ("…" if start else "") + excerpt + ("…" if start + width < len(text) else "")


def _text(html):
    """Escaped text of a piece of ts_headline's output (tags gone, entities left)."""
    return escape(unescape(html))


def _snippet_html(kind):
    """The kind's snippet fields as one HTML text: a Markdown field's stored HTML, a plain
    field escaped (in SQL, so that PostgreSQL's headline can read it too)."""
    markdown = getattr(kind.model, "markdown_fields", ())
    parts = []
    for field in kind.snippet:
        if field in markdown:
            parts.append(F(f"{field}_html"))
        else:
            parts.append(_escaped(F(field)))
        parts.append(Value("\n"))
    parts.pop()
    if len(parts) == 1:
        return Coalesce(parts[0], Value(""), output_field=TextField())
    return Concat(*parts, output_field=TextField())  # Concat skips NULLs itself


def _escaped(text):
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = Replace(text, Value(character), Value(entity))
    return text


def _any_contains(fields, term):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": term})
    return condition


_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')


def _terms(query):
    """Split a query into (included, excluded) terms: quoted phrases stay whole."""
    include, exclude = [], []
    for minus_phrase, phrase, minus_word, word in _TOKEN.findall(query):
        term = " ".join((phrase or word).split())
        if not term or term.lower() == "or":
            continue
        (exclude if (minus_phrase or minus_word) else include).append(term)
    return include[:MAX_WORDS], exclude[:MAX_WORDS]
