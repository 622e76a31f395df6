"""The "Documentos requeridos" card of a ticket's page in the portal (issue 11.3)."""

from django import template

from .. import services
from ..forms import DocumentUploadForm
from ..models import checklist

register = template.Library()


@register.inclusion_tag("documents/checklist.html", takes_context=True)
def required_documents(context, ticket):
    """The current stage's documents, each with its state and, while the ticket is open
    and the document is pending or rejected, an upload slot. One query; nothing at all
    for a stage that asks for no documents. A slot sent back with an error
    (`document_form` in the page's context) shows it with its error."""
    items = checklist(ticket)
    failed = context.get("document_form")
    rows = []
    for item in items:
        form = None
        if item.accepts_upload and not ticket.is_closed:
            if failed is not None and failed.requirement_id == item.requirement_id:
                form = failed
            else:
                form = DocumentUploadForm(requirement_id=item.requirement_id)
        rows.append({"item": item, "form": form})
    return {
        "ticket": ticket,
        "rows": rows,
        "back": context.get("back"),
        "accepted": sum(item.status == "accepted" for item in items),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def pending_documents(ticket) -> list[str]:
    """The names of the current stage's documents not accepted yet (admin's note)."""
    return [document.name for document in services.missing_documents(ticket)]
