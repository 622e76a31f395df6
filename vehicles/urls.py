from django.urls import path

from . import views

app_name = "vehicles"
urlpatterns = [
    path("", views.vehicle_list, name="vehicle_list"),
    path("numero-de-serie/", views.vin_lookup, name="vin_lookup"),
    path("placas/<str:plates>/", views.vehicle_detail, name="vehicle_by_plates"),
    path("<str:vin>/", views.vehicle_detail, name="vehicle_by_vin"),
]
