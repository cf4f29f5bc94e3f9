"""Recompute the name keys of the rows already imported with today's screening/normalise.py.

A person's key now runs the surname's words together ("O BRIEN" and "OBRIEN"), keeps the surname
Do, leaves out titles, and transliterates letters such as Đ and ø; business keys change only for
those letters. Rows written by earlier imports would otherwise never match the keys screening
looks up.
"""

from django.db import migrations

BATCH = 2000


def recompute_name_keys(apps, schema_editor):
    """Each record's keys as the importer computes them: the business key on every record, the
    person key on an individual row's first record only (the others are its AKA/DBA names).

    The normaliser is imported, not copied: the keys must be the ones screening computes, and a
    later change to the normaliser brings its own migration. Reads in batches by primary key and
    writes only the records whose keys change, with one prepared UPDATE per batch: bulk_update's
    CASE expressions took 50 seconds for 100,000 rows on SQLite.
    """
    from screening.normalise import normalise_business_name, normalise_person_name

    ExclusionRecord = apps.get_model("screening", "ExclusionRecord")
    connection = schema_editor.connection
    table = connection.ops.quote_name(ExclusionRecord._meta.db_table)
    # The table name comes from the model and is quoted; the values are parameters.
    update = f"UPDATE {table} SET normalised_name = %s, person_key = %s WHERE id = %s"  # noqa: S608
    rows = ExclusionRecord.objects.using(connection.alias).order_by("pk").values_list(
        "pk", "release_id", "line_number", "kind", "business_name", "last_name", "first_name",
        "normalised_name", "person_key",
    )
    after, previous_row = 0, None
    while batch := list(rows.filter(pk__gt=after)[:BATCH]):
        changed = []
        for pk, release_id, line, kind, business, last, first, name, key in batch:
            is_first_record = (release_id, line) != previous_row
            previous_row = (release_id, line)
            new_name = normalise_business_name(business)[:300]
            new_key = (
                normalise_person_name(last=last, first=first)[:200]
                if kind == "individual" and is_first_record
                else ""
            )
            if (new_name, new_key) != (name, key):
                changed.append((new_name, new_key, pk))
        if changed:
            with connection.cursor() as cursor:
                cursor.executemany(update, changed)
        after = batch[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ("screening", "0003_exclusionnumber"),
    ]

    operations = [
        # Backwards there is nothing to undo: re-importing a list writes the older keys again.
        migrations.RunPython(recompute_name_keys, migrations.RunPython.noop),
    ]
