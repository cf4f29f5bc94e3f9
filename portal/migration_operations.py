"""Operations for migrations that move models from one app to another, tables and rows untouched."""

from typing import Any

from django.db import migrations


def content_types_relabel(from_app: str, to_app: str, models: list[str]) -> migrations.RunPython:
    """Move the models' content types (and so their permissions, and the groups holding them) to
    ``to_app``, so that ``user.has_perm("to_app.codename")`` holds for whoever had it before."""

    def move(apps: Any, schema_editor: Any, source: str, target: str) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model in models:
            ContentType.objects.using(schema_editor.connection.alias).filter(
                app_label=source, model=model
            ).update(app_label=target)

    return migrations.RunPython(
        lambda apps, editor: move(apps, editor, from_app, to_app),
        lambda apps, editor: move(apps, editor, to_app, from_app),
        elidable=False,
    )
