from typing import Any, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from accounts.models import User
from handover.medcom import receive
from handover.medcom.bundle import cpr_numbers
from handover.models import (
    AccessAction,
    AccessLog,
    Alert,
    Call,
    Discharge,
    Extension,
    InboundMessage,
    MessageResult,
    Notification,
    Patient,
    ResponsibilityRule,
)
from handover.services.access import log_access


class PatientDataAdmin(admin.ModelAdmin):
    """An admin page that shows patient data logs the read, as the product's pages do
    (sundhedsloven § 42 a): a list is one row naming the kind of object, an object's page (its
    change form, history or delete confirmation) one row naming the object and its patient."""

    # The attributes from an object to its patient; None on the way means no patient.
    patient_path: tuple[str, ...] = ("discharge", "patient")

    def patient_of(self, obj: Any) -> Patient | None:
        for name in self.patient_path:
            obj = getattr(obj, name, None)
            if obj is None:
                return None
        return cast(Patient, obj)

    def criteria_of(self, obj: Any) -> list[str]:
        """Search criteria (CPR numbers) the page shows for a patient the object may not name."""
        return []

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if _shown(response):
            log_access(
                user=cast(User, request.user),
                action=AccessAction.ADMIN_VIEW,
                request=request,
                model=self.model,
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        self._log_object_page(request, response, "original")
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        self._log_object_page(request, response, "object")
        return response

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().delete_view(request, object_id, extra_context)
        self._log_object_page(request, response, "object")
        return response

    def _log_object_page(self, request: HttpRequest, response: HttpResponse, name: str) -> None:
        if not _shown(response):
            return
        obj = (cast(TemplateResponse, response).context_data or {})[name]
        patient = self.patient_of(obj)
        criteria = [] if patient is not None else self.criteria_of(obj)
        for criterion in criteria or [""]:
            log_access(
                user=cast(User, request.user),
                action=AccessAction.ADMIN_VIEW,
                request=request,
                obj=obj,
                patient=patient,
                criterion=criterion,
            )


def _shown(response: HttpResponse) -> bool:
    """A page rendered for reading, not a redirect after a save or an action, nor a refusal."""
    return isinstance(response, TemplateResponse) and response.status_code == 200


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
class DischargeAdmin(PatientDataAdmin):
    """Read-only: discharges change through the product's services, which log every access."""

    patient_path = ("patient",)

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
class CallAdmin(PatientDataAdmin):
    list_display = ("received_at", "caller_role", "outcome", "within_window")
    list_filter = ("outcome", "caller_role", "within_window")
    # A select of discharges would show every patient's name on the page.
    raw_id_fields = ("discharge",)


@admin.register(Alert)
class AlertAdmin(PatientDataAdmin):
    list_display = ("discharge", "kind", "created_at", "resolved_at")
    list_filter = ("kind",)
    raw_id_fields = ("discharge",)


@admin.register(Notification)
class NotificationAdmin(PatientDataAdmin):
    """The text names ward, hospital and times, not the citizen; the row's discharge does."""

    list_display = ("recipient", "subject", "created_at", "sent_at", "attempts")
    list_filter = ("sent_at",)
    raw_id_fields = ("discharge", "alert")


@admin.register(InboundMessage)
class InboundMessageAdmin(PatientDataAdmin):
    """The message log. Rejected messages can be sent to processing again (after the ward or
    directory was corrected); each resend is logged as a new message.

    A payload names the citizen by CPR and name; a rejected one has no discharge to name her, so
    its read is logged by the CPR numbers in it (which the citizen's access report finds)."""

    list_display = ("received_at", "sender", "event", "message_id", "result", "error")
    list_filter = ("result", "event")
    readonly_fields = (
        "received_at",
        "sender",
        "event",
        "message_id",
        "content_hash",
        "payload",
        "result",
        "error",
        "discharge",
    )
    actions = ["resend"]

    def criteria_of(self, obj: Any) -> list[str]:
        return cpr_numbers(obj.payload)

    @admin.action(description=_("Send afviste beskeder til behandling igen"))
    def resend(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        replies = [
            receive.receive(
                payload=message.payload.encode(), user=cast(User, request.user), request=request
            )
            for message in queryset.filter(result=MessageResult.REJECTED)
        ]
        results = [str(reply.body.get("result", reply.status)) for reply in replies]
        self.message_user(
            request,
            _("%(count)d sendt igen: %(results)s")
            % {"count": len(replies), "results": ", ".join(results) or "-"},
        )


@admin.register(AccessLog)
class AccessLogAdmin(PatientDataAdmin):
    """Read-only: the log is append-only and written only by handover.services.access.log_access.
    Reading it is a read of whom staff looked up, and is logged as well."""

    patient_path = ("patient",)

    list_display = (
        "at",
        "user",
        "action",
        "object_type",
        "object_id",
        "outcome",
        "count",
        "purpose",
        "client_address",
    )
    list_filter = ("action", "outcome")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
