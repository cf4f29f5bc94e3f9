"""Plan administrators issue, list and revoke API tokens (revoking is a change)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PLAN_ADMIN_GROUP = "plan admin"
PLAN_ADMIN_PERMISSIONS = ["add_apitoken", "change_apitoken", "view_apitoken"]


def grant_plan_admins(apps, schema_editor):
    # Permissions are normally created after migrate; the group needs them now.
    app_config = apps.get_app_config("api")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=PLAN_ADMIN_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="api", codename__in=PLAN_ADMIN_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial"), ("onboarding", "0003_roles")]
    operations = [migrations.RunPython(grant_plan_admins, migrations.RunPython.noop)]
