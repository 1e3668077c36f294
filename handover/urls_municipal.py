from django.urls import path

from handover import views_municipal

urlpatterns = [
    path("opslag/", views_municipal.lookup, name="lookup"),
    path("borgere/", views_municipal.board, name="board"),
    path("borgere/udskrift/", views_municipal.board_print, name="board_print"),
    path("borgere/nedetidsliste.csv", views_municipal.board_csv, name="board_csv"),
    path("udskrivelser/<id:pk>/opkald/", views_municipal.call_new, name="call_new"),
    path("opkald/<id:pk>/", views_municipal.call_done, name="call_done"),
    path("adgangslog/", views_municipal.access_report, name="access_report"),
]
