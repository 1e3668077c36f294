import django.db.models.deletion
from django.db import migrations, models


def link_place_wards(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Reports made before the ward was stored name it as "Ward, Hospital" in ``place_name``;
    the ward of that name at the report's hospital is the one."""
    Incident = apps.get_model("incidents", "Incident")
    Ward = apps.get_model("contacts", "Ward")
    for incident in Incident.objects.filter(place_kind="ward", place_ward__isnull=True):
        for ward in Ward.objects.filter(hospital_id=incident.hospital_id).select_related(
            "hospital"
        ):
            if f"{ward.name}, {ward.hospital.name}" == incident.place_name:
                Incident.objects.filter(pk=incident.pk).update(place_ward=ward)
                break


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0005_medcom_receivers"),
        ("incidents", "0004_discharge_month_cancelled"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="place_ward",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contacts.ward",
                verbose_name="afdeling (hændelsessted)",
            ),
        ),
        migrations.RunPython(link_place_wards, migrations.RunPython.noop),
    ]
