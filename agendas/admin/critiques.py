"""Critiques: contributors submit, editors publish or reject.

Who may do what is decided by one permission, ``agendas.moderate_critique`` (the Editors
group has it). Without it a user sees only the critiques they submitted, may edit one
only while it awaits review, and can never set its status.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils import timezone
from django.utils.translation import ngettext

from agendas.admin.base import UserWrittenAdmin, can_moderate
from agendas.models import Critique

Status = Critique.Status


class ModerationStatusFilter(admin.SimpleListFilter):
    """Status filter that opens on the moderation queue (submitted) for moderators."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def __init__(self, request, params, model, model_admin):
        self.default = Status.SUBMITTED if can_moderate(request.user) else self.ALL
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [
            (Status.SUBMITTED, "Awaiting review (moderation queue)"),
            (Status.PUBLISHED, "Published"),
            (Status.REJECTED, "Rejected"),
            (self.ALL, "All"),
        ]

    def value(self):
        value = super().value()
        return value if value in dict(self.lookup_choices) else self.default

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value == self.ALL else queryset.filter(status=value)

    def choices(self, changelist):
        # Replaces Django's own "All" entry (no parameter), which here means the default.
        current = self.value()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(Critique)
class CritiqueAdmin(UserWrittenAdmin):
    list_display = [
        "title",
        "agenda",
        "status",
        "severity",
        "kind",
        "submitted_by",
        "reviewed_by",
        "reviewed_at",
    ]
    list_select_related = ["agenda", "submitted_by", "reviewed_by"]
    list_filter = [ModerationStatusFilter, "severity", "kind"]
    search_fields = ["title", "slug", "body", "author", "agenda__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["agenda", "assumption", "source", "response_source"]
    actions = ["publish", "reject"]
    fieldsets = [
        (None, {"fields": ["agenda", "assumption", "title", "slug", "kind", "severity"]}),
        ("The argument", {"fields": ["body", "author", "source"]}),
        ("The reply", {"fields": ["response", "response_source"]}),
        (
            "Moderation",
            {"fields": ["status", "submitted_by", "reviewed_by", "reviewed_at"]},
        ),
    ]

    def get_queryset(self, request):
        critiques = super().get_queryset(request)
        if can_moderate(request.user):
            return critiques
        return critiques.filter(submitted_by=request.user)

    def get_readonly_fields(self, request, obj=None):
        # Who submitted and who reviewed are recorded by save_model and the actions.
        recorded = ["submitted_by", "reviewed_by", "reviewed_at"]
        return recorded if can_moderate(request.user) else ["status", *recorded]

    def has_moderate_permission(self, request):
        return can_moderate(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or can_moderate(request.user) or obj.submitted_by_id == request.user.pk
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_moderate(request.user):
            return True
        return obj.submitted_by_id == request.user.pk and obj.status == Status.SUBMITTED

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Django's admin would redirect to the index for a row outside get_queryset();
        # answer 404 instead, so another contributor's critique is plainly not there.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("There is no critique with that id that you can open.")
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if can_moderate(request.user) and request.GET.get("status", "") in ("", Status.SUBMITTED):
            extra_context = {"title": "Moderation queue: critiques awaiting review"}
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.submitted_by = request.user
        if not can_moderate(request.user):
            obj.status = Status.SUBMITTED
            obj.reviewed_by = obj.reviewed_at = None
        else:
            previous = Critique.objects.filter(pk=obj.pk).values_list("status", flat=True)
            if not change or obj.status != previous.first():
                self._record_decision(request, obj)
        super().save_model(request, obj, form, change)

    @staticmethod
    def _record_decision(request, obj):
        if obj.status == Status.SUBMITTED:
            obj.reviewed_by = obj.reviewed_at = None
        else:
            obj.reviewed_by, obj.reviewed_at = request.user, timezone.now()

    @admin.action(description="Publish selected critiques", permissions=["moderate"])
    def publish(self, request, queryset):
        self._decide(request, queryset, Status.PUBLISHED)

    @admin.action(description="Reject selected critiques", permissions=["moderate"])
    def reject(self, request, queryset):
        self._decide(request, queryset, Status.REJECTED)

    def _decide(self, request, queryset, status):
        """Set the status of the selected critiques in one UPDATE, and record it as history."""
        now = timezone.now()
        critiques = list(queryset.exclude(status=status))
        changed = Critique.objects.filter(pk__in=[c.pk for c in critiques]).update(
            status=status, reviewed_by=request.user, reviewed_at=now
        )
        for critique in critiques:
            critique.status, critique.reviewed_by, critique.reviewed_at = status, request.user, now
        # QuerySet.update() bypasses simple-history's signals, so write the versions here.
        Critique.history.bulk_history_create(critiques, default_user=request.user, update=True)
        self.message_user(
            request,
            ngettext(
                "%(count)d critique %(status)s.",
                "%(count)d critiques %(status)s.",
                changed,
            )
            % {"count": changed, "status": Status(status).label.lower()},
            messages.SUCCESS,
        )
