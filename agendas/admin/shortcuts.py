"""/admin/r/<content type>/<id>/: Django's "view on site" redirect, guarded.

Django's own view redirects any staff user to any object's public URL, so walking the ids
would reveal the slugs of drafts and rejected critiques. Here the object must be one the
user may open in the admin (its ModelAdmin's get_queryset() and view permission: a
contributor sees only their own critiques); anything else is a 404, the same answer as for
an id that does not exist.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404

from agendas.admin.base import checked_pk


def view_on_site(request, content_type_id, object_id):
    content_type_pk = checked_pk(ContentType._meta.pk, content_type_id)
    content_type = ContentType.objects.filter(pk=content_type_pk).first()
    model = content_type.model_class() if content_type else None
    model_admin = admin.site._registry.get(model)
    obj = model_admin.get_object(request, unquote(object_id)) if model_admin else None
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404("There is nothing here that you can open.")
    return shortcut(request, content_type.pk, obj.pk)
