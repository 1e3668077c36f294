from zoneinfo import ZoneInfo

from django.db import migrations, models
from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth


def count_cancelled(apps, schema_editor):  # type: ignore[no-untyped-def]
    """The months already summarised get their cancellations (few rows) at once, rather than
    showing none until the nightly refresh has rebuilt them."""
    Discharge = apps.get_model("handover", "Discharge")
    DischargeMonth = apps.get_model("incidents", "DischargeMonth")
    month = TruncMonth(
        "discharged_at", output_field=DateField(), tzinfo=ZoneInfo("Europe/Copenhagen")
    )
    rows = (
        Discharge.objects.filter(covered=True, end_reason="cancelled")
        .annotate(period=month)
        .values("period", "ward_id", "municipality_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        DischargeMonth.objects.filter(
            period=row["period"], ward_id=row["ward_id"], municipality_id=row["municipality_id"]
        ).update(cancelled=row["n"])


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0005_medcom_receivers"),
        ("handover", "0018_outbox_medcom_channel"),
        ("incidents", "0003_incident_figures_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="dischargemonth",
            name="discharge_month_ward",
        ),
        migrations.AddField(
            model_name="dischargemonth",
            name="cancelled",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="dischargemonth",
            index=models.Index(
                fields=["ward", "period"],
                include=(
                    "municipality",
                    "discharges",
                    "documented",
                    "expired",
                    "extended",
                    "readmitted",
                    "deceased",
                    "cancelled",
                ),
                name="discharge_month_ward",
            ),
        ),
        migrations.RunPython(count_cancelled, migrations.RunPython.noop),
    ]
