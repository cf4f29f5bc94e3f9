"""Operations for migrations that move models from one app to another, tables and rows untouched."""

from typing import Any

from django.db import migrations


def content_types_relabel(from_app: str, to_app: str, models: list[str]) -> migrations.RunPython:
    """Move the models' content types (and so their permissions, and the groups holding them) to
    ``to_app``, so that ``user.has_perm("to_app.codename")`` holds for whoever had it before.

    A ``migrate`` that stopped short of this migration (``migrate onboarding``, say) has already
    made fresh content types under ``to_app``, with fresh permissions: Django makes them for
    every installed model after each ``migrate``. The old content type keeps the rows that name
    it, so it is the one kept; whoever holds a fresh permission is given the old one of the
    same codename, and the fresh content type goes.
    """

    def move(apps: Any, schema_editor: Any, source: str, target: str) -> None:
        db = schema_editor.connection.alias
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        for model in models:
            kept = ContentType.objects.using(db).filter(app_label=source, model=model).first()
            if kept is None:
                continue
            fresh = ContentType.objects.using(db).filter(app_label=target, model=model).first()
            if fresh is not None:
                for permission in Permission.objects.using(db).filter(content_type=fresh):
                    old = Permission.objects.using(db).filter(
                        content_type=kept, codename=permission.codename
                    )
                    if not old.exists():
                        permission.content_type = kept
                        permission.save(update_fields=["content_type"])
                        continue
                    for group in permission.group_set.all():
                        group.permissions.add(*old)
                    for user in permission.user_set.all():
                        user.user_permissions.add(*old)
                    permission.delete()
                fresh.delete()
            kept.app_label = target
            kept.save(update_fields=["app_label"])

    return migrations.RunPython(
        lambda apps, editor: move(apps, editor, from_app, to_app),
        lambda apps, editor: move(apps, editor, to_app, from_app),
        elidable=False,
    )
