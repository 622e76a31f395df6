from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jhl_portal.admin_actions import action_form_response
from tickets.admin import staff_areas
from tickets.models import Ticket
from tickets.templatetags.portal import short_datetime
from workflows.models import Area

from . import inbound as inbound_module
from . import outbound
from .models import InboundEmail, OutboundEmail


class ReadOnlyAdmin(admin.ModelAdmin):
    """Mail is a record: staff read it and act on it through actions, never edit it.

    A team member sees the mail of the tickets they may see; with `shows_shared_triage`
    also the mail that belongs to no ticket yet.
    """

    shows_shared_triage = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        visible = Q(ticket__in=Ticket.objects.visible_to(request.user))
        if self.shows_shared_triage:
            visible |= Q(ticket__isnull=True)
        return queryset.filter(visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    # No shared triage here: outbound mail without a ticket is account mail
    # (invitations, password resets), addressed to one person and often carrying an
    # access link. Only superusers see it, and even they never see such a link.
    list_display = ["created_at", "recipients", "subject", "status", "attempts", "next_attempt_at", "short_error"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "to", "message_id"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    fields = [
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "ticket",
        "template",
        "from_email",
        "to",
        "reply_to",
        "subject",
        "message_id",
        "headers",
        "body",
        "created_at",
    ]
    readonly_fields = ["body"]

    @admin.display(description=gettext_lazy("destinatarios"))
    def recipients(self, email):
        return ", ".join(email.to)

    @admin.display(description=gettext_lazy("último error"))
    def short_error(self, email):
        return email.last_error[:80]

    @admin.display(description=gettext_lazy("texto"))
    def body(self, email):
        if email.is_sensitive:
            # Even before it is sent: whoever reads the link can use it first.
            return _("[Contenido oculto: contiene un enlace de acceso personal.]")
        return email.text

    def has_change_permission(self, request, obj=None):
        # The retry action needs the change permission; the form stays read-only.
        return request.user.has_perm("emails.change_outboundemail") if obj is None else False

    @admin.action(description=gettext_lazy("Reintentar envío"), permissions=["change"])
    def retry(self, request, queryset):
        count = outbound.retry_failed(queryset)
        self.message_user(request, _("%(count)d correo(s) vuelven a la cola de envío.") % {"count": count}, messages.SUCCESS)


class ConvertToTicketForm(forms.Form):
    requester = forms.ModelChoiceField(
        label=gettext_lazy("Cliente"),
        queryset=get_user_model().objects.filter(is_active=True, is_staff=False).order_by("email"),
        help_text=gettext_lazy("El ticket se abre a su nombre y recibirá el correo de ticket creado."),
    )
    area = forms.ModelChoiceField(label=gettext_lazy("Área"), queryset=Area.objects.all())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A team member opens tickets only where they work (the same areas they see).
        self.fields["area"].queryset = staff_areas(user)


class AddToTicketForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Número de ticket"), min_value=1)
    author = forms.ModelChoiceField(
        label=gettext_lazy("Cliente que escribe"),
        queryset=get_user_model().objects.filter(is_active=True, is_staff=False).order_by("email"),
        help_text=gettext_lazy("El solicitante del ticket o un colega de su organización."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_number(self):
        # Only tickets this staff member may see: another area's ticket does not exist.
        ticket = Ticket.objects.visible_to(self.user).filter(pk=self.cleaned_data["number"]).first()
        if ticket is None:
            raise ValidationError(_("No existe un ticket con ese número entre los que usted atiende."))
        self.cleaned_data["ticket"] = ticket
        return self.cleaned_data["number"]


class HasDuplicatesFilter(admin.SimpleListFilter):
    title = gettext_lazy("duplicados")
    parameter_name = "duplicados"

    def lookups(self, request, model_admin):
        return [("si", _("Con duplicados"))]

    def queryset(self, request, queryset):
        return queryset.filter(duplicate_count__gt=0) if self.value() == "si" else queryset


@admin.register(InboundEmail)
class InboundEmailAdmin(ReadOnlyAdmin):
    # Mail without a ticket (unknown senders, held messages) is everyone's to triage.
    shows_shared_triage = True
    list_display = ["received_at", "from_address", "subject", "outcome", "rule", "ticket_link", "source", "duplicate_count"]
    list_filter = ["outcome", "rule", "source", HasDuplicatesFilter]
    search_fields = ["from_address", "subject", "message_id"]
    date_hierarchy = "received_at"
    actions = ["convert_to_ticket", "add_to_ticket", "reprocess"]
    fields = [
        "received_at",
        "source",
        "outcome",
        "rule",
        "detail",
        "ticket",
        "from_address",
        "to_addresses",
        "subject",
        "message_id",
        "text",
        "raw_download",
        "duplicate_list",
    ]
    readonly_fields = ["raw_download", "duplicate_list"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(duplicate_count=Count("duplicates"))

    @admin.display(description=gettext_lazy("duplicados"), ordering="duplicate_count")
    def duplicate_count(self, email):
        return email.duplicate_count or "—"

    @admin.display(description=gettext_lazy("recibido de nuevo"))
    def duplicate_list(self, email):
        """Every later arrival under this Message-ID: when, from whom, whether the same."""
        duplicates = email.duplicates.order_by("received_at", "pk")
        if not duplicates:
            return "—"
        rows = format_html_join(
            "",
            "<li>{} · {} · {} · {}</li>",
            (
                (
                    short_datetime(d.received_at),
                    d.from_address or _("(sin remitente)"),
                    d.source,
                    _("mismo contenido") if d.same_body else _("contenido distinto"),
                )
                for d in duplicates
            ),
        )
        return format_html("<ul>{}</ul>", rows)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("emails.change_inboundemail") if obj is None else False

    @admin.display(description=gettext_lazy("ticket"))
    def ticket_link(self, email):
        if email.ticket_id is None:
            return "—"
        return format_html(
            '<a href="{}">#{}</a>', reverse("admin:tickets_ticket_change", args=[email.ticket_id]), email.ticket_id
        )

    @admin.display(description=gettext_lazy("mensaje original"))
    def raw_download(self, email):
        url = reverse("admin:emails_inboundemail_raw", args=[email.pk])
        return format_html('<a href="{}">{}</a>', url, _("Descargar el .eml original"))

    def get_urls(self):
        return [
            path("<int:pk>/original.eml", self.admin_site.admin_view(self.raw_view), name="emails_inboundemail_raw"),
            *super().get_urls(),
        ]

    def raw_view(self, request, pk):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        email = get_object_or_404(self.get_queryset(request), pk=pk)
        # Served as a download, never rendered: the message is untrusted.
        response = HttpResponse(bytes(email.raw), content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="correo-{email.pk}.eml"'
        return response

    @admin.action(description=gettext_lazy("Reprocesar"), permissions=["change"])
    def reprocess(self, request, queryset):
        failed = list(queryset.filter(outcome=InboundEmail.Outcome.FAILED))
        for inbound in failed:
            inbound_module.reprocess(inbound)
        self.message_user(
            request,
            _("%(count)d correo(s) procesados de nuevo; vea su resultado en la lista.") % {"count": len(failed)},
            messages.SUCCESS if failed else messages.WARNING,
        )

    def _each(self, request, emails, act) -> list:
        """What `act` returned for each held message; a refused one is reported instead."""
        done = []
        for email in emails:
            try:
                done.append(act(email))
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
        return done

    @admin.action(description=gettext_lazy("Añadir a un ticket…"), permissions=["change"])
    def add_to_ticket(self, request, queryset):
        held = list(queryset.filter(outcome__in=InboundEmail.CONVERTIBLE).order_by("received_at", "pk"))
        if not held:
            self.message_user(
                request,
                _("Solo los correos de remitentes desconocidos o en revisión se pueden añadir a un ticket."),
                messages.ERROR,
            )
            return None
        named = next((email.ticket_id for email in held if email.ticket_id), None)
        form = AddToTicketForm(request.POST if "apply" in request.POST else None, user=request.user, initial={"number": named})
        if form.is_valid():
            ticket, author = form.cleaned_data["ticket"], form.cleaned_data["author"]
            added = self._each(request, held, lambda email: inbound_module.add_to_ticket(email, ticket=ticket, author=author))
            if added:
                self.message_user(
                    request,
                    _("%(count)d correo(s) añadidos al ticket #%(number)s.") % {"count": len(added), "number": ticket.number},
                    messages.SUCCESS,
                )
            return None
        return action_form_response(
            self,
            request,
            template="admin/emails/inboundemail/add_to_ticket.html",
            title=_("Añadir un correo a un ticket"),
            action="add_to_ticket",
            objects=held,
            form=form,
        )

    @admin.action(description=gettext_lazy("Crear ticket para un cliente…"), permissions=["change"])
    def convert_to_ticket(self, request, queryset):
        convertible = queryset.filter(outcome__in=InboundEmail.CONVERTIBLE)
        if not convertible.exists():
            self.message_user(
                request, _("Solo los correos de remitentes desconocidos o en revisión se pueden convertir."), messages.ERROR
            )
            return None
        form = ConvertToTicketForm(request.POST if "apply" in request.POST else None, user=request.user)
        if form.is_valid():
            requester, area = form.cleaned_data["requester"], form.cleaned_data["area"]
            created = self._each(
                request, convertible, lambda email: inbound_module.convert_to_ticket(email, requester=requester, area=area)
            )
            if created:
                numbers = ", ".join(f"#{ticket.number}" for ticket in created)
                self.message_user(request, _("Tickets creados: %(tickets)s.") % {"tickets": numbers}, messages.SUCCESS)
            return None
        return action_form_response(
            self,
            request,
            template="admin/emails/inboundemail/convert_to_ticket.html",
            title=_("Crear ticket desde un correo"),
            action="convert_to_ticket",
            objects=convertible,
            form=form,
        )
