from handover import (
    api_alert_urls,
    api_fhir_urls,
    api_municipal_urls,
    api_ward_urls,
)
from incidents import api_urls as incidents_api_urls

# Each area of the API owns its own URL module; the look-up's first: it is called the most.
# Their patterns are joined into one list, not included: each include("") is one more resolver
# that every API request passes through.
urlpatterns = [
    *api_municipal_urls.urlpatterns,
    *api_ward_urls.urlpatterns,
    *api_alert_urls.urlpatterns,
    *api_fhir_urls.urlpatterns,
    *incidents_api_urls.urlpatterns,
]
