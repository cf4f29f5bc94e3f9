"""Make the database itself refuse changes to audit rows.

PostgreSQL refuses UPDATE and DELETE of any audit row. (TRUNCATE is left to database privileges:
the application's role should not hold it; Django's test flush needs it.) SQLite, used only by the
embedded default, refuses UPDATE.
"""

from django.db import migrations

POSTGRES = """
CREATE OR REPLACE FUNCTION portal_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER portal_auditevent_append_only
    BEFORE UPDATE OR DELETE ON portal_auditevent
    FOR EACH ROW EXECUTE FUNCTION portal_auditevent_append_only();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS portal_auditevent_append_only ON portal_auditevent;
DROP FUNCTION IF EXISTS portal_auditevent_append_only();
"""
SQLITE = """
CREATE TRIGGER portal_auditevent_append_only BEFORE UPDATE ON portal_auditevent
BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only (UPDATE refused)'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS portal_auditevent_append_only;"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_audit_event")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
