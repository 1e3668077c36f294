"""Seed 003's KPI in the monthly summaries: the 96-hour discharges that were not cancelled, those
whose epikrise and udskrivningsrapport were confirmed in time, and the other (72-hour) windows
counted apart; ``documented`` now counts the discharges with both documents in time.

The rows already stored were counted under the old definition, so they are rebuilt here from the
discharges, with the definitions of ``incidents.summaries.counted`` as they are at this
migration (written out, since a migration must not call code that may change later).
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, DateField, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth


def rebuild(apps, schema_editor):
    Discharge = apps.get_model("handover", "Discharge")
    Extension = apps.get_model("handover", "Extension")
    DischargeMonth = apps.get_model("incidents", "DischargeMonth")
    grace = settings.HANDOVER_KPI_GRACE
    kpi = Q(window_hours=settings.HANDOVER_KPI_WINDOW_HOURS) & ~Q(end_reason="cancelled")

    def in_time(field):
        return Q(**{f"{field}__lte": F("discharged_at") + grace})

    counts = {
        "documented": kpi & in_time("epikrise_confirmed_at") & in_time("discharge_report_confirmed_at"),
        "expired": Q(status="expired"),
        "extended": Q(Exists(Extension.objects.filter(discharge=OuterRef("pk")))),
        "readmitted": Q(end_reason="readmitted"),
        "deceased": Q(end_reason="deceased"),
        "cancelled": Q(end_reason="cancelled"),
        "kpi_discharges": kpi,
        "epikrise_in_time": kpi & in_time("epikrise_confirmed_at"),
        "discharge_report_in_time": kpi & in_time("discharge_report_confirmed_at"),
        "other_windows": ~Q(window_hours=settings.HANDOVER_KPI_WINDOW_HOURS)
        & ~Q(end_reason="cancelled"),
    }
    if not DischargeMonth.objects.exists():
        return  # a new database: the beat job counts from the first discharge on
    rows = (
        Discharge.objects.filter(covered=True)
        .annotate(
            period=TruncMonth(
                "discharged_at", output_field=DateField(), tzinfo=ZoneInfo("Europe/Copenhagen")
            )
        )
        .values("period", "ward_id", "municipality_id")
        .annotate(
            discharges=Count("id"),
            **{name: Count("id", filter=condition) for name, condition in counts.items()},
        )
        .order_by()
    )
    DischargeMonth.objects.all().delete()
    DischargeMonth.objects.bulk_create((DischargeMonth(**row) for row in rows), batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0008_health_clusters_data'),
        ('handover', '0022_document_confirmations'),
        ('incidents', '0005_incident_place_ward'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='dischargemonth',
            name='discharge_month_ward',
        ),
        migrations.AddField(
            model_name='dischargemonth',
            name='discharge_report_in_time',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dischargemonth',
            name='epikrise_in_time',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dischargemonth',
            name='kpi_discharges',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dischargemonth',
            name='other_windows',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name='dischargemonth',
            index=models.Index(fields=['ward', 'period'], include=('municipality', 'discharges', 'documented', 'expired', 'extended', 'readmitted', 'deceased', 'cancelled', 'kpi_discharges', 'epikrise_in_time', 'discharge_report_in_time', 'other_windows'), name='discharge_month_ward'),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
