from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from contacts.models import (
    ContactPerson,
    HealthCluster,
    Hospital,
    Municipality,
    PhoneOverride,
    Region,
    Ward,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region", "health_cluster")
    list_filter = ("region", "health_cluster")
    search_fields = ("name", "code")
    list_select_related = ("region", "health_cluster")


class ClusterMunicipalityInline(admin.TabularInline):
    """A cluster's municipalities; a municipality moves to another cluster on its own page."""

    model = Municipality
    fields = ("code", "name")
    readonly_fields = ("code", "name")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HealthCluster)
class HealthClusterAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "acute_hospital", "to_be_confirmed")
    list_filter = ("region", "to_be_confirmed")
    search_fields = ("name", "acute_hospital", "municipalities__name")
    inlines = [ClusterMunicipalityInline]


class WardInline(admin.TabularInline):
    model = Ward
    fields = (
        "name",
        "sor_code",
        "kind",
        "day_phone",
        "on_call_phone",
        "extended_care_phone",
        "active",
    )
    extra = 0


@admin.register(Hospital)
class HospitalAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "sor_code", "central_phone")
    list_filter = ("region",)
    search_fields = ("name", "sor_code")
    inlines = [WardInline]


class PhoneOverrideInline(admin.TabularInline):
    model = PhoneOverride
    extra = 0


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ("name", "hospital", "kind", "sor_code", "day_phone", "on_call_phone", "active")
    list_filter = ("kind", "active", "hospital__region")
    search_fields = ("name", "sor_code", "hospital__name")
    list_select_related = ("hospital",)
    inlines = [PhoneOverrideInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "hospital", "ward", "municipality", "phone", "email")
    list_filter = ("role",)
    search_fields = ("name", "email")
