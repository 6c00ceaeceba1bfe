// A PGlite database the benchmark can reach both through Kysely (the code under test) and directly
// (COPY FROM '/dev/blob', which needs PGlite's own query options and so cannot go through DbHandle).
// On disk under the given dir, like the embedded database in production.
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { DbHandle } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import type { Database } from '../db/schema.js';

export interface RawPglite {
  pglite: PGlite;
  handle: DbHandle;
}

export async function openRawPglite(dir: string): Promise<RawPglite> {
  const asNumber = (v: string) => Number(v);
  const pglite = new PGlite(dir, { parsers: { [types.DATE]: (v: string) => v, [types.NUMERIC]: asNumber, [types.INT8]: asNumber } });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  const handle: DbHandle = {
    db,
    kind: 'pglite',
    location: dir,
    withSession: (fn) =>
      fn({
        async query(text, params) {
          const r = await pglite.query<Record<string, unknown>>(text, params ? [...params] : []);
          return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows };
        },
        async exec(script) {
          await pglite.exec(script);
        },
      }),
    async close() {
      const exitCode = process.exitCode;
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      process.exitCode = exitCode;
    },
  };
  await migrate(handle);
  return { pglite, handle };
}
