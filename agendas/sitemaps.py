"""The sitemap: /sitemap.xml is an index of sections, /sitemap-<section>.xml?p=N their pages.

Every public page is listed: the home and list pages, agendas, assumptions, published
critiques (never drafts or rejected ones), criteria, organisations and tags in use.
Compare and search pages are left out: endless combinations of the same content.

Pages hold at most PAGE_SIZE URLs so that each one renders quickly at any data size (every
URL in one document was far too slow at 100x the shipped data: docs/performance.md). The
index costs one or
two queries per section (page count, newest change); a section page costs two (count, rows).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from taggit.models import Tag

from agendas.models import Agenda, Assumption, Criterion, Critique, Organisation, TaggedAgenda

PAGE_SIZE = 2000


class PagesSitemap(Sitemap):
    """The home page and the list pages."""

    changefreq = "daily"

    def items(self):
        return [
            "agendas:home",
            "agendas:agenda_list",
            "agendas:assumption_list",
            "agendas:critique_list",
            "agendas:disagreement_list",
            "agendas:criterion_list",
            "agendas:problem_list",
            "agendas:organisation_list",
            "agendas:tag_list",
        ]

    def location(self, name):
        return reverse(name)


class ModelSitemap(Sitemap):
    limit = PAGE_SIZE


class DatedModelSitemap(ModelSitemap):
    """Rows with an `updated` timestamp, given as each URL's lastmod."""

    def lastmod(self, row):
        return row.updated

    def get_latest_lastmod(self):
        # Django's default would load every row to find the newest.
        return self.items().aggregate(latest=Max("updated"))["latest"]


class AgendaSitemap(DatedModelSitemap):
    changefreq = "weekly"

    def items(self):
        return Agenda.objects.only("slug", "updated").order_by("slug")


class AssumptionSitemap(DatedModelSitemap):
    changefreq = "weekly"

    def items(self):
        return Assumption.objects.only("slug", "updated").order_by("slug")


class CritiqueSitemap(DatedModelSitemap):
    changefreq = "monthly"

    def items(self):
        return Critique.objects.published().only("slug", "updated").order_by("slug")


class CriterionSitemap(ModelSitemap):
    changefreq = "monthly"

    def items(self):
        return Criterion.objects.only("slug").order_by("slug")


class OrganisationSitemap(ModelSitemap):
    changefreq = "monthly"

    def items(self):
        return Organisation.objects.only("slug").order_by("slug")


class TagSitemap(ModelSitemap):
    """Tags that label at least one agenda (taggit's table may hold unused ones)."""

    changefreq = "weekly"

    def items(self):
        used = TaggedAgenda.objects.values("tag_id")
        return Tag.objects.filter(pk__in=used).only("slug").order_by("slug")

    def location(self, tag):
        return reverse("agendas:tag_detail", args=[tag.slug])


SITEMAPS = {
    "pages": PagesSitemap,
    "agendas": AgendaSitemap,
    "assumptions": AssumptionSitemap,
    "critiques": CritiqueSitemap,
    "criteria": CriterionSitemap,
    "organisations": OrganisationSitemap,
    "tags": TagSitemap,
}
