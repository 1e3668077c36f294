"""The access log, taken over from the accounts app as it stands (accounts 0007): the state
only, the table ``accounts_accesslog`` is already there. 0011 renames it and restores its
foreign-key constraints."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ACTIONS = [
    ("lookup", "Opslag på CPR"),
    ("view_discharge", "Visning af udskrivelse"),
    ("list_discharges", "Liste over udskrivelser"),
    ("create_discharge", "Oprettelse af udskrivelse"),
    ("update_discharge", "Dokumentation af udskrivelse"),
    ("extend", "Forlængelse"),
    ("end", "Afslutning"),
    ("log_call", "Registrering af opkald"),
    ("export", "Eksport"),
    ("view_incident", "Visning af hændelse"),
    ("import", "Import af besked"),
    ("access_report", "Adgangsrapport"),
]
OUTCOMES = [("hit", "Fundet"), ("miss", "Ikke fundet"), ("ok", "Udført"), ("denied", "Afvist")]


class Migration(migrations.Migration):
    dependencies = [
        ("handover", "0009_discharge_fewer_indexes"),
        ("accounts", "0007_access_log_moves_to_handover"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AccessLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="tidspunkt"
                            ),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=ACTIONS, max_length=30, verbose_name="handling"
                            ),
                        ),
                        (
                            "object_type",
                            models.CharField(blank=True, max_length=50, verbose_name="objekttype"),
                        ),
                        (
                            "object_id",
                            models.CharField(blank=True, max_length=50, verbose_name="objekt-id"),
                        ),
                        (
                            "criterion",
                            models.CharField(
                                blank=True,
                                max_length=64,
                                verbose_name="søgekriterium (nøglet hash)",
                            ),
                        ),
                        (
                            "client_address",
                            models.GenericIPAddressField(
                                blank=True, null=True, verbose_name="klientadresse"
                            ),
                        ),
                        (
                            "outcome",
                            models.CharField(
                                choices=OUTCOMES, max_length=10, verbose_name="udfald"
                            ),
                        ),
                        (
                            "patient",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                db_index=False,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="access_log_entries",
                                to="handover.patient",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                db_constraint=False,
                                db_index=False,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="access_log_entries",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "adgangslog",
                        "verbose_name_plural": "adgangslog",
                        "ordering": ["-at", "-id"],
                        "db_table": "accounts_accesslog",
                        "indexes": [
                            models.Index(
                                fields=["patient", "at"], name="accounts_ac_patient_ec0e8f_idx"
                            ),
                            models.Index(
                                fields=["user", "at"], name="accounts_ac_user_id_41127d_idx"
                            ),
                            models.Index(fields=["criterion"], name="accesslog_criterion_idx"),
                            models.Index(
                                condition=models.Q(("action", "lookup")),
                                fields=["user", "at"],
                                name="accesslog_user_lookups_idx",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
