from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class StaffMFAMiddleware:
    """With settings.MFA_REQUIRED_FOR_STAFF, staff reach the admin only after enrolling a
    TOTP second factor: until then every /admin/ request goes to allauth's enrolment page.

    The check is on the admin only, so the enrolment page itself (under /cuentas/) and
    logging out keep working. A staff member who has TOTP already passed it at login
    (allauth's login stage), so here only its existence matters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_enrol(request):
            messages.warning(request, _("Para entrar a la administración active primero la verificación en dos pasos."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request) -> bool:
        user = request.user
        return (
            settings.MFA_REQUIRED_FOR_STAFF
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith("/admin/")
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        )
