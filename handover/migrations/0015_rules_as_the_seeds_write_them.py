"""The regions' rules as the seeds write them (issue 26): Region Midtjylland from 1 June 2021
without bosteder (seed 002), Region Hovedstaden's third step covering everyone who receives
municipal nursing from 1 August 2022 (seed 001), and every rule date that no seed gives marked
as an assumption (``to_be_confirmed``), with the reason in its note.

Rules are changed, not deleted: a discharge keeps the rule it was decided under.
"""

import datetime

from django.db import migrations, models

ALL = ["temporary_bed", "nursing_home", "home_nursing", "residential_facility"]
MIDT = ["temporary_bed", "nursing_home", "home_nursing"]  # "kommunale akutpladser/midlertidige pladser, plejehjem eller eget hjem"
HOVEDSTADEN, SJAELLAND, SYDDANMARK, MIDTJYLLAND, NORDJYLLAND = 1084, 1085, 1083, 1082, 1081
ASSUMED = "Antagelse: datoen er ikke givet af en kilde; afventer regionens bekræftelse."
REFORM = "96 timer efter sundhedsreform 2024. " + ASSUMED

# (region, effective from, hours, destinations, psychiatry, date assumed, note)
RULES = [
    (HOVEDSTADEN, "2022-02-01", 72, ALL[:1], False, True, "Trin 1: midlertidige døgnpladser. Seed 001 planlægger opstart 1. januar 2022; start februar 2022. " + ASSUMED),
    (HOVEDSTADEN, "2022-04-01", 72, ALL[:2], False, False, "Trin 2: plejecentre fra 1. april 2022 (seed 001)."),
    (HOVEDSTADEN, "2022-08-01", 72, ALL, False, False, "Trin 3: alle, der modtager kommunal sygepleje, fra 1. august 2022 (seed 001)."),
    (HOVEDSTADEN, "2022-12-01", 72, ALL, False, True, "Som trin 3. " + ASSUMED),
    (HOVEDSTADEN, "2026-01-01", 96, ALL, False, True, REFORM),
    (SYDDANMARK, "2023-11-01", 72, ALL, False, True, "72-timersmodel. " + ASSUMED),
    (SYDDANMARK, "2026-01-01", 96, ALL, False, True, REFORM),
    (SJAELLAND, "2023-12-05", 72, ALL, False, True, "72-timersmodel. " + ASSUMED),
    (SJAELLAND, "2025-01-01", 96, ALL, False, True, "96-timers behandlingsansvar prioriteret 2025 på NSR-sygehuse (seed 003). " + ASSUMED),
    (SJAELLAND, "2026-01-01", 96, ALL, True, True, "Voksenpsykiatrien omfattet fra 2026. " + ASSUMED),
    (MIDTJYLLAND, "2021-06-01", 72, MIDT, False, False, "Samarbejdsaftalen om indlæggelse og udskrivelse trådte i kraft 1. juni 2021 (seed 002): indlagt over 24 timer på en somatisk afdeling, færdigbehandlet, udskrevet til kommunal sygepleje på kommunale akutpladser/midlertidige pladser, plejehjem eller eget hjem. Psykiatrien er ikke omfattet."),
    (MIDTJYLLAND, "2023-12-31", 72, MIDT, False, True, "Som aftalen fra 1. juni 2021. " + ASSUMED),
    (MIDTJYLLAND, "2024-04-01", 72, MIDT, False, False, "Den opdaterede aftale omfatter psykiatrien fra 1. april 2024 (seed 002), men 72-timersmodellen omfatter stadig ikke patienter udskrevet fra psykiatrien."),
    (MIDTJYLLAND, "2026-01-01", 96, MIDT, False, True, REFORM),
    (NORDJYLLAND, "2023-12-31", 72, ALL, False, True, "72-timersmodel. " + ASSUMED),
    (NORDJYLLAND, "2026-01-01", 96, ALL, False, True, REFORM),
]


def load(apps, schema_editor):
    Rule = apps.get_model("handover", "ResponsibilityRule")
    for region, start, hours, destinations, psychiatry, assumed, note in RULES:
        Rule.objects.update_or_create(
            region_id=region,
            effective_from=datetime.date.fromisoformat(start),
            defaults={
                "hours": hours,
                "min_admission_hours": 24,
                "covered_destinations": destinations,
                "psychiatry_allowed": psychiatry,
                "adults_only": True,
                "to_be_confirmed": assumed,
                "source_note": note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("handover", "0014_medcom_receivers")]
    operations = [
        migrations.AlterField(
            model_name="responsibilityrule",
            name="to_be_confirmed",
            field=models.BooleanField(
                default=False,
                help_text="Datoen er en antagelse og afventer regionens bekræftelse.",
                verbose_name="antaget (ikke givet af en kilde)",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
