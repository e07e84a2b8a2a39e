"""Readers' suggestions: the editors' queue. A suggestion is never public; an editor reads
it, turns what holds into content with the rest of the admin, and marks it used or
dismissed. What the reader sent cannot be edited here, only what was done with it."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import ngettext

from agendas.admin.base import BaseAdmin
from agendas.models import Suggestion

Status = Suggestion.Status


@admin.register(Suggestion)
class SuggestionAdmin(BaseAdmin):
    list_display = ["created", "kind", "status", "sent_from", "excerpt"]
    list_filter = ["status", "kind"]
    list_select_related = ["agenda"]
    search_fields = ["text", "source_url"]
    date_hierarchy = "created"
    readonly_fields = ["kind", "text", "source_url", "email", "agenda", "page", "created"]
    fields = [*readonly_fields, "status", "note"]
    actions = ["mark_used", "mark_dismissed"]

    def has_add_permission(self, request):
        return False  # suggestions come from readers only

    def has_handle_permission(self, request):
        return request.user.has_perm("agendas.handle_suggestion")

    @admin.display(description="sent from", ordering="page")
    def sent_from(self, obj):
        return format_html('<a href="{}">{}</a>', obj.page, obj.agenda or obj.page)

    @admin.display(description="suggestion")
    def excerpt(self, obj):
        return obj.text if len(obj.text) <= 120 else f"{obj.text[:117]}…"

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.handled_by = request.user
        super().save_model(request, obj, form, change)

    def _mark(self, request, queryset, status):
        count = queryset.update(status=status, handled_by=request.user)
        self.message_user(
            request,
            ngettext("%d suggestion marked %s.", "%d suggestions marked %s.", count)
            % (count, status),
            messages.SUCCESS,
        )

    @admin.action(description="Mark as used (turned into content)", permissions=["handle"])
    def mark_used(self, request, queryset):
        self._mark(request, queryset, Status.USED)

    @admin.action(description="Mark as dismissed", permissions=["handle"])
    def mark_dismissed(self, request, queryset):
        self._mark(request, queryset, Status.DISMISSED)
