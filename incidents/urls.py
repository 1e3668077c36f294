from django.urls import path

from incidents import views, views_dashboard, views_digest

app_name = "incidents"

urlpatterns = [
    path("ny/", views.report_new, name="report_new"),
    path("mine/", views.my_reports, name="my_reports"),
    path("<id:pk>/", views.report_detail, name="report_detail"),
    path("<id:pk>/status/", views.report_transition, name="report_transition"),
    path("indbakke/", views.inbox, name="inbox"),
    path("overblik/", views_dashboard.dashboard, name="dashboard"),
    path("overblik/raekker/", views_dashboard.dashboard_rows, name="dashboard_rows"),
    path("laering/", views_digest.digest_index, name="digest_index"),
    path("laering/afdelinger/<id:pk>/", views_digest.ward_digest, name="ward_digest"),
]
