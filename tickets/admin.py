from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList, ChangeListSearchForm
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from documents.admin import TicketDocumentInline
from jhl_portal.admin_actions import action_form_response
from jhl_portal.text import SearchField
from servicetime.ticket_admin import DUE_ORDERING, DueFilter, due_column, due_counts_context
from workflows.models import Area, Stage, State
from workspace.owners import OwnerFilter, assign_owner, owner_choices

from . import services
from .admin_paginator import EstimatedCountPaginator
from .downloads import attachment_response
from .models import Attachment, Channel, Ticket, TimelineEntry, ticket_number
from .templatetags.portal import short_datetime
from .uploads import validate_upload

Kind = TimelineEntry.Kind


def staff_areas(user):
    """The areas whose tickets a staff member works on (all of them for superusers)."""
    return Area.objects.worked_by(user)


class StateFilter(admin.SimpleListFilter):
    title = gettext_lazy("Estado")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        if self.value() in State.values:
            return queryset.filter(stage__state=self.value())
        return queryset


class StageFilter(admin.RelatedFieldListFilter):
    """Stages labelled "Área · Etapa", read with their areas in one query."""

    def field_choices(self, field, request, model_admin):
        return [(stage.pk, str(stage)) for stage in Stage.objects.select_related("area")]


class StaffEntryForm(forms.ModelForm):
    """What staff add from a ticket's page: a reply, an internal note or a logged
    conversation, optionally with one file."""

    KIND_CHOICES = [(k.value, k.label) for k in (Kind.STAFF_REPLY, Kind.INTERNAL_NOTE, Kind.CONVERSATION)]
    CHANNELS = [(c.value, c.label) for c in (Channel.EMAIL, Channel.PORTAL, Channel.PHONE, Channel.CHAT, Channel.WHATSAPP)]

    kind = forms.ChoiceField(label=gettext_lazy("Tipo"), choices=KIND_CHOICES)
    conversation_channel = forms.ChoiceField(
        label=gettext_lazy("Canal de la conversación"),
        choices=CHANNELS,
        required=False,
        help_text=gettext_lazy(
            "Por dónde se respondió o se conversó; de inicio, el canal del ticket. Las notas internas no tienen canal."
        ),
    )
    upload = forms.FileField(label=gettext_lazy("Adjunto (PDF, JPG o PNG)"), required=False)

    class Meta:
        model = TimelineEntry
        fields = ["kind", "conversation_channel", "body"]
        labels = {"body": gettext_lazy("Mensaje")}

    def __init__(self, *args, ticket: Ticket | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The team answers where the client wrote (issue 8): an e-mail ticket by e-mail,
        # a WhatsApp conversation on WhatsApp.
        if ticket is not None and ticket.channel in dict(self.CHANNELS):
            self.fields["conversation_channel"].initial = ticket.channel

    def has_changed(self) -> bool:
        # The browser always sends the type and channel selects; a blank message with
        # no file means staff only saved the ticket (e.g. a new stage), not an entry.
        return bool((self["body"].data or "").strip() or self["upload"].data)

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        return validate_upload(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("body") or "").strip() and not cleaned.get("upload"):
            raise ValidationError(_("Escriba un mensaje o adjunte un archivo."))
        return cleaned

    def channel(self) -> str:
        if self.cleaned_data["kind"] == Kind.INTERNAL_NOTE:
            return Channel.INTERNAL
        # A staff reply reaches the client by e-mail and in the portal whatever the
        # channel; the channel records where the conversation happened.
        return self.cleaned_data.get("conversation_channel") or Channel.EMAIL


class TimelineHistoryInline(admin.TabularInline):
    """The ticket's timeline, read-only: past interactions are a record nobody rewrites."""

    model = TimelineEntry
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["summary", "attachment_links"]
    readonly_fields = ["summary", "attachment_links"]
    verbose_name = gettext_lazy("Interacción")
    verbose_name_plural = gettext_lazy("Historial del ticket")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("author", "from_stage", "to_stage", "from_owner", "to_owner")
            .prefetch_related("attachments")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("Interacción"))
    def summary(self, entry):
        if entry.kind == Kind.STAGE_CHANGE:
            return _("%(when)s · %(who)s movió el ticket de «%(from)s» a «%(to)s»") % {
                "when": short_datetime(entry.created_at),
                "who": entry.author or _("Sistema"),
                "from": entry.from_stage.name if entry.from_stage else "—",
                "to": entry.to_stage.name if entry.to_stage else "—",
            }
        if entry.kind == Kind.OWNER_CHANGE:
            return _("%(when)s · %(who)s cambió el responsable de «%(from)s» a «%(to)s»") % {
                "when": short_datetime(entry.created_at),
                "who": entry.author or _("Sistema"),
                "from": entry.from_owner or _("Sin responsable"),
                "to": entry.to_owner or _("Sin responsable"),
            }
        if entry.is_internal:
            # Set apart so nobody mistakes a note for something the client read.
            return format_html(
                "<div class='timeline-entry timeline-entry--internal'><strong>{}</strong> · {} · {}"
                " <span class='timeline-badge'>{}</span><br><span class='timeline-body'>{}</span></div>",
                entry.get_kind_display(),
                entry.author or _("Sistema"),
                short_datetime(entry.created_at),
                _("No visible para el cliente"),
                entry.body,
            )
        return format_html(
            "<div class='timeline-entry'><strong>{}</strong> · {} · {} · {}<br><span class='timeline-body'>{}</span></div>",
            entry.get_kind_display(),
            entry.get_channel_display(),
            entry.author or _("Sistema"),
            short_datetime(entry.created_at),
            entry.body,
        )

    @admin.display(description=gettext_lazy("Adjuntos"))
    def attachment_links(self, entry):
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((reverse("admin:tickets_attachment_download", args=[a.pk]), a.original_name) for a in entry.attachments.all()),
            )
            or "—"
        )


class NewEntryInline(admin.StackedInline):
    """One blank form under the history: a reply, an internal note or a logged call.

    TicketAdmin.save_formset hands it to services.entry_add(); it never saves itself.
    """

    model = TimelineEntry
    form = StaffEntryForm
    fields = ["kind", "conversation_channel", "body", "upload"]
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = gettext_lazy("Nueva interacción")
    verbose_name_plural = gettext_lazy("Añadir al historial")

    def get_queryset(self, request):
        return super().get_queryset(request).none()


def override_reason_field() -> forms.CharField:
    """Issue 11.3: why a ticket goes on although its stage's documents are not all
    accepted; move_to() records it, with who, as an internal note."""
    return forms.CharField(
        label=gettext_lazy("Motivo para avanzar sin documentos"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Solo si la etapa actual pide documentos que aún no se aceptan. Queda en el historial como nota interna, con su nombre."
        ),
    )


class MoveToStageForm(forms.Form):
    stage = forms.ModelChoiceField(label=gettext_lazy("Nueva etapa"), queryset=Stage.objects.none())
    note = forms.CharField(label=gettext_lazy("Nota (opcional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = override_reason_field()

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = area.stages.order_by("position")
        self.fields["stage"].label_from_instance = lambda stage: stage.status_text


class TicketForm(forms.ModelForm):
    override_reason = override_reason_field()

    class Meta:
        model = Ticket
        fields = [
            "area",
            "stage",
            "owner",
            "subject",
            "description",
            "requester",
            "channel",
            *Ticket.VEHICLE_FIELDS,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "stage" in self.fields and self.instance.pk:
            # Only the stages of the ticket's own area.
            self.fields["stage"].queryset = self.instance.area.stages.order_by("position")
            self.fields["stage"].label_from_instance = lambda stage: stage.status_text
        if "owner" in self.fields and self.instance.pk:
            self.fields["owner"].queryset = owner_choices(self.instance.area)

    def clean(self):
        cleaned = super().clean()
        # A move that move_to() would refuse is an error at the stage, not a crash on save.
        stage = cleaned.get("stage")
        if stage is not None and self.instance.pk and stage.pk != self.initial.get("stage"):
            if not (cleaned.get("override_reason") or "").strip():
                for refusal in self.instance.move_refusals(stage):
                    self.add_error("stage", refusal)
        return cleaned


class TicketSearchForm(ChangeListSearchForm):
    """The list's search box, refusing invisible characters with the portal's message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[SEARCH_VAR] = SearchField(required=False, strip=False)


class TicketChangeList(ChangeList):
    search_form_class = TicketSearchForm


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    form = TicketForm
    list_display = [
        "number",
        "subject",
        "organization",
        "requester",
        "area",
        "status",
        due_column,
        "owner",
        "created",
        "last_activity",
    ]
    list_display_links = ["number", "subject"]
    list_select_related = ["area", "stage", "requester", "organization", "owner"]
    list_filter = [OwnerFilter, DueFilter, "area", StateFilter, ("stage", StageFilter), "organization", "channel"]
    search_fields = ["subject"]  # see get_search_results
    search_help_text = gettext_lazy("Busque por número, asunto o correo del solicitante.")
    autocomplete_fields = ["requester"]
    date_hierarchy = None
    ordering = DUE_ORDERING
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    actions = ["move_to_stage", assign_owner]
    inlines = [TicketDocumentInline, TimelineHistoryInline, NewEntryInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "area",
                    "stage",
                    "override_reason",
                    "owner",
                    "subject",
                    "description",
                    "requester",
                    "organization",
                    "channel",
                ]
            },
        ),
        (gettext_lazy("Fechas"), {"fields": ["created_at", "last_activity_at", "closed_at", "due_at"]}),
        (
            gettext_lazy("Vehículo"),
            {"fields": Ticket.VEHICLE_FIELDS},
        ),
    ]

    # --- what a staff member may see and change ---------------------------------

    def get_queryset(self, request):
        # list_select_related does the joins; a select_related() here would switch it off.
        return super().get_queryset(request).visible_to(request.user)

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return self.fieldsets
        # A new ticket starts in its area's first stage: nothing to override.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "override_reason"]})
            for name, options in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        always = ["organization", "created_at", "last_activity_at", "closed_at", "due_at"]
        if obj is None:
            return [*always, "stage", "owner"]
        # The area fixes the pipeline; the requester and origin are history.
        return [*always, "area", "requester", "channel"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area":
            kwargs["queryset"] = staff_areas(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # Issue 11.2: overdue and due-today counts per area above the list.
        extra_context = {**due_counts_context(self.get_queryset(request)), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_changelist(self, request, **kwargs):
        return TicketChangeList

    def get_search_results(self, request, queryset, search_term):
        """A number finds that ticket; other text the subject (accents and case ignored,
        through the same trigram-indexed column as the portal) or the requester's e-mail."""
        term = search_term.strip()
        if not term:
            return queryset, False
        by_subject_or_number = queryset.search(term)
        if ticket_number(term) is not None:
            return by_subject_or_number, False
        requesters = get_user_model().objects.filter(email__icontains=term).values("pk")
        return by_subject_or_number | queryset.filter(requester__in=requesters), False

    @admin.display(description=gettext_lazy("ID"), ordering="pk")
    def number(self, ticket):
        return ticket.number

    @admin.display(description=gettext_lazy("Estado"), ordering="stage__position")
    def status(self, ticket):
        return ticket.status_text

    # The portal's short format ("1 dic 2026, 15:50", Mexico City time), so the list
    # fits a 1366 px screen.
    @admin.display(description=gettext_lazy("Creado"), ordering="created_at")
    def created(self, ticket):
        return short_datetime(ticket.created_at)

    @admin.display(description=gettext_lazy("Última actividad"), ordering="last_activity_at")
    def last_activity(self, ticket):
        return short_datetime(ticket.last_activity_at)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("area", "stage") and formfield is not None:
            # Stages and areas are edited with the pipelines, not from a ticket: no
            # add / change / delete / view icons beside the selects.
            for flag in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
                setattr(formfield.widget, flag, False)
        return formfield

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, NewEntryInline) and obj is not None:
            kwargs["form_kwargs"] = {"ticket": obj}
        return kwargs

    # --- writes all go through the services -----------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            services.ticket_open(ticket=obj)
            return
        # The form has already copied its values onto obj; the services compare with the
        # stored row, write, and record who changed what.
        edits = {name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        new_stage = form.cleaned_data.get("stage")
        with transaction.atomic():
            if edits:
                services.ticket_update(ticket=obj, by=request.user, changes=edits)
            if new_stage is not None and new_stage.pk != form.initial.get("stage"):
                obj.move_to(new_stage, by=request.user, override_reason=form.cleaned_data.get("override_reason") or "")
            if "owner" in form.changed_data:
                obj.assign_to(form.cleaned_data["owner"], by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not TimelineEntry:
            return super().save_formset(request, form, formset, change)
        # The change message reads these; entry_add() writes its own rows below.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not issubclass(formset.form, StaffEntryForm):
            return None  # the read-only history
        ticket = form.instance
        for entry_form in formset.extra_forms:
            if not entry_form.has_changed() or not entry_form.is_valid():
                continue
            upload = entry_form.cleaned_data.get("upload")
            services.entry_add(
                ticket=ticket,
                kind=entry_form.cleaned_data["kind"],
                author=request.user,
                body=entry_form.cleaned_data.get("body") or "",
                channel=entry_form.channel(),
                attachments=[upload] if upload else [],
            )

    # --- "Mover a etapa…" ---------------------------------------------------------

    @admin.action(description=gettext_lazy("Mover a etapa…"), permissions=["change"])
    def move_to_stage(self, request, queryset):
        area_ids = set(queryset.values_list("area_id", flat=True))
        if len(area_ids) != 1:
            self.message_user(
                request,
                _("Seleccione tickets de una sola área: cada área tiene sus propias etapas."),
                messages.ERROR,
            )
            return None
        area = Area.objects.get(pk=area_ids.pop())
        form = MoveToStageForm(request.POST if "apply" in request.POST else None, area=area)
        if form.is_valid():
            self._move_selected(
                request,
                queryset.select_related("stage"),
                form.cleaned_data["stage"],
                form.cleaned_data["note"],
                form.cleaned_data["override_reason"],
            )
            return None
        return action_form_response(
            self,
            request,
            template="admin/tickets/ticket/move_to_stage.html",
            title=_("Mover a etapa"),
            action="move_to_stage",
            objects=queryset.select_related("stage"),
            form=form,
            area=area,
        )

    def _move_selected(self, request, tickets, stage: Stage, note: str, override_reason: str = "") -> None:
        """Move each ticket through Ticket.move_to(); tell staff what was done and what not."""
        moved, already_there, refused = 0, 0, []
        for ticket in tickets:
            try:
                # move_to() returns None for a ticket already in that stage (it checks
                # under a row lock, so no separate check here).
                entry = ticket.move_to(stage, by=request.user, note=note, override_reason=override_reason)
            except ValidationError as error:
                refused.append(f"#{ticket.number}: {' '.join(error.messages)}")
                continue
            if entry is None:
                already_there += 1
            else:
                moved += 1
        parts = [
            ngettext("%(count)d ticket movido a «%(status)s»", "%(count)d tickets movidos a «%(status)s»", moved)
            % {"count": moved, "status": stage.status_text}
        ]
        if already_there:
            parts.append(
                ngettext("%(count)d ya estaba en esa etapa", "%(count)d ya estaban en esa etapa", already_there)
                % {"count": already_there}
            )
        if refused:
            parts.append(
                ngettext("%(count)d no se pudo mover (%(why)s)", "%(count)d no se pudieron mover (%(why)s)", len(refused))
                % {"count": len(refused), "why": "; ".join(refused)}
            )
        level = messages.SUCCESS if moved and not refused else messages.WARNING
        self.message_user(request, "; ".join(parts) + ".", level)

    # --- attachments --------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "adjunto/<int:attachment_id>/",
                self.admin_site.admin_view(self.download_attachment),
                name="tickets_attachment_download",
            ),
            *super().get_urls(),
        ]

    def download_attachment(self, request, attachment_id):
        visible = Ticket.objects.visible_to(request.user)
        attachment = get_object_or_404(Attachment.objects.filter(entry__ticket__in=visible), pk=attachment_id)
        if not self.has_view_permission(request):
            raise Http404
        return attachment_response(attachment)
