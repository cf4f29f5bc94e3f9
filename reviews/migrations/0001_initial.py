"""The reviews models, taken over from onboarding (its 0016) with their tables and rows."""

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
        ('viewflow', '0015_task_scheduled'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='InternalNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField(max_length=4000, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='internal_notes', to='onboarding.application')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'internal note',
                'db_table': 'onboarding_internalnote',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ReviewDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('entity', 'Entity verification'), ('attestations', 'Capability attestations'), ('data_sharing', 'Data-sharing readiness'), ('final', 'Final approval')], max_length=16)),
                ('outcome', models.CharField(choices=[('approve', 'Approve'), ('return', 'Return for correction'), ('deny', 'Deny')], max_length=8)),
                ('reason', models.TextField(blank=True)),
                ('revision', models.PositiveIntegerField(default=0, help_text="The step's submission this decision is about.")),
                ('task_id', models.BigIntegerField(blank=True, null=True)),
                ('decided_at', models.DateTimeField(auto_now_add=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='onboarding.application')),
                ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'onboarding_reviewdecision',
                'ordering': ['-decided_at'],
                'get_latest_by': 'decided_at',
            },
        ),
        migrations.CreateModel(
            name='Deficiency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requirement', models.CharField(help_text="The field or item concerned (a form field name, or 'general').", max_length=64, verbose_name='requirement')),
                ('reason_code', models.CharField(blank=True, choices=[('incomplete', 'Incomplete or missing information'), ('insufficient_narrative', 'Narrative does not show the capability'), ('missing_evidence', 'Evidence missing or does not support the claim'), ('inconsistent', 'Inconsistent with other answers or documents'), ('license_problem', 'License or certificate problem'), ('staffing_gap', 'Staffing does not meet the requirement'), ('capacity_unrealistic', 'Capacity figures are not credible'), ('other', 'Other (see comment)')], max_length=32, verbose_name='reason code')),
                ('reason', models.CharField(max_length=200, verbose_name='reason')),
                ('comment', models.TextField(blank=True, verbose_name='comment for the applicant')),
                ('due_on', models.DateField(verbose_name='due date')),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('step', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deficiencies', to='onboarding.applicationstep')),
                ('decision', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deficiencies', to='reviews.reviewdecision')),
            ],
            options={
                'verbose_name_plural': 'deficiencies',
                'db_table': 'onboarding_deficiency',
                'ordering': ['step', 'requirement', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='AcceptedItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requirement', models.CharField(max_length=64, verbose_name='item')),
                ('comment', models.TextField(blank=True, verbose_name="reviewer's note")),
                ('decision', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='accepted_items', to='reviews.reviewdecision')),
            ],
            options={
                'db_table': 'onboarding_accepteditem',
                'ordering': ['decision', 'requirement'],
                'constraints': [models.UniqueConstraint(fields=('decision', 'requirement'), name='item_accepted_once_per_decision')],
            },
        ),
        migrations.CreateModel(
            name='ReviewWork',
            fields=[
                ('task', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='viewflow.task')),
                ('stage', models.CharField(choices=[('entity', 'Entity verification'), ('attestations', 'Capability attestations'), ('data_sharing', 'Data-sharing readiness'), ('final', 'Final approval')], max_length=16)),
                ('is_open', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField(verbose_name='waiting since')),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('due_on', models.DateField(verbose_name='due date')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_work', to='onboarding.application')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
            ],
            options={
                'verbose_name': 'review work',
                'verbose_name_plural': 'review work',
                'db_table': 'onboarding_reviewwork',
                'ordering': ['due_on', 'task'],
                'indexes': [models.Index(condition=models.Q(('is_open', True)), fields=['due_on', 'task'], name='review_work_open_due'), models.Index(condition=models.Q(('is_open', True)), fields=['created_at', 'task'], name='review_work_open_created'), models.Index(condition=models.Q(('is_open', True)), fields=['owner', 'due_on'], name='review_work_open_owner'), models.Index(fields=['application', 'stage'], name='review_work_application'), models.Index(fields=['stage', 'finished_at'], name='review_work_stage_finished')],
            },
        ),
            ],
        ),
        content_types_relabel("onboarding", "reviews", ['reviewdecision', 'deficiency', 'accepteditem', 'reviewwork', 'internalnote']),
    ]
