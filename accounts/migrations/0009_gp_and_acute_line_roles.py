"""The callers seed 001 names besides the municipality: a general practice (`gp`, member of the
municipality it lies in) and Akuttelefonen 1813 / the lægevagt (`acute_line`, member of a region)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_drop_drf_tokens'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contacts', '0005_medcom_receivers'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='user',
            name='user_membership_matches_role',
        ),
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('ward_nurse', 'Sygeplejerske, afdeling'), ('ward_doctor', 'Læge, afdeling'), ('municipal_nurse', 'Sygeplejerske, kommune'), ('gp', 'Almen praksis'), ('acute_line', 'Akuttelefonen 1813 / lægevagten'), ('risk_manager', 'Risikomanager'), ('coordinator', 'Koordinator'), ('admin', 'Administrator')], max_length=20, verbose_name='rolle'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('hospital__isnull', True), ('municipality__isnull', True), ('region__isnull', True), ('role__in', ['ward_nurse', 'ward_doctor']), ('ward__isnull', False)), models.Q(('hospital__isnull', True), ('municipality__isnull', False), ('region__isnull', True), ('role', 'municipal_nurse'), ('ward__isnull', True)), models.Q(('hospital__isnull', True), ('municipality__isnull', False), ('region__isnull', True), ('role', 'gp'), ('ward__isnull', True)), models.Q(('hospital__isnull', True), ('municipality__isnull', True), ('region__isnull', False), ('role', 'acute_line'), ('ward__isnull', True)), models.Q(('hospital__isnull', False), ('municipality__isnull', True), ('region__isnull', True), ('role', 'coordinator'), ('ward__isnull', True)), models.Q(('hospital__isnull', False), ('municipality__isnull', True), ('region__isnull', True), ('role', 'risk_manager'), ('ward__isnull', True)), models.Q(('hospital__isnull', True), ('municipality__isnull', False), ('region__isnull', True), ('role', 'risk_manager'), ('ward__isnull', True)), models.Q(('hospital__isnull', True), ('municipality__isnull', True), ('region__isnull', False), ('role', 'risk_manager'), ('ward__isnull', True)), models.Q(('hospital__isnull', True), ('municipality__isnull', True), ('region__isnull', True), ('role', 'admin'), ('ward__isnull', True)), _connector='OR'), name='user_membership_matches_role'),
        ),
    ]
