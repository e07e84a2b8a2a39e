from django.urls import path

from agendas.feeds import LatestCritiquesFeed
from agendas.views import pages, search

app_name = "agendas"

urlpatterns = [
    path("", pages.home, name="home"),
    path("agendas/<slug:slug>/", pages.agenda_detail, name="agenda_detail"),
    path("search/", search.search, name="search"),
    path("feeds/critiques/", LatestCritiquesFeed(), name="critiques_feed"),
]
