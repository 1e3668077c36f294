"""A count on access-log rows, so that a user's refused look-ups of one minute share one row
(issue 25: one token wrote 4,115 "denied" rows in 30 s), and the purpose a look-up states (a GP
gives one with each). The PostgreSQL trigger that keeps the log append-only now allows exactly
that one change: one more on the count of a refused look-up's row, nothing else altered."""

from django.db import migrations, models

COUNT_REFUSALS = """
CREATE OR REPLACE FUNCTION handover_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.outcome = 'denied' AND NEW.count = OLD.count + 1
       AND to_jsonb(NEW) - 'count' = to_jsonb(OLD) - 'count' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'handover_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
"""

REFUSE_ALL = """
CREATE OR REPLACE FUNCTION handover_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'handover_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def count_refusals(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COUNT_REFUSALS)


def refuse_all(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_ALL)


class Migration(migrations.Migration):
    dependencies = [("handover", "0022_document_confirmations")]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="count",
            field=models.PositiveIntegerField(default=1, verbose_name="antal"),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="purpose",
            field=models.CharField(blank=True, max_length=200, verbose_name="formål"),
        ),
        migrations.RunPython(count_refusals, refuse_all),
    ]
