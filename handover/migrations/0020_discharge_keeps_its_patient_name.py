from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_the_names(apps, schema_editor):
    """Until now a discharge showed its citizen's one name: that is the name it was documented
    with as far as anyone can tell."""
    Discharge = apps.get_model("handover", "Discharge")
    Patient = apps.get_model("handover", "Patient")
    name = Patient.objects.filter(pk=OuterRef("patient_id")).values("name")[:1]
    Discharge.objects.update(patient_name=Subquery(name))


class Migration(migrations.Migration):
    dependencies = [
        ("handover", "0019_discharge_phone_line"),
    ]

    operations = [
        migrations.AddField(
            model_name="discharge",
            name="patient_name",
            field=models.CharField(default="", max_length=200, verbose_name="patientens navn"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_the_names, migrations.RunPython.noop),
    ]
