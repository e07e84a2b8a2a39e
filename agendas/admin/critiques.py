"""Critiques: contributors submit, editors publish or reject what they have read.

Who may do what is decided by one permission, ``agendas.moderate_critique`` (the Editors
group has it). Without it a user sees only the critiques they submitted, may edit one
only while it awaits review, and can never set its status.

What is published is exactly the version an editor reviewed (agendas/models/critiques.py
keeps the revision). Here that means: the change form and the moderation queue show each
critique as the public page will (its stored, sanitised HTML) and carry the revision shown;
a decision, or any save of the form, on a revision other than the one shown is refused with
a message. A contributor's edit after review sends the critique back to review (the model).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from agendas.admin.base import UserWrittenAdmin, can_moderate
from agendas.models import Critique, Source
from agendas.models.critiques import CONTENT_FIELDS

Status = Critique.Status
SEEN_REVISION = "seen_revision_{}"  # the queue's hidden input, one per row


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
            (Status.LINKED, "Linked, not yet summarised"),
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


def stored_revision(pk, lock=False):
    rows = Critique.objects.filter(pk=pk)
    if lock:
        # Held until the request's transaction ends (the admin saves in one), so nobody
        # can change the critique between this check and the save.
        rows = rows.select_for_update()
    return rows.values_list("revision", flat=True).first()


class CritiqueForm(forms.ModelForm):
    seen_revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            # The revision stored now, which is what the preview shows. (A revert form's
            # instance is an old version, whose own revision is older.)
            self.fields["seen_revision"].initial = stored_revision(self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            current = stored_revision(self.instance.pk, lock=True)
            seen = cleaned.get("seen_revision")
            if current is not None and seen != current:
                raise ValidationError(
                    "This critique changed after you opened it: it is now revision "
                    "%(current)s, and this page showed %(seen)s. Nothing was saved. Reload "
                    "the page to read the current text before you decide.",
                    code="stale_revision",
                    params={"current": current, "seen": seen or "none"},
                )
        if cleaned.get("status") == Status.LINKED:
            self._check_linked(cleaned)
        return cleaned

    def _check_linked(self, cleaned):
        """A linked critique is public yet unassessed: it claims no kind, severity, voice or
        reading, and cites only sources that are public already (approving one is a separate
        act)."""
        errors = {
            name: "A critique that is only linked claims no kind, severity, voice or reading. "
            "Set the status to Submitted or Published to assess it."
            for name in (*Critique.ASSESSMENT_FIELDS, "basis_source")
            if cleaned.get(name)
        }
        public = Source.objects.public()
        for name in ("source", "response_source"):
            source = cleaned.get(name)
            if source is not None and not public.filter(pk=source.pk).exists():
                errors[name] = (
                    "A linked critique is shown to readers, so it cites only approved "
                    "sources: approve this one first."
                )
        if errors:
            raise ValidationError(errors)


@admin.register(Critique)
class CritiqueAdmin(UserWrittenAdmin):
    form = CritiqueForm
    # A contributor cites the source they just added; publishing the critique makes it public.
    cites_unapproved_sources = True
    list_display = [
        "title",
        "agenda",
        "status",
        "severity",
        "kind",
        "voice",
        "submitted_by",
        "reviewed_by",
        "reviewed_at",
        "preview_in_list",
    ]
    # source and response_source: the preview names them, so they come in the same query.
    list_select_related = ["agenda", "submitted_by", "reviewed_by", "source", "response_source"]
    list_filter = [ModerationStatusFilter, "severity", "kind", "voice", "basis"]
    list_per_page = 25  # each row carries its rendered text
    search_fields = ["title", "slug", "body", "author", "agenda__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["agenda", "assumption", "source", "basis_source", "response_source"]
    actions = ["publish", "reject"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "agenda",
                    "assumption",
                    "title",
                    "slug",
                    "kind",
                    "severity",
                    "severity_confidence",
                ]
            },
        ),
        (
            "The argument",
            {
                "fields": ["body", "author", "voice", "source", "basis", "basis_source"],
                "description": "Say whose voice it is and what the summary rests on; it never "
                "claims more than that text supports. The editors' own analysis is credited "
                "to the editors.",
            },
        ),
        ("The reply", {"fields": ["response", "response_source"]}),
        (
            "As the public page will show it",
            {
                "fields": ["preview"],
                "description": "The stored text, rendered and sanitised as readers will see "
                "it. Edits you make above show here once saved.",
            },
        ),
        (
            "Moderation",
            {
                "fields": [
                    "status",
                    "revision",
                    "seen_revision",
                    "submitted_by",
                    "reviewed_by",
                    "reviewed_at",
                ]
            },
        ),
    ]

    class Media:
        css = {"all": ["agendas/admin.css"]}

    def get_queryset(self, request):
        critiques = super().get_queryset(request)
        if can_moderate(request.user):
            return critiques
        return critiques.filter(submitted_by=request.user)

    def get_readonly_fields(self, request, obj=None):
        # Who submitted and who reviewed are recorded by save_model and the actions.
        recorded = ["revision", "preview", "submitted_by", "reviewed_by", "reviewed_at"]
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Source and not can_moderate(request.user):
            # What the contributor may see: public sources and their own (SourceAdmin).
            sources = Source.objects.all()
            kwargs["queryset"] = sources.public() | sources.filter(added_by=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if self._is_queue(request):
            # Nobody has reviewed what waits in the queue: room for the text instead.
            return [name for name in columns if name not in ("reviewed_by", "reviewed_at")]
        return columns

    @staticmethod
    def _is_queue(request):
        return can_moderate(request.user) and request.GET.get("status", "") in (
            "",
            Status.SUBMITTED,
        )

    def view_on_site(self, obj):
        # Only a published critique has a public page; a draft's address would be a 404.
        return obj.get_absolute_url() if obj.is_published else None

    @admin.display(description="as readers will see it")
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return "Shown here once the critique is saved."
        return render_to_string("admin/agendas/critique/preview.html", {"critique": obj})

    @admin.display(description="text (as readers will see it)")
    def preview_in_list(self, obj):
        # The revision shown travels with the row, so an action decides on it or not at all.
        return render_to_string(
            "admin/agendas/critique/preview_in_list.html",
            {"critique": obj, "field": SEEN_REVISION.format(obj.pk)},
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Django's admin would redirect to the index for a row outside get_queryset();
        # answer 404 instead, so another contributor's critique is plainly not there.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("There is no critique with that id that you can open.")
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if self._is_queue(request):
            extra_context = {"title": "Moderation queue: critiques awaiting review"}
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.submitted_by = request.user
        if not can_moderate(request.user):
            obj.decide(Status.SUBMITTED, None)
        elif self._differs_from_stored(obj):
            # An editor saving a status, or a text under a decided status, decides on the
            # version saved: the one in the form, which the revision check proved current.
            obj.decide(obj.status, request.user)
        super().save_model(request, obj, form, change)

    @staticmethod
    def _differs_from_stored(obj):
        fields = (*CONTENT_FIELDS, "status")
        stored = Critique.objects.filter(pk=obj.pk).values_list(*fields).first()
        return stored is None or tuple(stored) != tuple(getattr(obj, name) for name in fields)

    @admin.action(description="Publish selected critiques", permissions=["moderate"])
    def publish(self, request, queryset):
        self._decide(request, queryset, Status.PUBLISHED)

    @admin.action(description="Reject selected critiques", permissions=["moderate"])
    def reject(self, request, queryset):
        self._decide(request, queryset, Status.REJECTED)

    def _decide(self, request, queryset, status):
        """Decide on the selected critiques, each only at the revision the queue showed, in
        one UPDATE, and record it as history."""
        now = timezone.now()
        decided, changed, unassessed = [], [], []
        with transaction.atomic():
            # A plain locked read (the changelist's joins cannot be locked on PostgreSQL).
            selected = Critique.objects.filter(pk__in=queryset.values("pk")).exclude(status=status)
            for critique in selected.select_for_update():
                if self._seen_revision(request, critique) != critique.revision:
                    changed.append(critique)
                    continue
                critique.decide(status, request.user, when=now)
                try:
                    # A decided critique must be assessed (summary, kind, severity, author):
                    # the model's own rule, which a merely linked one fails.
                    critique.clean()
                except ValidationError:
                    unassessed.append(critique)
                    continue
                # What save() records for a decision; bulk_update() does not call save().
                critique.reviewed_revision = critique.revision
                decided.append(critique)
            Critique.objects.bulk_update(
                decided, ["status", "reviewed_by", "reviewed_at", "reviewed_revision"]
            )
            # Bulk writes bypass simple-history's signals, so write the versions here.
            Critique.history.bulk_history_create(decided, default_user=request.user, update=True)
        self.message_user(
            request,
            ngettext(
                "%(count)d critique %(status)s.",
                "%(count)d critiques %(status)s.",
                len(decided),
            )
            % {"count": len(decided), "status": Status(status).label.lower()},
            messages.SUCCESS,
        )
        if changed:
            self.message_user(
                request,
                format_html(
                    "Not decided, because they changed after this page showed them (or it "
                    "never showed them). Read them again first: {}",
                    _titles(changed),
                ),
                messages.WARNING,
            )
        if unassessed:
            self.message_user(
                request,
                format_html(
                    "Not decided, because they are only linked. Open each, write its summary, "
                    "credit its author and set its kind and severity first: {}",
                    _titles(unassessed),
                ),
                messages.WARNING,
            )

    @staticmethod
    def _seen_revision(request, critique):
        raw = request.POST.get(SEEN_REVISION.format(critique.pk), "")
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _titles(critiques):
    return format_html_join(", ", "“{}”", ((critique.title,) for critique in critiques))
