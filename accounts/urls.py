from django.urls import path, re_path

from . import views

app_name = "accounts"
urlpatterns = [
    path("invitacion/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("registrese/", views.invitation_request, name="invitation_request"),
    path("registrese/enviado/", views.invitation_request_done, name="invitation_request_done"),
    # allauth's e-mail management would let a client add and switch to any address,
    # which is their identity here (IT sets it; inbound mail trusts it). Shadowed.
    path("email/", views.not_offered),
    re_path(r"^confirm-email/", views.not_offered),
]
