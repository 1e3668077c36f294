from typing import cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import User
from handover.fhir import importer
from handover.models import (
    Alert,
    Call,
    Discharge,
    Extension,
    InboundMessage,
    MessageResult,
    Notification,
    ResponsibilityRule,
)


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(admin.ModelAdmin):
    list_display = (
        "region",
        "effective_from",
        "hours",
        "min_admission_hours",
        "psychiatry_allowed",
        "to_be_confirmed",
    )
    list_filter = ("region", "hours", "to_be_confirmed")


class ExtensionInline(admin.TabularInline):
    model = Extension
    extra = 0
    readonly_fields = ("hours", "reason", "created_at", "created_by")
    can_delete = False


@admin.register(Discharge)
class DischargeAdmin(admin.ModelAdmin):
    """Read-only: discharges change through the product's services, which log every access."""

    list_display = ("id", "ward", "municipality", "discharged_at", "status", "covered")
    list_filter = ("status", "covered", "source")
    list_select_related = ("ward__hospital", "municipality")
    inlines = [ExtensionInline]
    exclude = ("patient",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("received_at", "caller_role", "outcome", "within_window")
    list_filter = ("outcome", "caller_role", "within_window")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("discharge", "kind", "created_at", "resolved_at")
    list_filter = ("kind",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "subject", "created_at", "sent_at", "attempts")
    list_filter = ("sent_at",)


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """The message log. Rejected messages can be sent to processing again (after the ward or
    directory was corrected); each resend is logged as a new message."""

    list_display = ("received_at", "sender", "event", "message_id", "result", "error")
    list_filter = ("result", "event")
    readonly_fields = (
        "received_at",
        "sender",
        "event",
        "message_id",
        "encounter_id",
        "payload",
        "result",
        "error",
        "discharge",
    )
    actions = ["resend"]

    @admin.action(description=_("Send afviste beskeder til behandling igen"))
    def resend(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        outcomes = [
            importer.receive(
                payload=message.payload.encode(), user=cast(User, request.user), request=request
            )
            for message in queryset.filter(result=MessageResult.REJECTED)
        ]
        self.message_user(
            request,
            _("%(count)d sendt igen: %(results)s")
            % {"count": len(outcomes), "results": ", ".join(o.result for o in outcomes) or "-"},
        )
