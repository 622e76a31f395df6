from django.urls import path

from . import views

app_name = "help"
urlpatterns = [
    path("", views.help_index, name="index"),
    path("sugerencias/", views.suggestions, name="suggestions"),
    # Seed 000's article keeps the address the portal has always linked to.
    path(f"{views.STATES_SLUG}/", views.ticket_states, name="ticket_states"),
    path("<slug:slug>/", views.article_detail, name="article"),
]
