"""Seed the 23 eligible entity types and their evidence (plan administrators edit them later)."""

from django.db import migrations

from onboarding.reference import ENTITY_TYPES


def seed_entity_types(apps, schema_editor):
    EntityType = apps.get_model("onboarding", "EntityType")
    EvidenceRequirement = apps.get_model("onboarding", "EvidenceRequirement")
    for order, (code, name, evidence, needs_justification) in enumerate(ENTITY_TYPES, start=1):
        entity_type, created = EntityType.objects.get_or_create(
            code=code,
            defaults={"name": name, "requires_justification": needs_justification,
                      "sort_order": order},
        )
        if created:
            for title, required in evidence:
                EvidenceRequirement.objects.create(
                    entity_type=entity_type, title=title, is_required=required
                )


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0001_initial")]
    operations = [migrations.RunPython(seed_entity_types, migrations.RunPython.noop)]
