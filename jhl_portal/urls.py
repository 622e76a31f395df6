from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from .views import benchmark_bare, choose_language, healthz

admin.site.site_header = _("JHLeasing · Mesa de ayuda")
admin.site.site_title = "JHLeasing"
admin.site.index_title = _("Administración del portal")
# The ticket list needs the width more than staff need the app menu beside it.
admin.site.enable_nav_sidebar = False
# The admin's own login would be a side door around allauth's rate limits and second
# factor: send it through allauth's login instead.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:ticket_list", permanent=False)),
    path("healthz", healthz, name="healthz"),
    # The staff workspace (issue 12) lives in admin's address space, look and login.
    path("admin/espacio/", include("workspace.urls")),
    path("admin/vehiculos/", include("vehicles.admin_urls")),
    path("admin/", admin.site.urls),
    path("cuentas/", include("accounts.urls")),
    path("cuentas/", include("allauth.urls")),
    path("idioma/<str:code>/", choose_language, name="choose_language"),
    path("portal-de-clientes/vehiculos/", include("vehicles.urls")),
    path("portal-de-clientes/", include("tickets.urls")),
    path("ayuda/", include("helpcenter.urls")),
    path("encuesta/", include("surveys.urls")),
    path("correo/entrante/", include("emails.urls")),
]
if settings.BENCHMARK:
    urlpatterns.append(path("bench/bare/", benchmark_bare))
