from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from agendas.sitemaps import SITEMAPS
from agendas.views.health import healthz
from agendas.views.meta import robots_txt

urlpatterns = [
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
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("", include("agendas.urls")),
]
