"""The access log under handover's name, with its foreign-key constraints restored (they had been
dropped for speed: a legally required record must not refer to users or patients that do not
exist), and the PostgreSQL trigger that keeps it append-only renamed with it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

RENAME_TRIGGER = """
DROP TRIGGER IF EXISTS accounts_accesslog_append_only ON handover_accesslog;
DROP FUNCTION IF EXISTS accounts_accesslog_append_only();
CREATE OR REPLACE FUNCTION handover_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'handover_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER handover_accesslog_append_only
    BEFORE UPDATE OR DELETE ON handover_accesslog
    FOR EACH ROW EXECUTE FUNCTION handover_accesslog_append_only();
"""

RESTORE_TRIGGER = """
DROP TRIGGER IF EXISTS handover_accesslog_append_only ON handover_accesslog;
DROP FUNCTION IF EXISTS handover_accesslog_append_only();
CREATE OR REPLACE FUNCTION accounts_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_accesslog_append_only
    BEFORE UPDATE OR DELETE ON handover_accesslog
    FOR EACH ROW EXECUTE FUNCTION accounts_accesslog_append_only();
"""


def rename_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RENAME_TRIGGER)


def restore_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTORE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("handover", "0010_access_log_from_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelTable(name="accesslog", table=None),
        migrations.RunPython(rename_trigger, restore_trigger),
        migrations.RenameIndex(
            model_name="accesslog",
            new_name="accesslog_patient_idx",
            old_name="accounts_ac_patient_ec0e8f_idx",
        ),
        migrations.RenameIndex(
            model_name="accesslog",
            new_name="accesslog_user_idx",
            old_name="accounts_ac_user_id_41127d_idx",
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="patient",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="access_log_entries",
                to="handover.patient",
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="access_log_entries",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
