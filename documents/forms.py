from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tickets.forms import CheckedFileField
from tickets.uploads import JPEG, PDF, PNG


class DocumentUploadForm(forms.Form):
    """One slot of the checklist: one file, checked like a reply's (tickets.uploads)."""

    file = CheckedFileField(label=_("Archivo"), allowed=(PDF, JPEG, PNG), multiple=False, required=True)

    def __init__(self, *args, requirement_id: int, **kwargs):
        # Several slots on one page: each field needs its own id.
        kwargs.setdefault("auto_id", f"documento-{requirement_id}-%s")
        super().__init__(*args, **kwargs)
        self.requirement_id = requirement_id
        self.fields["file"].help_text = _("PDF, JPG o PNG de hasta %(size)s.") % {
            "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)
        }
        self.fields["file"].error_messages["required"] = _("Elija el archivo del documento.")

    @property
    def upload(self):
        return self.cleaned_data["file"][0]
