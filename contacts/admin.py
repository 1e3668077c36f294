from django.contrib import admin

from contacts.models import ContactPerson, Hospital, Municipality, PhoneOverride, Region, Ward


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    search_fields = ("name", "code")


class WardInline(admin.TabularInline):
    model = Ward
    fields = ("name", "sor_code", "kind", "day_phone", "on_call_phone", "active")
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
