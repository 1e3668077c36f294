from django.urls import path

from handover import api_alerts

urlpatterns = [path("alerts/", api_alerts.alert_list, name="alert-list")]
