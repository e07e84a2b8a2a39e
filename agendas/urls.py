from django.urls import path

from agendas.views import pages

app_name = "agendas"

urlpatterns = [
    path("", pages.home, name="home"),
    path("agendas/<slug:slug>/", pages.agenda_detail, name="agenda_detail"),
]
