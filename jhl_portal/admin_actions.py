"""The intermediate page of an admin action that needs a form ("Mover a etapa…",
"Crear ticket para un cliente…"): the selected objects, the form, a submit button."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse


def action_form_response(model_admin, request, *, template: str, title: str, action: str, objects, form, **context):
    """Render `template` (which extends admin/action_form.html) for `action`.

    The page posts the selected objects back with `apply=1`; the action then finds
    its form bound and valid, or shows this page again with the errors. "Cancelar"
    returns to the list as it was (the action posts to the list's own URL, filters
    included).
    """
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.model._meta,
            "action": action,
            "objects": objects,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "cancel_url": request.get_full_path(),
            **context,
        },
    )
