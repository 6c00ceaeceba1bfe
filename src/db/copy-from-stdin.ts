// COPY ... FROM STDIN through Kysely, on both drivers, inside whatever transaction the caller holds.
//
// Kysely has no COPY, and its connections keep the driver's client to themselves, so the copy is
// spoken one level down: the statement goes through Kysely as usual (`copyFromStdin` below), with the
// data as its one parameter, and the client under Kysely's connection recognises that shape and runs
// a real COPY instead of binding a parameter (which a COPY statement cannot take, so no valid
// statement changes meaning):
// - pg: a pg.Client subclass (the Pool's `Client`, pg-copy-client.ts) streams the data with
//   pg-copy-streams;
// - PGlite: a facade in front of the instance runs `COPY ... FROM '/dev/blob'` with the data as
//   PGlite's `blob` query option (its fastest path in).
// Each dialect says it can through its adapter, which Kysely shares with every transaction it opens.
// A database reached through the daemon's socket (pglite-server.ts) cannot: the server hands PGlite
// one protocol message at a time and PGlite needs a COPY's data in the same call as the statement.
import { PostgresAdapter, CompiledQuery, type Dialect, type QueryExecutor } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';

/** `COPY <table> [(columns)] FROM STDIN`, nothing after: the only statement shape intercepted. */
const COPY_FROM_STDIN = /^\s*copy\s[^;]*\sfrom\s+stdin\s*$/i;

/** The COPY input: text, or pieces of it sent as they come (streamed on pg, joined on PGlite). */
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

/** Adapters of dialects whose connections run copyFromStdin. */
const copyingAdapters = new WeakSet<object>();

class CopyingPostgresAdapter extends PostgresAdapter {
  constructor() {
    super();
    copyingAdapters.add(this);
  }
}

/** The dialect, saying that its connections run copyFromStdin (their client must be set up for it). */
export function withCopyFromStdin(dialect: Dialect): Dialect {
  return {
    createAdapter: () => new CopyingPostgresAdapter(),
    createDriver: () => dialect.createDriver(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** True when copyFromStdin works on db (or on the transaction's connection). */
export function canCopyFromStdin(db: KyselyLike): boolean {
  return copyingAdapters.has(db.getExecutor().adapter);
}

/**
 * Runs `statement` (COPY ... FROM STDIN, text format) with `data` as its input, on db's connection
 * (the transaction's, inside one). Only where canCopyFromStdin(db).
 */
export async function copyFromStdin(db: KyselyLike, statement: string, data: CopyData): Promise<void> {
  if (!COPY_FROM_STDIN.test(statement)) throw new Error(`not a COPY ... FROM STDIN statement: ${statement}`);
  await db.executeQuery(CompiledQuery.raw(statement, [data]));
}

/**
 * What kysely-pglite-dialect calls on its instance (query, close), with copyFromStdin's statements
 * run as `COPY ... FROM '/dev/blob'`. The instance itself stays the caller's.
 */
export function copyingPglite(pglite: PGlite): PGlite {
  const facade = {
    query(text: string, params?: unknown[], options?: Parameters<PGlite['query']>[2]) {
      const data = copyData(text, params);
      if (data === null) return pglite.query(text, params, options);
      const blobText = text.replace(/\sfrom\s+stdin\s*$/i, " from '/dev/blob'");
      return pglite.query(blobText, [], { ...options, blob: new Blob(typeof data === 'string' ? [data] : [...data]) });
    },
    close: () => pglite.close(),
  };
  return facade as unknown as PGlite;
}
