-- The portal's two PostgreSQL roles: one owns the schema and runs the migrations, the other runs the
-- portal and owns nothing (docs/postgres-roles.md says why and in which order to run what).
--
-- Run by a DBA as a superuser, connected to the portal's database, before the first migrate and
-- again whenever in doubt: every statement leaves an already configured database as it was.
--
--   psql -X -1 -v ON_ERROR_STOP=1 -v owner_role=ecm_owner -v runtime_role=ecm_app \
--       -h DB_HOST -U postgres -d ecm -f deploy/postgres/roles.sql
--
-- Passwords are not set here (nothing secret belongs in a reviewed file): set them afterwards with
-- psql's \password, or use the authentication the plan already runs (certificates, Kerberos, IAM).

\if :{?owner_role}
\else
DO $$ BEGIN RAISE EXCEPTION 'pass the role names: psql -v owner_role=... -v runtime_role=...'; END $$;
\endif
\if :{?runtime_role}
\else
DO $$ BEGIN RAISE EXCEPTION 'pass the role names: psql -v owner_role=... -v runtime_role=...'; END $$;
\endif

-- Created only where missing, without the attributes that would let either bypass privileges.
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
              :'owner_role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner_role')
\gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
              :'runtime_role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'runtime_role')
\gexec

-- A deployment that used one role for everything names that role as runtime_role here: whatever it
-- owns in this database (tables, sequences, the database itself) passes to the owner role, since
-- the owner of a table may TRUNCATE it, disable its triggers or drop it whatever it was granted.
-- Nothing happens when the runtime role owns nothing.
REASSIGN OWNED BY :"runtime_role" TO :"owner_role";

-- Only the two roles (and superusers) connect. Without TEMPORARY the runtime role cannot create
-- temporary tables either, which the portal never does.
REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"DBNAME" TO :"owner_role";
GRANT CONNECT ON DATABASE :"DBNAME" TO :"runtime_role";

-- The owner creates the portal's tables in the public schema; nobody else creates anything there
-- (PostgreSQL 15 revokes CREATE from PUBLIC already, earlier versions granted it).
ALTER SCHEMA public OWNER TO :"owner_role";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"runtime_role";

-- Every table and sequence a migration creates from now on is usable by the runtime role at once,
-- without TRUNCATE. grant_runtime.sql, run after each migrate, narrows the audit table further.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"runtime_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"runtime_role";
