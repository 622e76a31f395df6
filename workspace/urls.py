"""The staff workspace's pages, under /admin/espacio/ (admin's login and look)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "workspace"
staff = admin.site.admin_view

urlpatterns = [
    path("tablero/<slug:slug>/", staff(views.board), name="board"),
    path("tablero/<slug:slug>/etapa/<int:stage_id>/", staff(views.board_column), name="board_column"),
    path("tablero/<slug:slug>/mover/", staff(views.board_move), name="board_move"),
    path("tablero/<slug:slug>/responsable/", staff(views.board_assign), name="board_assign"),
    path("reportes/<slug:slug>/", staff(views.report), name="report"),
    path("reportes/<slug:slug>/csv/", staff(views.report_csv), name="report_csv"),
]
