from django.urls import path

from handover import api_ward

urlpatterns = [
    path("discharges/", api_ward.discharge_list, name="discharge-list"),
    path("discharges/<id:pk>/", api_ward.discharge_detail, name="discharge-detail"),
    path("discharges/<id:pk>/extend/", api_ward.discharge_extend, name="discharge-extend"),
    path("discharges/<id:pk>/end/", api_ward.discharge_end, name="discharge-end"),
]
