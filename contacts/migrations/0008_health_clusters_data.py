"""The sundhedsklynger and their municipalities (contacts/data/health_clusters.csv). No source of
the project gives them, so every cluster is marked as an assumption (``to_be_confirmed``) with
the public source it was taken from in its note; lines starting with # explain the file."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def rows():
    with open(DATA / "health_clusters.csv", encoding="utf-8") as file:
        yield from csv.DictReader(line for line in file if not line.startswith("#"))


def load(apps, schema_editor):
    HealthCluster = apps.get_model("contacts", "HealthCluster")
    Municipality = apps.get_model("contacts", "Municipality")
    for row in rows():
        cluster, _created = HealthCluster.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "region_id": int(row["region_code"]),
                "acute_hospital": row["acute_hospital"],
                "to_be_confirmed": True,
                "source_note": row["source"],
            },
        )
        Municipality.objects.filter(code__in=row["municipality_codes"].split()).update(
            health_cluster=cluster
        )


def unload(apps, schema_editor):
    apps.get_model("contacts", "Municipality").objects.update(health_cluster=None)
    apps.get_model("contacts", "HealthCluster").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0007_health_clusters")]
    operations = [migrations.RunPython(load, unload)]
