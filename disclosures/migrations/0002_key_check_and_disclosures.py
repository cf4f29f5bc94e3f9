"""The field-encryption key check, a disclosure for every application already started, and the
network managers' permission to reveal identifiers and export disclosures."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CANARY = "ecm-portal field-encryption key check"  # disclosures.keys.CANARY, as of this migration
GRANTS = {
    "network manager": ["reveal_identifiers", "export_disclosures"],
}


def forwards(apps, schema_editor):
    apps.get_model("disclosures", "KeyCheck").objects.create(value=CANARY)
    Application = apps.get_model("onboarding", "Application")
    Disclosure = apps.get_model("disclosures", "Disclosure")
    missing = Application.objects.filter(disclosure__isnull=True).values_list("pk", flat=True)
    Disclosure.objects.bulk_create(
        (Disclosure(application_id=pk) for pk in missing.iterator(chunk_size=2000)),
        batch_size=2000,
    )
    config = apps.get_app_config("disclosures")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="disclosures", codename__in=codenames
        )
        for group in Group.objects.filter(name=name):
            group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_initial"), ("onboarding", "0003_roles")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
