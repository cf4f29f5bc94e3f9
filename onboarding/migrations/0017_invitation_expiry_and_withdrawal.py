"""Invitations expire and can be withdrawn.

Invitations sent before this migration get the expiry a new one would have had when it was
sent (INVITATION_VALID_DAYS after it was created), so an old link stops working as a new one
would.
"""

from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def expiry_from_sending(apps, schema_editor):
    Invitation = apps.get_model("onboarding", "Invitation")
    Invitation.objects.filter(expires_at__isnull=True).update(
        expires_at=F("created_at") + timedelta(days=settings.INVITATION_VALID_DAYS)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('onboarding', '0016_models_move_to_their_apps'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='invitation',
            name='expires_at',
            field=models.DateTimeField(null=True, verbose_name='expires'),
        ),
        migrations.RunPython(expiry_from_sending, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='invitation',
            name='expires_at',
            field=models.DateTimeField(verbose_name='expires'),
        ),
        migrations.AddField(
            model_name='invitation',
            name='revoked_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='invitation',
            name='revoked_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
    ]
