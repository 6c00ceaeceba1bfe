// A handle opened with sessionsOnly (what `sql` uses, so that Kysely is not loaded): migrations and
// user SQL work on it exactly as on a full handle, and touching its missing query builder is a clear
// error, while copying the handle (as test helpers do) stays harmless.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';
import { runUserSql } from '../../src/db/user-sql.js';
import { createScratchDatabase } from '../helpers/db.js';

describe('a sessionsOnly handle', () => {
  it('migrates, runs read-only user SQL, and says plainly that it has no query builder', async () => {
    const scratch = await createScratchDatabase();
    const handle = await openDb({ kind: 'postgres', url: scratch.url }, { sessionsOnly: true, maxConnections: 1 });
    try {
      expect(await migrate(handle)).toEqual({ applied: readMigrations().map((m) => m.id), alreadyApplied: 0 });
      const result = await runUserSql(handle, 'select count(*) as n from daily_bars where symbol = $1', { params: ['ORCL'] });
      expect(result.rows).toEqual([{ n: 0 }]);
      await expect(runUserSql(handle, 'delete from daily_bars')).rejects.toThrow(/read-only|permission denied/);

      const copy = { ...handle };
      expect(copy.kind).toBe('postgres');
      expect(() => handle.db.selectFrom('symbols')).toThrow(/opened with sessionsOnly: it has no query builder \(db\.selectFrom\)/);
    } finally {
      await handle.close();
      await scratch.drop();
    }
  });
});
