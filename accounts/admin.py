from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


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
