from django.http import HttpResponse

from agendas.exporting import export_csv as build_csv
from agendas.exporting import export_json as build_json


def export_json(request):
    return HttpResponse(build_json(), content_type="application/json; charset=utf-8")


def export_csv(request):
    response = HttpResponse(build_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agendas.csv"'
    return response
