"""The client's upload of a required document, from the ticket's page in the portal.

Like every portal view it starts from Ticket.objects.visible_to(user): another company's
ticket, and so its upload address, answers 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tickets.views import _back_to_list, _detail_context, _detail_url, _get_ticket_for_user, client_view

from . import services
from .forms import DocumentUploadForm
from .models import RequiredDocument

ANCHOR = "#documentos"


@client_view
def document_upload(request, number: int, requirement_id: int):
    ticket = _get_ticket_for_user(request, number)
    requirement = get_object_or_404(RequiredDocument.objects.filter(stage__area=ticket.area_id), pk=requirement_id)
    back = _back_to_list(request)
    if request.method != "POST":
        return redirect(_detail_url(ticket, back, ANCHOR))
    form = DocumentUploadForm(request.POST, request.FILES, requirement_id=requirement.pk)
    if form.is_valid():
        try:
            services.document_upload(ticket=ticket, requirement=requirement, upload=form.upload, by=request.user)
        except ValidationError as error:
            # Closed, moved on, or already sent: staff acted since the page was loaded.
            messages.error(request, " ".join(error.messages))
            return redirect(_detail_url(ticket, back, ANCHOR))
        messages.success(
            request,
            _("Recibimos «%(document)s». El equipo lo revisará y le avisaremos si hace falta algo más.")
            % {"document": requirement.name},
        )
        return redirect(_detail_url(ticket, back, ANCHOR))
    # The error goes at the slot; nothing was stored, the rest of the page is as it was.
    context = _detail_context(request, ticket) | {"document_form": form}
    return render(request, "portal/ticket_detail.html", context, status=400)
