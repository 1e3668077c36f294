from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("", views.ward_list, name="ward_list"),
    path("afdelinger/<id:pk>/", views.ward_detail, name="ward_detail"),
    path("hospitaler/<id:pk>/lommekort/", views.pocket_card, name="pocket_card"),
    path("kommuner/", views.municipality_list, name="municipality_list"),
    path(
        "kommuner/<municipality:pk>/lommekort/",
        views.municipal_pocket_card,
        name="municipal_pocket_card",
    ),
]
