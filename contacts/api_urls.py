from django.urls import path

from contacts import api

urlpatterns = [
    path("municipalities/", api.MunicipalityList.as_view(), name="municipality-list"),
    path("wards/", api.WardList.as_view(), name="ward-list"),
]
