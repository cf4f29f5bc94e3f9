-- Proof, connected as the runtime role, that it can add and read audit rows and can neither change
-- nor remove them by any route: each refusal is attempted and must fail with insufficient_privilege,
-- any other outcome fails the script. Everything happens in one transaction that is rolled back,
-- so it leaves no trace, and can be run against production after a deploy:
--
--   psql -X -v ON_ERROR_STOP=1 -h DB_HOST -U ecm_app -d ecm -f deploy/postgres/check_runtime.sql

BEGIN;

DO $check$
DECLARE
    statement text;
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
        RAISE EXCEPTION 'connected as %, a superuser: connect as the runtime role', current_user;
    END IF;
    IF EXISTS (SELECT FROM pg_class WHERE pg_has_role(current_user, relowner, 'MEMBER')) THEN
        RAISE EXCEPTION '% owns (or may act as the owner of) a table', current_user;
    END IF;

    FOREACH statement IN ARRAY ARRAY[
        'UPDATE public.portal_auditevent SET summary = ''changed''',
        'DELETE FROM public.portal_auditevent',
        'TRUNCATE public.portal_auditevent',
        'ALTER TABLE public.portal_auditevent DISABLE TRIGGER portal_auditevent_append_only',
        'ALTER TABLE public.portal_auditevent DISABLE TRIGGER ALL',
        'ALTER TABLE public.portal_auditevent OWNER TO CURRENT_USER',
        'DROP TABLE public.portal_auditevent',
        'DROP FUNCTION public.portal_auditevent_append_only()',
        -- Replica mode skips ordinary triggers, the append-only one included.
        'SET session_replication_role = replica',
        'CREATE TABLE public.check_runtime_probe (id integer)',
        'INSERT INTO public.django_migrations (app, name, applied) VALUES (''check'', ''probe'', now())'
    ] LOOP
        BEGIN
            EXECUTE statement;
        EXCEPTION
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'refused, as it should be: %', statement;
                CONTINUE;
            WHEN raise_exception THEN
                RAISE EXCEPTION 'the runtime role % holds the privilege for: % (only the '
                    'append-only trigger refused it)', current_user, statement;
        END;
        RAISE EXCEPTION 'the runtime role % was allowed: %', current_user, statement;
    END LOOP;

    -- After the refusals: a row added in this transaction would leave trigger events pending,
    -- and TRUNCATE would then fail for that reason instead of for want of the privilege.
    INSERT INTO public.portal_auditevent
        (occurred_at, actor_email, action, object_type, object_id, summary, user_agent)
    VALUES (now(), '', 'export', '', '', 'deploy/postgres/check_runtime.sql', '');
    PERFORM FROM public.portal_auditevent WHERE summary = 'deploy/postgres/check_runtime.sql';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the audit row just added cannot be read back';
    END IF;
    RAISE NOTICE 'allowed, as it should be: INSERT and SELECT on portal_auditevent';
END
$check$;

ROLLBACK;
