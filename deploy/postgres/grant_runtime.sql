-- What the portal's runtime role may do with the tables that exist now. Run after every
-- `manage.py migrate`, as the owner role (which owns the tables and so may grant on them):
--
--   psql -X -1 -v ON_ERROR_STOP=1 -v runtime_role=ecm_app \
--       -h DB_HOST -U ecm_owner -d ecm -f deploy/postgres/grant_runtime.sql
--
-- Running it again changes nothing. It ends by checking the result and fails, changing nothing
-- (with -1), if the runtime role could still alter the audit trail.
--
-- Plain SQL apart from the :"runtime_role" / :'runtime_role' variables, so that
-- tests/portal/test_database_roles.py runs this very file.

-- Read by the check at the end (a DO block cannot see psql variables).
SET ecm.runtime_role = :'runtime_role';

-- The application's tables: read and write rows, nothing else. roles.sql's default privileges
-- give the same to tables created later; these cover the ones that existed before it ran.
GRANT USAGE ON SCHEMA public TO :"runtime_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"runtime_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"runtime_role";
-- Granted by hand at some point, each would undo part of the audit table's protection; the
-- portal needs none of them (no TRUNCATE, no foreign keys or triggers of its own, no setval).
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM :"runtime_role";
REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA public FROM :"runtime_role";

-- The audit trail is only ever added to and read. The default privileges gave UPDATE and DELETE
-- when a migration created the table (migration 0003's trigger refuses both as well); REVOKE ALL
-- also takes back column grants. PUBLIC's privileges count for every role, so they go too.
REVOKE ALL ON public.portal_auditevent FROM PUBLIC;
REVOKE ALL ON public.portal_auditevent FROM :"runtime_role";
GRANT SELECT, INSERT ON public.portal_auditevent TO :"runtime_role";

-- Which migrations ran is the owner's record: the portal reads it (Django's checks), never writes.
REVOKE ALL ON public.django_migrations FROM :"runtime_role";
GRANT SELECT ON public.django_migrations TO :"runtime_role";

-- The result, including what the runtime role holds through PUBLIC or through membership of
-- other roles, which the statements above cannot take away.
DO $check$
DECLARE
    runtime_role text := current_setting('ecm.runtime_role');
    audit regclass := 'public.portal_auditevent';
    held text[];
    reachable text;
    owned text;
    ungranted text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = runtime_role) THEN
        RAISE EXCEPTION 'role % does not exist: run deploy/postgres/roles.sql first', runtime_role;
    END IF;

    SELECT array_agg(privilege ORDER BY position) INTO held
    FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'])
        WITH ORDINALITY AS privileges (privilege, position)
    WHERE has_table_privilege(runtime_role, audit, privilege);
    IF held IS DISTINCT FROM ARRAY['SELECT', 'INSERT'] THEN
        RAISE EXCEPTION '% holds % on % (SELECT and INSERT only expected)', runtime_role, held, audit;
    END IF;

    -- A superuser passes every privilege check; a member of a superuser role or of a table's owner
    -- can SET ROLE to it; pg_write_all_data grants UPDATE and DELETE on every table.
    SELECT string_agg(rolname, ', ') INTO reachable
    FROM pg_roles
    WHERE pg_has_role(runtime_role, oid, 'MEMBER')
        AND (rolsuper OR rolbypassrls OR rolname = 'pg_write_all_data');
    IF reachable IS NOT NULL THEN
        RAISE EXCEPTION '% is or may act as % (superuser, bypasses row security, or writes all data)',
            runtime_role, reachable;
    END IF;

    -- The owner of an object may drop or alter it whatever it was granted.
    SELECT string_agg(what, ', ') INTO owned
    FROM (
        SELECT format('table %s', oid::regclass) FROM pg_class
        WHERE pg_has_role(runtime_role, relowner, 'MEMBER')
        UNION ALL
        SELECT format('schema %I', nspname) FROM pg_namespace
        WHERE pg_has_role(runtime_role, nspowner, 'MEMBER')
        UNION ALL
        SELECT format('function %s', oid::regprocedure) FROM pg_proc
        WHERE pg_has_role(runtime_role, proowner, 'MEMBER')
        UNION ALL
        SELECT format('database %I', datname) FROM pg_database
        WHERE datname = current_database() AND pg_has_role(runtime_role, datdba, 'MEMBER')
    ) AS objects (what);
    IF owned IS NOT NULL THEN
        RAISE EXCEPTION '% owns (or may act as the owner of) %: run deploy/postgres/roles.sql',
            runtime_role, owned;
    END IF;

    -- GRANT by a role that does not own the tables only warns; the portal would then fail later.
    SELECT string_agg(format('%s', oid::regclass), ', ') INTO ungranted
    FROM pg_class
    WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v')
        AND NOT has_table_privilege(runtime_role, oid, 'SELECT');
    IF ungranted IS NOT NULL THEN
        RAISE EXCEPTION '% cannot read %: run this file as the owner role', runtime_role, ungranted;
    END IF;
END
$check$;
