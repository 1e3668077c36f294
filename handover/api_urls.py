from django.urls import include, path

# Each area of the API owns its own URL module; the look-up's first: it is called the most.
urlpatterns = [
    path("", include("handover.api_municipal_urls")),
    path("", include("handover.api_ward_urls")),
    path("", include("handover.api_alert_urls")),
    path("", include("handover.api_fhir_urls")),
    path("", include("incidents.api_urls")),
]
