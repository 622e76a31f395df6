from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("invitacion/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("registrese/", views.invitation_request, name="invitation_request"),
    path("registrese/enviado/", views.invitation_request_done, name="invitation_request_done"),
]
