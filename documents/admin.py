"""Required documents in admin: listed on each stage's page, reviewed on each ticket's.

Nothing here writes a TicketDocument itself: a verdict goes through
services.document_review(), which checks the reviewer works on the ticket's area,
records it on the timeline and e-mails the client.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tickets.templatetags.portal import short_datetime

from . import services
from .models import RequiredDocument, TicketDocument

Status = TicketDocument.Status


class RequiredDocumentInline(admin.TabularInline):
    """On a stage's admin page: what the stage asks of the client."""

    model = RequiredDocument
    fields = ["position", "name", "help_text"]
    extra = 0
    ordering = ["position", "pk"]


class ReviewForm(forms.ModelForm):
    ACCEPT, REJECT = "accept", "reject"

    decision = forms.ChoiceField(
        label=gettext_lazy("Revisión"),
        required=False,
        choices=[("", "—"), (ACCEPT, gettext_lazy("Aceptar")), (REJECT, gettext_lazy("Rechazar"))],
    )

    class Meta:
        model = TicketDocument
        fields = ["decision", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Indique el motivo del rechazo: el cliente lo leerá."))
        verdict = {self.ACCEPT: Status.ACCEPTED, self.REJECT: Status.REJECTED}.get(decision)
        if verdict is not None and self.instance.status == verdict:
            self.add_error(
                "decision", _("El documento ya está %(status)s.") % {"status": self.instance.get_status_display().lower()}
            )
        return cleaned


class ReviewFormSet(BaseInlineFormSet):
    """Saves by handing each verdict to services.document_review()."""

    request = None  # set by TicketDocumentInline.get_formset

    def save(self, commit=True):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.initial_forms:
            decision = form.cleaned_data.get("decision")
            if not decision:
                continue
            try:
                document = services.document_review(
                    document=form.instance,
                    accept=decision == ReviewForm.ACCEPT,
                    reason=form.cleaned_data.get("reason") or "",
                    by=self.request.user,
                )
            except ValidationError as error:
                # Another staff member reviewed it since the page was loaded.
                messages.error(self.request, " ".join(error.messages))
                continue
            self.changed_objects.append((document, ["status", "reason"]))
        return [document for document, _fields in self.changed_objects]


class TicketDocumentInline(admin.TabularInline):
    """On a ticket's admin page: the documents the client sent, to accept or reject, and
    what the current stage still waits for."""

    model = TicketDocument
    form = ReviewForm
    formset = ReviewFormSet
    template = "admin/documents/ticketdocument/review_inline.html"
    fields = ["document", "file", "status", "sent", "reviewed", "decision", "reason"]
    readonly_fields = ["document", "file", "status", "sent", "reviewed"]
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = gettext_lazy("documento requerido")
    verbose_name_plural = gettext_lazy("Documentos requeridos")

    def get_queryset(self, request):
        # Not InlineModelAdmin's: it asks the permissions without a ticket, which
        # _applies() answers "no" to (so that the add page has no such section).
        opts = self.opts
        if not any(request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("view", "change")):
            return TicketDocument.objects.none()
        return (
            TicketDocument.objects.all()
            .select_related("requirement__stage", "attachment", "uploaded_by", "reviewed_by")
            .order_by("requirement__stage__position", "requirement__position", "pk")
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"request": request})

    def _applies(self, request, ticket) -> bool:
        """Shown only on tickets that have documents or whose stage asks for some."""
        if ticket is None:
            return False
        cache = request.__dict__.setdefault("_ticket_documents_inline", {})
        if ticket.pk not in cache:
            cache[ticket.pk] = ticket.documents.exists() or RequiredDocument.objects.filter(stage_id=ticket.stage_id).exists()
        return cache[ticket.pk]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._applies(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._applies(request, obj)

    @admin.display(description=gettext_lazy("Documento"))
    def document(self, document):
        return f"{document.requirement.name} ({document.requirement.stage.name})"

    @admin.display(description=gettext_lazy("Archivo"))
    def file(self, document):
        url = reverse("admin:tickets_attachment_download", args=[document.attachment_id])
        return format_html('<a href="{}">{}</a>', url, document.attachment.original_name)

    @admin.display(description=gettext_lazy("Estado"))
    def status(self, document):
        return format_html(
            "<span class='document-status document-status--{}'>{}</span>", document.status, document.get_status_display()
        )

    @admin.display(description=gettext_lazy("Enviado"))
    def sent(self, document):
        return f"{document.uploaded_by} · {short_datetime(document.uploaded_at)}"

    @admin.display(description=gettext_lazy("Revisado"))
    def reviewed(self, document):
        if document.reviewed_by is None:
            return "—"
        return f"{document.reviewed_by} · {short_datetime(document.reviewed_at)}"
