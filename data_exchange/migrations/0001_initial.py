"""The data_exchange models, taken over from onboarding (its 0016) with their tables and rows."""

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
            name='FileSpecification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('rtf', 'Return Transmission File (RTF)'), ('otf', 'Outreach Tracker File (OTF)')], max_length=8, verbose_name='file')),
                ('version', models.CharField(help_text='For example 2025-07 (the month DHCS issued it).', max_length=32, verbose_name='version')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('is_current', models.BooleanField(default=False, help_text="The version applicants' sample files are checked against. Making a version current makes the previous one not current.", verbose_name='current')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'file specification',
                'db_table': 'onboarding_filespecification',
                'ordering': ['kind', '-version'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'version'), name='one_spec_per_kind_version'), models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('kind',), name='one_current_spec_per_kind')],
            },
        ),
        migrations.CreateModel(
            name='SampleFileReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('rtf', 'Return Transmission File (RTF)'), ('otf', 'Outreach Tracker File (OTF)')], max_length=8)),
                ('file_name', models.CharField(max_length=200)),
                ('file_format', models.CharField(blank=True, max_length=8)),
                ('line_count', models.PositiveIntegerField(default=0, help_text='Lines of data checked, not counting the heading line.')),
                ('problem_count', models.PositiveIntegerField(default=0)),
                ('passed', models.BooleanField(default=False)),
                ('checked_at', models.DateTimeField(auto_now_add=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sample_reports', to='onboarding.application')),
                ('checked_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('specification', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='data_exchange.filespecification')),
            ],
            options={
                'db_table': 'onboarding_samplefilereport',
                'ordering': ['-checked_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SampleFileProblem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('line', models.PositiveIntegerField(blank=True, null=True)),
                ('column', models.CharField(blank=True, max_length=200)),
                ('message', models.CharField(max_length=500)),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='problems', to='data_exchange.samplefilereport')),
            ],
            options={
                'db_table': 'onboarding_samplefileproblem',
                'ordering': ['report', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='SampleFileCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('rtf', 'Return Transmission File (RTF)'), ('otf', 'Outreach Tracker File (OTF)')], max_length=8)),
                ('file_name', models.CharField(max_length=200)),
                ('stored_name', models.CharField(blank=True, max_length=255)),
                ('status', models.CharField(choices=[('queued', 'waiting to be checked'), ('running', 'being checked'), ('done', 'checked'), ('failed', 'not checked')], default='queued', max_length=8)),
                ('requested_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('failure_message', models.CharField(blank=True, max_length=500)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sample_checks', to='onboarding.application')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='check_job', to='data_exchange.samplefilereport')),
            ],
            options={
                'db_table': 'onboarding_samplefilecheck',
                'ordering': ['-requested_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SpecColumn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('name', models.CharField(max_length=200, verbose_name='column heading')),
                ('required', models.BooleanField(default=False, verbose_name='value required on every line')),
                ('format', models.CharField(choices=[('text', 'Text'), ('date', 'Date'), ('cin', 'Medi-Cal CIN (8 digits and a letter)'), ('yes_no', 'Yes/No flag (Y or N)'), ('code', 'One of a list of codes'), ('npi', 'NPI (10 digits)'), ('tin', 'TIN (9 digits)'), ('zip', 'ZIP code'), ('phone', 'Phone number'), ('email', 'Email address'), ('whole_number', 'Whole number')], default='text', max_length=16, verbose_name='format')),
                ('codes', models.CharField(blank=True, help_text='For the “one of a list of codes” format: the codes, separated by commas.', max_length=500, verbose_name='allowed codes')),
                ('member_data', models.BooleanField(default=False, help_text='Values of this column are never repeated in a report.', verbose_name='holds member data')),
                ('specification', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='columns', to='data_exchange.filespecification')),
            ],
            options={
                'verbose_name': 'column',
                'db_table': 'onboarding_speccolumn',
                'ordering': ['specification', 'position', 'pk'],
            },
        ),
        migrations.AddIndex(
            model_name='samplefilereport',
            index=models.Index(fields=['application', 'kind', '-checked_at'], name='onboarding__applica_6bea6c_idx'),
        ),
        migrations.AddConstraint(
            model_name='speccolumn',
            constraint=models.UniqueConstraint(fields=('specification', 'name'), name='one_column_heading_per_spec'),
        ),
            ],
        ),
        content_types_relabel("onboarding", "data_exchange", ['filespecification', 'speccolumn', 'samplefilereport', 'samplefileproblem', 'samplefilecheck']),
    ]
