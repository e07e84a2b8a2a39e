from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from agendas.admin.shortcuts import view_on_site
from agendas.cache.key import reads_query
from agendas.forms import SitemapPageForm
from agendas.sitemaps import SITEMAPS
from agendas.views.health import healthz
from agendas.views.meta import robots_txt

urlpatterns = [
    # Before the admin's own /admin/r/, which would redirect staff to any draft's address.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        reads_query(SitemapPageForm)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico on pages that name none (the admin's).
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("agendas/favicon.svg"), permanent=True),
    ),
    path("", include("agendas.urls")),
]
