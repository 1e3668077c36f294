from django.urls import path

from handover import api_municipal

urlpatterns = [
    path("lookup/", api_municipal.lookup, name="lookup"),
    path("discharges/<id:pk>/calls/", api_municipal.discharge_calls, name="discharge-calls"),
]
