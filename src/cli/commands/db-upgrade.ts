// `bubblewatch db upgrade`: the database of the PGlite release into the embedded PostgreSQL server
// (src/db/pglite-upgrade.ts), every row kept and counted; the PGlite files are kept aside.
import { hasPgliteDatabase } from '../../db/embedded-server.js';
import { upgradeFromPglite, UpgradeError } from '../../db/pglite-upgrade.js';
import { loadConfigAndLogger, openContext, UsageError } from '../context.js';

const print = (text: string): void => void process.stdout.write(`${text}\n`);

export async function upgradeCommand(): Promise<void> {
  const loaded = loadConfigAndLogger();
  const { dataDir, databaseUrl } = loaded.config.env;
  if (databaseUrl) throw new UsageError("DATABASE_URL is set: 'db upgrade' moves the embedded PGlite database of the data dir, used when DATABASE_URL is unset");
  if (!hasPgliteDatabase(dataDir)) {
    print(`nothing to upgrade: ${dataDir} holds no PGlite database`);
    return;
  }
  const started = Date.now();
  const ctx = await openContext({ loaded, label: 'db upgrade', besidePglite: true });
  try {
    const result = await upgradeFromPglite(dataDir, ctx.handle);
    const total = result.tables.reduce((n, t) => n + t.rows, 0);
    print(`moved ${total} rows of ${result.tables.length} tables into the embedded PostgreSQL server (${ctx.handle.location}) in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
    for (const t of result.tables) print(`  ${t.table.padEnd(32)} ${String(t.rows).padStart(9)}`);
    if (result.notCopied.length) print(`not copied (not part of bubblewatch's schema): ${result.notCopied.join(', ')}; they stay in the PGlite files`);
    print(`the PGlite files are kept at ${result.keptAt}: remove them when you no longer need them`);
  } catch (err) {
    if (err instanceof UpgradeError) throw new UsageError(err.message);
    throw err;
  } finally {
    await ctx.handle.close();
  }
}
