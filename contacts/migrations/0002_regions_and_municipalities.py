"""The 5 regions and 98 municipalities (contacts/data/, from the shared reference data)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Region = apps.get_model("contacts", "Region")
    Municipality = apps.get_model("contacts", "Municipality")
    with open(DATA / "regions.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            Region.objects.update_or_create(code=int(row["code"]), defaults={"name": row["name"]})
    with open(DATA / "municipalities.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            Municipality.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "region_id": int(row["region_code"])},
            )


def unload(apps, schema_editor):
    apps.get_model("contacts", "Municipality").objects.all().delete()
    apps.get_model("contacts", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
