"""Network managers and plan administrators may search and export the audit trail."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["network manager", "plan admin"]


def grant(apps, schema_editor):
    portal = apps.get_app_config("portal")
    portal.models_module = True
    create_permissions(portal, apps=apps, verbosity=0)
    portal.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="portal", codename="view_audit_trail"
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_audit_append_only"), ("onboarding", "0003_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
