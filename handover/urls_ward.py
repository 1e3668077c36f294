from django.urls import path

from handover import views_actions, views_history, views_ward

urlpatterns = [
    path("udskrivelser/", views_ward.worklist, name="worklist"),
    path("udskrivelser/ny/", views_ward.discharge_new, name="discharge_new"),
    path("udskrivelser/historik/", views_history.history, name="history"),
    path("udskrivelser/ny/daekning/", views_ward.coverage_preview, name="coverage_preview"),
    path("udskrivelser/<id:pk>/", views_ward.discharge_detail, name="discharge_detail"),
    path(
        "udskrivelser/<id:pk>/dokumentation/",
        views_actions.discharge_document,
        name="discharge_document",
    ),
    path(
        "udskrivelser/<id:pk>/bekraeft/", views_actions.discharge_confirm, name="discharge_confirm"
    ),
    path("udskrivelser/<id:pk>/forlaeng/", views_actions.discharge_extend, name="discharge_extend"),
    path("udskrivelser/<id:pk>/afslut/", views_actions.discharge_end, name="discharge_end"),
    path("udskrivelser/<id:pk>/genoptag/", views_actions.discharge_resume, name="discharge_resume"),
    path("udskrivelser/<id:pk>/patientkort/", views_ward.patient_card, name="patient_card"),
]
