from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "JHLeasing · Mesa de ayuda"
admin.site.site_title = "JHLeasing"
admin.site.index_title = "Administración del portal"

urlpatterns = [
    path("", RedirectView.as_view(url="/portal-de-clientes/", permanent=False)),
    path("admin/", admin.site.urls),
    path("cuentas/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal-de-clientes/", include("tickets.urls")),
    path("ayuda/", include("workflows.urls")),
]
