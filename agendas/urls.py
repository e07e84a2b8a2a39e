from django.urls import path

from agendas.feeds import AgendaCritiquesFeed, LatestCritiquesFeed
from agendas.views import compare, data, disagreements, pages, reference, search, suggestions

app_name = "agendas"

urlpatterns = [
    path("", pages.home, name="home"),
    path("landscape/", pages.landscape_table, name="landscape"),
    path("agendas/", pages.agenda_list, name="agenda_list"),
    path("agendas.json", data.agenda_list_json, name="agenda_list_json"),
    path("agendas/<slug:slug>/", pages.agenda_detail, name="agenda_detail"),
    path("agendas/<slug:slug>.json", data.agenda_json, name="agenda_json"),
    path("agendas/<slug:slug>/suggest/", suggestions.agenda_suggest, name="agenda_suggest"),
    path("suggest/", suggestions.suggest, name="suggest"),
    path("suggest/thanks/", suggestions.suggest_thanks, name="suggest_thanks"),
    path("compare/", compare.compare, name="compare"),
    path("compare.json", data.compare_json, name="compare_json"),
    path("search/", search.search, name="search"),
    path("assumptions/", reference.assumption_list, name="assumption_list"),
    path("assumptions/<slug:slug>/", reference.assumption_detail, name="assumption_detail"),
    path("critiques/", reference.critique_list, name="critique_list"),
    path("critiques/<slug:slug>/", reference.critique_detail, name="critique_detail"),
    path("disagreements/", disagreements.disagreement_list, name="disagreement_list"),
    path("criteria/", reference.criterion_list, name="criterion_list"),
    path("criteria/<slug:slug>/", reference.criterion_detail, name="criterion_detail"),
    path("problems/", reference.problem_list, name="problem_list"),
    path("organisations/", reference.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", reference.organisation_detail, name="organisation_detail"),
    path("tags/", reference.tag_list, name="tag_list"),
    # taggit makes Unicode slugs ("sécurité"), which the slug converter would refuse.
    path("tags/<str:slug>/", reference.tag_detail, name="tag_detail"),
    path("feeds/critiques/", LatestCritiquesFeed(), name="critiques_feed"),
    path("agendas/<slug:slug>/feed/", AgendaCritiquesFeed(), name="agenda_critiques_feed"),
    path("export/agendas.json", data.export_json, name="export_json"),
    path("export/agendas.csv", data.export_csv, name="export_csv"),
]
