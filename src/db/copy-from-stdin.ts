// COPY ... FROM STDIN through Kysely, inside whatever transaction the caller holds.
//
// Kysely has no COPY, and its connections keep the driver's client to themselves, so the copy is
// spoken one level down: the statement goes through Kysely as usual (`copyFromStdin` below), with the
// data as its one parameter, and the client under Kysely's connection (the Pool's `Client`,
// pg-copy-client.ts) recognises that shape and streams the data with pg-copy-streams instead of
// binding a parameter (which a COPY statement cannot take, so no valid statement changes meaning).
import { CompiledQuery, type QueryExecutor } from 'kysely';
import { COPY_FROM_STDIN, type CopyData } from './copy-statement.js';

export type { CopyData } from './copy-statement.js';

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
