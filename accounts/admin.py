from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessLog, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "organisation_name")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Rolle og organisation"),
            {"fields": ("role", "ward", "hospital", "municipality", "region")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Rolle og organisation"),
            {"fields": ("role", "ward", "hospital", "municipality", "region")},
        ),
    )
    list_select_related = ("ward__hospital", "hospital", "municipality", "region")

    @admin.display(description=_("organisation"))
    def organisation_name(self, user: User) -> str:
        return str(user.organisation or "—")


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only and written only by accounts.services.log_access."""

    list_display = ("at", "user", "action", "object_type", "object_id", "outcome", "client_address")
    list_filter = ("action", "outcome")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
