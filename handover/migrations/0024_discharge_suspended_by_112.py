"""A 112 call logged inside a period suspends it while prehospital care takes over (DOMAIN.md):
when that call came, until the ward lifts it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("handover", "0023_access_log_refusal_count_and_purpose")]

    operations = [
        migrations.AddField(
            model_name="discharge",
            name="suspended_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="suspenderet"),
        ),
    ]
