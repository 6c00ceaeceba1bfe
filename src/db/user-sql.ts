// SQL typed by a person (`bubblewatch sql`). It runs as exactly one statement with bound parameters,
// inside a READ ONLY transaction unless --write: with one statement there is no "commit; drop ..." way
// out of the read-only transaction, and parameters are never spliced into the text.
// A read-only transaction stops writes to tables, not a superuser: COPY ... TO PROGRAM, pg_read_file,
// pg_terminate_backend and advisory locks all work in one. So without --write the statement also runs
// as bubblewatch_reader (migration 0005: SELECT on the project's tables and views, nothing else), and
// under a statement timeout. See readBoundary() for when that role can be trusted.
import type { QueryResult, RawSession, SessionHandle } from './connect.js';
import { isConnectionError } from './connection-errors.js';

export const READER_ROLE = 'bubblewatch_reader';

export class UserSqlError extends Error {
  override name = 'UserSqlError';
  constructor(
    message: string,
    /** 1-based character position in the query, when Postgres reports one. */
    readonly position: number | null,
    readonly sqlState: string | null,
  ) {
    super(message);
  }

  /** SQLSTATE 25006: a write was attempted in a read-only transaction. */
  get isReadOnlyViolation(): boolean {
    return this.sqlState === '25006';
  }
}

/** Refused before the statement ran: a superuser connection without a sealed reader role (exit 2). */
export class ReadBoundaryError extends Error {
  override name = 'ReadBoundaryError';
}

/** What the database says about the connection and the reader role. */
export interface ReaderFacts {
  superuser: boolean;
  /** The role exists (migration 0005 could create it). */
  readerExists: boolean;
  /** SET ROLE to it failed with this message (not a member), or null. */
  takeError: string | null;
  /** Ways back to the session user's rights, or to stall other sessions, the role still has. */
  leaks: string[];
}

export type ReadBoundary = { runAs: 'reader' } | { runAs: 'self' } | { runAs: 'refuse'; reason: string };

/**
 * Pure. The reader role is used when it can be taken; on a superuser connection it must also be
 * sealed (no set_config, DO blocks or advisory locks), or the statement is refused: a superuser's
 * read-only transaction is no boundary at all. A non-superuser connection runs as the reader when it
 * can, else as itself: its own rights are the limit then, and they were never a superuser's.
 */
export function readBoundary(facts: ReaderFacts): ReadBoundary {
  const usable = facts.readerExists && facts.takeError === null;
  if (usable && (facts.leaks.length === 0 || !facts.superuser)) return { runAs: 'reader' };
  if (!facts.superuser) return { runAs: 'self' };
  const why = !facts.readerExists
    ? `the read-only role ${READER_ROLE} does not exist (the migration could not create it: its user lacks CREATEROLE)`
    : facts.takeError !== null
      ? `the read-only role ${READER_ROLE} cannot be taken (${facts.takeError})`
      : `the read-only role ${READER_ROLE} can still run ${facts.leaks.join(', ')} (only a superuser's migration can revoke them from PUBLIC: run \`bubblewatch migrate\` on a fresh database as a superuser)`;
  return {
    runAs: 'refuse',
    reason:
      `refusing to run this statement without --write: DATABASE_URL connects as a superuser, and ${why}. ` +
      'A read-only transaction does not stop a superuser from reading server files, running programs or stopping other sessions. ' +
      'Connect as a user that is not a superuser, or pass --write to run it with full rights.',
  };
}

// Answered before the role is taken, as the session user (has_*_privilege need no rights of their own).
const READER_FACTS = `
  select (select rolsuper from pg_roles where rolname = current_user) as superuser,
         to_regrole($1) is not null as reader_exists,
         case when to_regrole($1) is null then array[]::text[] else array_remove(array[
           case when has_function_privilege($1, 'pg_catalog.set_config(text,text,boolean)', 'execute') then 'set_config()' end,
           case when exists (select 1 from pg_language l where l.lanpltrusted and l.laninline <> 0
                               and has_language_privilege($1, l.oid, 'usage')) then 'DO blocks' end,
           case when exists (select 1 from pg_proc p where p.pronamespace = 'pg_catalog'::regnamespace
                               and p.proname ~ '^pg_(try_)?advisory_(xact_)?lock(_shared)?$'
                               and has_function_privilege($1, p.oid, 'execute')) then 'advisory locks' end
         ], null) end as leaks`;

/** Inside the read-only transaction: gathers the facts, takes the role when it may (savepoint: a failed SET ROLE must not end the transaction). */
async function enterReadBoundary(session: RawSession): Promise<void> {
  const row = (await session.query(READER_FACTS, [READER_ROLE])).rows[0] as { superuser: boolean; reader_exists: boolean; leaks: string[] };
  const facts: ReaderFacts = { superuser: row.superuser, readerExists: row.reader_exists, takeError: null, leaks: row.leaks };
  if (facts.readerExists) {
    await session.exec('savepoint take_reader');
    try {
      await session.exec(`set local role ${READER_ROLE}`);
    } catch (err) {
      facts.takeError = (err as Error).message;
      await session.exec('rollback to savepoint take_reader');
    }
  }
  // 'reader': the role was taken above; 'self': it could not be, nothing to undo.
  const boundary = readBoundary(facts);
  if (boundary.runAs === 'refuse') throw new ReadBoundaryError(boundary.reason);
}

export interface UserSqlOptions {
  write?: boolean;
  params?: readonly unknown[];
  /** statement_timeout for the statement, in ms; 0 or absent: none. */
  statementTimeoutMs?: number;
}

export async function runUserSql(handle: SessionHandle, text: string, options: UserSqlOptions = {}): Promise<QueryResult> {
  return handle.withSession(async (session) => {
    await session.exec(options.write ? 'begin' : 'begin transaction read only');
    try {
      const timeout = Math.trunc(options.statementTimeoutMs ?? 0);
      if (timeout > 0) await session.exec(`set local statement_timeout = ${timeout}`);
      if (!options.write) await enterReadBoundary(session);
      const result = await session.query(text, options.params ?? []);
      await session.exec(options.write ? 'commit' : 'rollback');
      return result;
    } catch (err) {
      await session.exec('rollback').catch(() => undefined);
      // Not the statement's fault: a lost connection is told as such by the caller (exit 1, not 2).
      if (err instanceof ReadBoundaryError || isConnectionError(err)) throw err;
      const e = err as Error & { position?: string | number; code?: string };
      const position = e.position === undefined ? null : Number(e.position);
      throw new UserSqlError(e.message, Number.isFinite(position) ? position : null, typeof e.code === 'string' ? e.code : null);
    }
  });
}

/** The query with a caret under the position Postgres reported, for error messages. */
export function pointAt(text: string, position: number): string {
  const before = text.slice(0, position - 1);
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const lineNo = before.split('\n').length;
  return `LINE ${lineNo}: ${line}\n${' '.repeat(`LINE ${lineNo}: `.length + (position - 1 - lineStart))}^`;
}
