from django.contrib import admin

from handover.admin import PatientDataAdmin
from incidents.models import Incident, InvolvedOrganisation, LearningAction, Transition


class InvolvedInline(admin.TabularInline):
    model = InvolvedOrganisation
    extra = 0


class LearningInline(admin.TabularInline):
    model = LearningAction
    extra = 0


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    readonly_fields = ("from_status", "to_status", "by", "at")
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(PatientDataAdmin):
    """A report may be about a discharge, and its text about the citizen: reads are logged."""

    list_display = ("title", "category", "status", "severity", "cross_sector", "created_at")
    list_filter = ("status", "category", "severity", "cross_sector")
    inlines = [InvolvedInline, LearningInline, TransitionInline]
    exclude = ("discharge",)
