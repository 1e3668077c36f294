from django.urls import path

from handover import api_fhir

urlpatterns = [
    path(
        "fhir/hospital-notification/",
        api_fhir.hospital_notification,
        name="hospital-notification",
    ),
    path("discharges/<id:pk>/fhir/", api_fhir.discharge_fhir, name="discharge-fhir"),
]
