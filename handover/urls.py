from django.urls import include, path

app_name = "handover"

# Each area of the product owns its own URL module.
urlpatterns = [
    path("", include("handover.urls_ward")),
    path("", include("handover.urls_municipal")),
]
