from django.urls import path

from . import views

app_name = "help"
urlpatterns = [
    path("estados-de-un-ticket/", views.ticket_states, name="ticket_states"),
]
