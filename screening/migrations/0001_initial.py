"""The screening models, taken over from onboarding (its 0016) with their tables and rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from portal.migration_operations import content_types_relabel


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('onboarding', '0016_models_move_to_their_apps'),
        ('contenttypes', '0002_remove_content_type_name'),  # the content types move here
        ('auth', '0012_alter_user_first_name_max_length'),  # with their permissions
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='ExclusionRelease',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('leie', 'OIG LEIE (List of Excluded Individuals/Entities)'), ('sam', 'SAM.gov exclusions'), ('medi-cal', 'Medi-Cal Suspended and Ineligible Provider List')], max_length=16)),
                ('file_name', models.CharField(blank=True, max_length=255)),
                ('sha256', models.CharField(max_length=64, verbose_name='file SHA-256')),
                ('row_count', models.PositiveIntegerField()),
                ('imported_at', models.DateTimeField(auto_now_add=True)),
                ('imported_by_name', models.CharField(blank=True, help_text='Who ran the import (user or operating account).', max_length=200)),
                ('is_active', models.BooleanField(default=True)),
                ('imported_by', models.ForeignKey(blank=True, help_text='Empty when imported from the command line.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'exclusion list release',
                'db_table': 'onboarding_exclusionrelease',
                'ordering': ['-imported_at', '-pk'],
                'get_latest_by': 'imported_at',
            },
        ),
        migrations.CreateModel(
            name='ExclusionRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('line_number', models.PositiveIntegerField()),
                ('kind', models.CharField(choices=[('entity', 'Entity'), ('individual', 'Individual')], max_length=16)),
                ('business_name', models.CharField(blank=True, max_length=300)),
                ('normalised_name', models.CharField(blank=True, help_text='Business name as matched: see normalise.py.', max_length=300)),
                ('last_name', models.CharField(blank=True, max_length=100)),
                ('first_name', models.CharField(blank=True, max_length=100)),
                ('middle_name', models.CharField(blank=True, max_length=100)),
                ('person_key', models.CharField(blank=True, max_length=200)),
                ('npi', models.CharField(blank=True, max_length=10)),
                ('date_of_birth', models.DateField(blank=True, null=True)),
                ('address', models.CharField(blank=True, max_length=300)),
                ('city', models.CharField(blank=True, max_length=100)),
                ('state', models.CharField(blank=True, max_length=32)),
                ('zip_code', models.CharField(blank=True, max_length=16)),
                ('exclusion_type', models.CharField(blank=True, max_length=100)),
                ('excluded_on', models.DateField(blank=True, null=True)),
                ('reinstated_on', models.DateField(blank=True, null=True)),
                ('license_number', models.CharField(blank=True, max_length=100)),
                ('provider_number', models.CharField(blank=True, max_length=100)),
                ('raw', models.TextField(help_text='The row as it appears in the file.')),
                ('release', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='records', to='screening.exclusionrelease')),
            ],
            options={
                'db_table': 'onboarding_exclusionrecord',
                'ordering': ['release', 'line_number'],
            },
        ),
        migrations.CreateModel(
            name='ScreeningResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('check_name', models.CharField(max_length=64, verbose_name='check')),
                ('subject', models.CharField(max_length=200, verbose_name='what was checked')),
                ('subject_kind', models.CharField(choices=[('organization', 'Organization'), ('person', 'Person')], default='organization', max_length=16)),
                ('outcome', models.CharField(choices=[('clear', 'Clear'), ('potential_match', 'Potential match'), ('confirmed_match', 'Confirmed match'), ('error', 'Error')], max_length=16)),
                ('evidence', models.TextField(blank=True)),
                ('matched_line', models.PositiveIntegerField(blank=True, null=True)),
                ('matched_row', models.TextField(blank=True, help_text="The list's row as imported, kept after the release is replaced.")),
                ('revision', models.PositiveIntegerField(default=0)),
                ('is_current', models.BooleanField(default=True)),
                ('is_new_match', models.BooleanField(default=False, help_text='Found by a re-screening where the last run found nothing.')),
                ('checked_at', models.DateTimeField(auto_now_add=True)),
                ('adjudication', models.CharField(blank=True, choices=[('confirmed', 'Confirmed: this is the excluded party'), ('dismissed', 'Dismissed: not the same party')], max_length=16)),
                ('adjudication_note', models.TextField(blank=True)),
                ('adjudicated_at', models.DateTimeField(blank=True, null=True)),
                ('adjudicated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='screening_results', to='onboarding.application')),
                ('care_team_member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='screening_results', to='onboarding.careteammember')),
                ('release', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='screening.exclusionrelease')),
            ],
            options={
                'db_table': 'onboarding_screeningresult',
                'ordering': ['-checked_at', 'check_name', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='exclusionrelease',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('source',), name='one_active_release_per_source'),
        ),
        migrations.AddIndex(
            model_name='exclusionrecord',
            index=models.Index(fields=['release', 'normalised_name', 'state'], name='exclusion_name_state'),
        ),
        migrations.AddIndex(
            model_name='exclusionrecord',
            index=models.Index(fields=['release', 'npi'], name='exclusion_npi'),
        ),
        migrations.AddIndex(
            model_name='exclusionrecord',
            index=models.Index(fields=['release', 'person_key'], name='exclusion_person'),
        ),
        migrations.AddIndex(
            model_name='screeningresult',
            index=models.Index(fields=['application', 'is_current'], name='screening_current'),
        ),
            ],
        ),
        content_types_relabel("onboarding", "screening", ['exclusionrelease', 'exclusionrecord', 'screeningresult']),
    ]
