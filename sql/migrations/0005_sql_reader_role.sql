-- The role `bubblewatch sql` runs as without --write (src/db/user-sql.ts takes it with SET LOCAL ROLE
-- inside its read-only transaction). A read-only transaction does not stop a superuser from reading
-- server files, running programs through COPY, stopping other sessions or taking advisory locks; a
-- role that may only SELECT the project's tables and views does.
--
-- Roles are cluster-wide and this runs once per schema (several installs or test schemas share one
-- cluster, possibly at the same moment), so every step is idempotent and races are absorbed. A user
-- that may not create roles (no CREATEROLE) skips it all: `sql` then sees no usable role and, on a
-- superuser connection, refuses to run without --write (on a non-superuser one the user's own rights
-- apply).
--
-- Taking the role alone would not be a boundary: SET ROLE is checked against the *session* user, so a
-- statement could switch back to the superuser with set_config('role', ...) or a DO block running
-- SET ROLE. Those, and the advisory-lock functions (a reader holding the ingest lock's key would stall
-- every sync), are executable by PUBLIC by default: they are revoked from PUBLIC in this database and
-- granted back to the database's owner. Only a superuser can change built-in functions' rights, so
-- a non-superuser install leaves them be; `sql` checks at run time whether the role is sealed.
do $migration$
declare
  reader constant name := 'bubblewatch_reader';
  schema_name constant name := current_schema();
  is_superuser constant boolean := (select rolsuper from pg_roles where rolname = current_user);
  db_owner constant name := (select pg_get_userbyid(datdba) from pg_database where datname = current_database());
  owner_is_superuser constant boolean := (select rolsuper from pg_roles where rolname = db_owner);
  fn regprocedure;
  lang name;
begin
  -- Schemas of one database migrating at once would otherwise collide on the same catalog rows
  -- ("tuple concurrently updated"); held until this migration commits. "bwrd" in ASCII.
  perform pg_advisory_xact_lock(x'62777264'::int);

  begin
    execute format('create role %I nologin', reader);
  exception
    when duplicate_object or unique_violation then null; -- made by another schema or database, maybe just now
    when insufficient_privilege then
      raise notice 'cannot create role % (%); bubblewatch sql needs --write on a superuser connection', reader, sqlerrm;
      return;
  end;

  -- A non-superuser must be a member to SET ROLE to it (a superuser may take any role).
  if not is_superuser then
    begin
      execute format('grant %I to %I', reader, current_user);
    exception when others then
      raise notice 'cannot grant % to %: %', reader, current_user, sqlerrm;
    end;
  end if;

  begin
    execute format('grant usage on schema %I to %I', schema_name, reader);
    execute format('grant select on all tables in schema %I to %I', schema_name, reader);
    -- Tables and views later migrations create here are readable too.
    execute format('alter default privileges in schema %I grant select on tables to %I', schema_name, reader);
  exception when insufficient_privilege then
    raise notice 'cannot grant % read access to schema %: %', reader, schema_name, sqlerrm;
  end;

  if not is_superuser then
    return;
  end if;
  for fn in
    select p.oid::regprocedure from pg_proc p
     where p.pronamespace = 'pg_catalog'::regnamespace
       and (p.proname ~ '^pg_(try_)?advisory_(xact_)?lock(_shared)?$'
            or p.oid = 'pg_catalog.set_config(text,text,boolean)'::regprocedure)
  loop
    execute format('revoke execute on function %s from public', fn);
    if not owner_is_superuser then
      execute format('grant execute on function %s to %I', fn, db_owner);
    end if;
  end loop;
  -- Languages with an inline handler run DO blocks, and a DO block can run SET ROLE.
  for lang in select l.lanname from pg_language l where l.lanpltrusted and l.laninline <> 0 loop
    execute format('revoke usage on language %I from public', lang);
    if not owner_is_superuser then
      execute format('grant usage on language %I to %I', lang, db_owner);
    end if;
  end loop;
end
$migration$;
