from django.urls import path

from incidents import api

urlpatterns = [
    path("incidents/", api.incident_list, name="incident-list"),
    path("incidents/<id:pk>/", api.incident_detail, name="incident-detail"),
    path("incidents/<id:pk>/transition/", api.incident_transition, name="incident-transition"),
    path("stats/compliance/", api.stats_compliance, name="stats-compliance"),
    path("stats/incidents/", api.stats_incidents, name="stats-incidents"),
    path("stats/calls/", api.stats_calls, name="stats-calls"),
]
