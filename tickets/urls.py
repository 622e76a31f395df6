from django.urls import path

from documents.views import document_upload

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("nuevo/", views.ticket_new, name="ticket_new"),
    path("<int:number>/", views.ticket_detail, name="ticket_detail"),
    path("<int:number>/responder/", views.ticket_reply, name="ticket_reply"),
    path("<int:number>/documentos/<int:requirement_id>/", document_upload, name="document_upload"),
    path("adjuntos/<int:pk>/", views.attachment_download, name="attachment_download"),
]
