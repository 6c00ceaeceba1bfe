// SQL typed by a person (`bubblewatch sql`). It runs as exactly one statement with bound parameters,
// inside a READ ONLY transaction unless --write: with one statement there is no "commit; drop ..." way
// out of the read-only transaction, and parameters are never spliced into the text.
import type { DbHandle, QueryResult } from './connect.js';

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

export async function runUserSql(
  handle: DbHandle,
  text: string,
  options: { write?: boolean; params?: readonly unknown[] } = {},
): Promise<QueryResult> {
  return handle.withSession(async (session) => {
    await session.exec(options.write ? 'begin' : 'begin transaction read only');
    try {
      const result = await session.query(text, options.params ?? []);
      await session.exec(options.write ? 'commit' : 'rollback');
      return result;
    } catch (err) {
      await session.exec('rollback').catch(() => undefined);
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
