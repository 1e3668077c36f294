"""Seed 003's two documents: when the ward confirmed the treatment plan with contact details in
the epikrise and in the udskrivningsrapport, and which CareCommunications carried them.

CareCommunications sent before this migration that carried the plan and the number confirm the
udskrivningsrapport at the moment they were sent, as a CareCommunication sent from now on does.
They are known by the text ``care_communication.text_of`` writes: the responsibility sentence
with its number and the plan under its heading.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Min

SENTENCE = "Hospitalet har behandlingsansvar for patienten indtil "
PLAN_HEADING = "Lægefaglig behandlingsplan:"


def backfill(apps, schema_editor):
    Notification = apps.get_model("handover", "Notification")
    Discharge = apps.get_model("handover", "Discharge")
    carrying = Notification.objects.filter(channel="medcom", body__contains=SENTENCE).filter(
        body__contains=PLAN_HEADING
    )
    carrying.update(carries_plan=True)
    first_sent = (
        carrying.filter(sent_at__isnull=False, discharge__isnull=False)
        .order_by()
        .values("discharge_id")
        .annotate(first=Min("sent_at"))
    )
    for row in first_sent.iterator():
        Discharge.objects.filter(
            pk=row["discharge_id"], discharge_report_confirmed_at__isnull=True
        ).update(
            discharge_report_confirmed_at=row["first"],
            discharge_report_confirmed_via="care_communication",
        )


class Migration(migrations.Migration):

    dependencies = [
        ('handover', '0021_access_log_history_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='discharge',
            name='discharge_report_confirmed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='plan med kontaktoplysninger i udskrivningsrapporten'),
        ),
        migrations.AddField(
            model_name='discharge',
            name='discharge_report_confirmed_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='discharge',
            name='discharge_report_confirmed_via',
            field=models.CharField(blank=True, choices=[('ward', 'Afdelingen'), ('care_communication', 'Korrespondancemeddelelse til kommunen')], db_default='', max_length=20, verbose_name='udskrivningsrapporten bekræftet af'),
        ),
        migrations.AddField(
            model_name='discharge',
            name='epikrise_confirmed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='plan med kontaktoplysninger i epikrisen'),
        ),
        migrations.AddField(
            model_name='discharge',
            name='epikrise_confirmed_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='notification',
            name='carries_plan',
            field=models.BooleanField(db_default=False, default=False, verbose_name='med behandlingsplan og telefonnummer'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
