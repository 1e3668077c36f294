"""The access log moves to the handover app (it refers to patients, which live there); its table
and rows stay where they are: handover's 0010 takes the model over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_access_log_lookups_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccessLog")],
            database_operations=[],
        )
    ]
