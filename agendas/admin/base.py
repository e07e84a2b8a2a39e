"""Rules every admin page shares."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


def can_moderate(user):
    """Editors (and superusers): may publish or reject critiques and see undecided ones."""
    return user.has_perm("agendas.moderate_critique")


def count_of(model, fk, **filters):
    """Subquery counting rows of `model` that point at the outer row through `fk`.

    Used instead of Count() over joins so that several counts on one changelist do not
    multiply each other, and each stays a single SELECT.
    """
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class UserWrittenAdmin(SimpleHistoryAdmin):
    """Admin for content people wrote: edits are kept as history; only superusers delete.

    simple-history lets whoever may *view* an object open a past version, and its form view
    saves on POST without asking for the change permission. We close that: reverting (a POST
    to the version form) needs the change permission on the current row, and only superusers
    may bring back a deleted row.
    """

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))
        if current is None and not request.user.is_superuser:
            raise Http404("There is no such object that you can open.")
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
