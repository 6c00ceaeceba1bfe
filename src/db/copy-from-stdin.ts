// COPY ... FROM STDIN through Kysely, inside whatever transaction the caller holds.
//
// Kysely has no COPY, and its connections keep the driver's client to themselves, so the copy is
// spoken one level down: the statement goes through Kysely as usual (`copyFromStdin` below), with the
// data as its one parameter, and the client under Kysely's connection (the Pool's `Client`,
// pg-copy-client.ts) recognises that shape and streams the data with pg-copy-streams instead of
// binding a parameter (which a COPY statement cannot take, so no valid statement changes meaning).
import { CompiledQuery, type QueryExecutor } from 'kysely';

/** `COPY <table> [(columns)] FROM STDIN`, nothing after: the only statement shape intercepted. */
const COPY_FROM_STDIN = /^\s*copy\s[^;]*\sfrom\s+stdin\s*$/i;

/** The COPY input: text, or pieces of it sent as they come (streamed). */
export type CopyData = string | Iterable<string>;

/** The data of a copyFromStdin statement as a driver receives it, or null for any other query. */
export function copyData(text: unknown, values: unknown): CopyData | null {
  if (typeof text !== 'string' || !COPY_FROM_STDIN.test(text) || !Array.isArray(values) || values.length !== 1) return null;
  const data: unknown = values[0];
  if (typeof data === 'string') return data;
  return typeof data === 'object' && data !== null && Symbol.iterator in data ? (data as Iterable<string>) : null;
}

/** A Kysely instance or transaction, of any schema. */
type KyselyLike = { getExecutor(): QueryExecutor; executeQuery(query: CompiledQuery): Promise<unknown> };

/**
 * Runs `statement` (COPY ... FROM STDIN, text format) with `data` as its input, on db's connection
 * (the transaction's, inside one).
 */
export async function copyFromStdin(db: KyselyLike, statement: string, data: CopyData): Promise<void> {
  if (!COPY_FROM_STDIN.test(statement)) throw new Error(`not a COPY ... FROM STDIN statement: ${statement}`);
  await db.executeQuery(CompiledQuery.raw(statement, [data]));
}
