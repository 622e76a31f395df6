"""The vehicle view in admin, behind admin.site.admin_view (staff login, second factor)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "vehicles_admin"
urlpatterns = [
    path("", admin.site.admin_view(views.admin_vehicle_list), name="vehicle_list"),
    path("placas/<str:plates>/", admin.site.admin_view(views.admin_vehicle_detail), name="vehicle_by_plates"),
    path("<str:vin>/", admin.site.admin_view(views.admin_vehicle_detail), name="vehicle_by_vin"),
]
