"""Care-team members' dates of birth are encrypted at rest, like the disclosure's: the column
becomes text and every date already given is written again, encrypted."""

import encrypted_model_fields.fields
from django.db import migrations


def encrypt_existing(apps, schema_editor):
    CareTeamMember = apps.get_model("onboarding", "CareTeamMember")
    given = CareTeamMember.objects.exclude(date_of_birth=None).only("pk", "date_of_birth")
    for member in given.iterator(chunk_size=500):
        # Read as the plain date the column held (no key decrypts it); saved, it is encrypted.
        member.save(update_fields=["date_of_birth"])


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0023_entity_step_signed")]

    operations = [
        migrations.AlterField(
            model_name="careteammember",
            name="date_of_birth",
            field=encrypted_model_fields.fields.EncryptedDateField(
                blank=True, null=True, verbose_name="date of birth (only if asked)"
            ),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
