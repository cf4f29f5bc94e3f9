"""Seed the RTF and OTF file specifications, and let plan administrators edit them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from data_exchange.specs import specifications_seed

PLAN_ADMIN_GROUP = "plan admin"
PLAN_ADMIN_PERMISSIONS = [
    "add_filespecification",
    "change_filespecification",
    "view_filespecification",
    "add_speccolumn",
    "change_speccolumn",
    "delete_speccolumn",
    "view_speccolumn",
]


def seed_specifications(apps, schema_editor):
    specifications_seed(
        apps.get_model("onboarding", "FileSpecification"), apps.get_model("onboarding", "SpecColumn")
    )


def grant_plan_admins(apps, schema_editor):
    # Permissions are normally created after migrate; the group needs them now.
    app_config = apps.get_app_config("onboarding")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=PLAN_ADMIN_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="onboarding", codename__in=PLAN_ADMIN_PERMISSIONS
        )
    )


def seed(apps, schema_editor):
    seed_specifications(apps, schema_editor)
    grant_plan_admins(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0009_data_sharing_schema")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
