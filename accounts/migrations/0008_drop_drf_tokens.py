"""API tokens moved to django-rest-knox, which keeps only their hash: DRF's token table, which
kept them in clear, goes, and so does Django's record of its migrations (were the app installed
again, its migrations would make the table anew). The ORM cannot drop the table of an app no
longer installed, hence SQL. Its content type and permissions are left to Django's
``remove_stale_contenttypes``, which also weighs the admin log entries that may name them."""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder


def drop_drf_tokens(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS authtoken_token")
    MigrationRecorder(schema_editor.connection).migration_qs.filter(app="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_access_log_moves_to_handover")]

    # Not brought back on the way down: the tokens were secrets in clear.
    operations = [migrations.RunPython(drop_drf_tokens, migrations.RunPython.noop)]
