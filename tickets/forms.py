"""Portal forms: the reply to a ticket and the new-ticket request of seed 001."""

import uuid
from functools import cached_property
from itertools import groupby

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jhl_portal.text import SingleLineFormField
from workflows.models import Area

from . import services
from .models import HeldUpload, Ticket
from .uploads import JPEG, PDF, PNG, CheckedUpload, validate_upload, validate_upload_count
from .vehicles import validate_plates, validate_vin

# Browsers never keep a chosen file when a form comes back with errors; we say so
# next to every file error instead of letting the client wonder where it went.
RESELECT_NOTE = _("Por seguridad, el navegador no conserva los archivos elegidos: vuelva a seleccionarlos.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedFileField(forms.FileField):
    """One or several uploads, each checked by its content with validate_upload().

    Cleans to a list of CheckedUpload (empty when nothing was chosen). The `accept`
    attribute only helps the browser's file picker; the content check decides.
    """

    def __init__(self, *, allowed: tuple[str, ...], multiple: bool, **kwargs):
        self.allowed = allowed
        self.multiple = multiple
        accept = ",".join({PDF: ".pdf,application/pdf", JPEG: ".jpg,.jpeg,image/jpeg", PNG: ".png,image/png"}[t] for t in allowed)
        widget = MultipleFileInput if multiple else forms.FileInput
        kwargs.setdefault("widget", widget(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[CheckedUpload]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if self.multiple:
            validate_upload_count(files)
        checked, errors = [], []
        for uploaded in files:
            try:
                super().clean(uploaded, initial)
                checked.append(validate_upload(uploaded, allowed=self.allowed))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError([*errors, ValidationError(RESELECT_NOTE, code="reselect")])
        return checked


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Su mensaje"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=20000)
    files = CheckedFileField(
        label=_("Adjuntar archivos"),
        allowed=(PDF, JPEG, PNG),
        multiple=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _("PDF, JPG o PNG; hasta %(count)d archivos de %(size)s cada uno.") % {
            "count": settings.ATTACHMENT_MAX_FILES,
            "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        }

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("body") or "").strip() and not cleaned.get("files") and "files" not in self.errors:
            raise ValidationError(_("Escriba un mensaje o adjunte un archivo."), code="empty")
        return cleaned


class AreaChoiceField(forms.ModelChoiceField):
    """Every area, chosen by its slug; cleans to the area with the stage its new
    ticket starts in, from the cache (Area.objects.opening(); issue 10: no query)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Area.objects.all(), to_field_name="slug", **kwargs)

    def label_from_instance(self, area: Area) -> str:
        return area.name

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        try:
            return Area.objects.opening(str(value))
        except Area.DoesNotExist:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}) from None


class NewTicketForm(forms.ModelForm):
    """Seed 001, "Solicitud de nuevo ticket de asistencia": the fields in its order.

    Builds an unsaved Ticket; tickets.services.ticket_open_once() opens it.
    """

    contact_name = SingleLineFormField(label=_("Nombre y apellidos"), max_length=150)
    # Seed 001: "únicamente puedes utilizar tu correo como usuario registrado".
    email = forms.EmailField(label=_("Correo electrónico"), disabled=True, required=False)
    area = AreaChoiceField(
        label=_("Tipo de requerimiento"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Elija el tipo de requerimiento.")},
    )
    subject = SingleLineFormField(label=_("Asunto"), max_length=200)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    attachment = CheckedFileField(label=_("Cargar un archivo"), allowed=(PDF,), multiple=False)
    vehicle_brand = SingleLineFormField(label=_("Marca"), max_length=60, required=False)
    vehicle_line = SingleLineFormField(label=_("Línea"), max_length=60, required=False)
    vehicle_year = forms.IntegerField(
        label=_("Modelo"), required=False, min_value=1950, help_text=_("El año del vehículo, p. ej. 2024.")
    )
    vehicle_vin = forms.CharField(
        label=_("Número de Serie"),
        max_length=25,
        required=False,
        help_text=_("Los 17 caracteres del VIN, como aparecen en la tarjeta de circulación."),
    )
    vehicle_color = SingleLineFormField(label=_("Color"), max_length=40, required=False)
    vehicle_plates = forms.CharField(label=_("Placas"), max_length=12, required=False)
    client_token = forms.UUIDField(widget=forms.HiddenInput)
    confirm_duplicate = forms.BooleanField(
        label=_("Sí, es una solicitud distinta: enviarla de todos modos."),
        required=False,
    )
    drop_attachment = forms.BooleanField(label=_("No enviar este archivo"), required=False)
    # Sent by a page that showed a held file (see _hold()): without it nothing is held
    # for the client to send, so the form does not look (issue 10: one query less).
    held_attachment = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Ticket
        fields = [
            "contact_name",
            "area",
            "subject",
            "description",
            *Ticket.VEHICLE_FIELDS,
        ]

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("contact_name", user.get_full_name())
        kwargs["initial"].setdefault("client_token", uuid.uuid4())
        kwargs["initial"]["email"] = user.email
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["attachment"].help_text = _("Opcional. Solo PDF, hasta %(size)s.") % {
            "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)
        }
        # A vehicle is at most a year ahead of the calendar (next year's models).
        latest_year = timezone.localdate().year + 1
        self.fields["vehicle_year"].validators.append(MaxValueValidator(latest_year))
        self.fields["vehicle_year"].widget.attrs.update(max=latest_year)
        self.fields["vehicle_vin"].widget.attrs.update(autocapitalize="characters", spellcheck="false", autocomplete="off")
        self.fields["vehicle_plates"].widget.attrs.update(autocapitalize="characters", autocomplete="off")
        self.fields["contact_name"].widget.attrs.update(autocomplete="name")

    # The file held for this form's token (issue 8.1): set by clean() and keep_attachment().
    held: HeldUpload | None = None
    # Whether a file may be held for this form's token: False when the page showed none,
    # or clean() looked and found none.
    may_hold_upload = True
    # The client's open tickets in the chosen area, while unconfirmed: set by clean().
    duplicates: list[Ticket] = []

    def clean(self):
        cleaned = super().clean()
        token = cleaned.get("client_token")
        # A page that showed no held file was sent: whatever the server may still hold
        # for the token (another tab's page, since replaced) is not what the client
        # chose to send, and it expires on its own.
        self.may_hold_upload = bool(cleaned.get("held_attachment"))
        if token is not None and self.may_hold_upload and not self.files.get(self.add_prefix("attachment")):
            held = HeldUpload.objects.filter(owner=self.user, client_token=token).first()
            self.may_hold_upload = held is not None
            if held is not None and not held.is_usable:
                held = None  # too old to go with the form; dropped with it
            self._hold(held)
            if held is not None and not cleaned.get("drop_attachment"):
                cleaned["attachment"] = [held.as_upload()]
        # Seed 001 asks not to open a ticket for a request already in progress: the
        # client's open tickets in the chosen area are shown once, until confirmed.
        area = cleaned.get("area")
        if area is not None and not cleaned.get("confirm_duplicate"):
            self.duplicates = self.open_by_area.get(area.slug, [])
        return cleaned

    def _get_validation_exclusions(self):
        # The area's field cleans to an existing area (Area.objects.opening(), whose
        # cache every change to the areas forgets): the model's check that it exists
        # would be a SELECT of its own (issue 10).
        return super()._get_validation_exclusions() | {"area"}

    @cached_property
    def open_by_area(self) -> dict[str, list[Ticket]]:
        """The client's own Abierto tickets keyed by area slug: what the duplicate rule
        looks at, and what the page's script shows as soon as an area is chosen."""
        tickets = (
            Ticket.objects.filter(requester=self.user)
            .open()
            .select_related("area", "stage")
            .order_by("area_id", "-last_activity_at")
        )
        return {slug: list(group) for slug, group in groupby(tickets, key=lambda ticket: ticket.area.slug)}

    @property
    def may_be_sent(self) -> bool:
        """Valid, and not a possible duplicate the client has yet to confirm."""
        return self.is_valid() and not self.duplicates

    def keep_attachment(self) -> None:
        """The form goes back to the client unsent: hold the file they just chose, once
        checked, for the next submit (browsers never keep it); a file they replaced,
        or asked not to send, goes."""
        token = self.cleaned_data.get("client_token")
        if token is None:
            return
        chosen = self.cleaned_data.get("attachment") if self.files.get(self.add_prefix("attachment")) else None
        if chosen:
            self._hold(services.held_upload_keep(owner=self.user, client_token=token, upload=chosen[0]))
        elif self.files or self.cleaned_data.get("drop_attachment"):
            services.held_upload_discard(owner=self.user, client_token=token)
            self._hold(None)

    def _hold(self, held: HeldUpload | None) -> None:
        self.held = held
        widget = self.fields["attachment"].widget
        if held is None:
            widget.attrs.pop("aria-describedby", None)
        else:
            widget.attrs["aria-describedby"] = f"{self['attachment'].auto_id}_helptext held-file"

    def clean_vehicle_vin(self) -> str:
        value = self.cleaned_data["vehicle_vin"].strip()
        return validate_vin(value) if value else ""

    def clean_vehicle_plates(self) -> str:
        value = self.cleaned_data["vehicle_plates"].strip()
        return validate_plates(value) if value else ""

    @property
    def files_need_reselect(self) -> bool:
        """The form came back after the client had chosen a file that we do not hold."""
        return self.is_bound and bool(self.files) and self.held is None

    def ticket(self) -> Ticket:
        """The unsaved ticket this form describes, opened by the user on the portal."""
        ticket = self.save(commit=False)
        ticket.requester = self.user
        ticket.client_token = self.cleaned_data["client_token"]
        return ticket
