"""The regions' rules for extended treatment responsibility (DOMAIN.md, seeds 001 and 003).

Admins change rules in the admin; a decided discharge keeps the rule it was decided under.
"""

import datetime

from django.db import migrations

ALL = ["temporary_bed", "nursing_home", "home_nursing", "residential_facility"]
HOVEDSTADEN, SJAELLAND, SYDDANMARK, MIDTJYLLAND, NORDJYLLAND = 1084, 1085, 1083, 1082, 1081
REFORM = "96 timer efter sundhedsreform 2024; dato afventer regionens bekræftelse."

RULES = [
    # Region Hovedstaden phased the 72-hour model in by destination (seed 001).
    (HOVEDSTADEN, "2022-02-01", 72, ALL[:1], False, False, "Midlertidige pladser fra februar 2022 (planlagt 1. januar)."),
    (HOVEDSTADEN, "2022-04-01", 72, ALL[:2], False, False, "Plejecentre fra 1. april 2022."),
    (HOVEDSTADEN, "2022-08-01", 72, ALL[:3], False, False, "Hjemmesygepleje fra 1. august 2022."),
    (HOVEDSTADEN, "2022-12-01", 72, ALL, False, False, "Bosteder fra 1. december 2022."),
    (HOVEDSTADEN, "2026-01-01", 96, ALL, False, True, REFORM),
    (SYDDANMARK, "2023-11-01", 72, ALL, False, False, "72-timersmodel fra 1. november 2023."),
    (SYDDANMARK, "2026-01-01", 96, ALL, False, True, REFORM),
    (SJAELLAND, "2023-12-05", 72, ALL, False, False, "72-timersmodel fra 5. december 2023."),
    (SJAELLAND, "2025-01-01", 96, ALL, False, False, "96-timers behandlingsansvar (seed 003, NSR-sygehuse)."),
    (SJAELLAND, "2026-01-01", 96, ALL, True, False, "Voksenpsykiatrien omfattet fra 2026."),
    (MIDTJYLLAND, "2023-12-31", 72, ALL, False, False, "72-timersmodel senest 31. december 2023."),
    (MIDTJYLLAND, "2026-01-01", 96, ALL, False, True, REFORM),
    (NORDJYLLAND, "2023-12-31", 72, ALL, False, False, "72-timersmodel senest 31. december 2023."),
    (NORDJYLLAND, "2026-01-01", 96, ALL, False, True, REFORM),
]


def load(apps, schema_editor):
    Rule = apps.get_model("handover", "ResponsibilityRule")
    for region, start, hours, destinations, psychiatry, to_confirm, note in RULES:
        Rule.objects.update_or_create(
            region_id=region,
            effective_from=datetime.date.fromisoformat(start),
            defaults={
                "hours": hours,
                "min_admission_hours": 24,
                "covered_destinations": destinations,
                "psychiatry_allowed": psychiatry,
                "adults_only": True,
                "to_be_confirmed": to_confirm,
                "source_note": note,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("handover", "ResponsibilityRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("handover", "0001_initial"), ("contacts", "0002_regions_and_municipalities")]
    operations = [migrations.RunPython(load, unload)]
