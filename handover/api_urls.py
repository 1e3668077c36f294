from django.urls import path

from handover import api_alerts, api_fhir, api_municipal, api_ward

urlpatterns = [
    path("lookup/", api_municipal.lookup, name="lookup"),
    path("discharges/", api_ward.discharge_list, name="discharge-list"),
    path("discharges/<id:pk>/", api_ward.discharge_detail, name="discharge-detail"),
    path("discharges/<id:pk>/extend/", api_ward.discharge_extend, name="discharge-extend"),
    path("discharges/<id:pk>/end/", api_ward.discharge_end, name="discharge-end"),
    path("discharges/<id:pk>/calls/", api_municipal.discharge_calls, name="discharge-calls"),
    path("discharges/<id:pk>/fhir/", api_fhir.discharge_fhir, name="discharge-fhir"),
    path("alerts/", api_alerts.alert_list, name="alert-list"),
    path(
        "fhir/hospital-notification/",
        api_fhir.hospital_notification,
        name="hospital-notification",
    ),
    path("fhir/care-communication/", api_fhir.care_communication, name="care-communication"),
    path(
        "fhir/acknowledgement/",
        api_fhir.acknowledgement_received,
        name="acknowledgement-received",
    ),
    path(
        "fhir/acknowledgements/<str:message_id>/",
        api_fhir.acknowledgement,
        name="acknowledgement",
    ),
]
