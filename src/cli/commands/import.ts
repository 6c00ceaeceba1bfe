// `bubblewatch import <files...> [--symbol]`: Yahoo-format CSVs into daily_bars. A file with problems
// imports nothing and lists them (the first 20); any such file makes the exit code 2. A file on another
// basis than the stored rows it overlaps (a split since it was saved) is such a file: refused, naming
// the factor.
import { deliverOnce } from '../../alerts/deliver.js';
import { alertsAfterSync } from '../../alerts/evaluate.js';
import { importCsvFiles } from '../../import/run.js';
import { zonedDate } from '../../market/zoned-time.js';
import { withContext } from '../context.js';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export async function importCommand(files: string[], options: { symbol?: string }): Promise<void> {
  await withContext(async ({ handle, config, log }) => {
    const now = new Date();
    const outcomes = await importCsvFiles(handle, files, {
      symbol: options.symbol,
      today: zonedDate(now, config.exchange.timezone),
      now,
      log,
      jumpFactor: config.history.jumpFactor,
    });
    // Imported bars are evaluated like synced ones (a first import only records the alert state).
    if (outcomes.some((o) => o.problems.length === 0)) {
      const alertDeps = { handle, config, log, clock: () => new Date() };
      await deliverOnce(alertDeps, await alertsAfterSync(alertDeps, null));
    }
    let bad = 0;
    for (const o of outcomes) {
      if (o.problems.length === 0) {
        const notes = [o.revised ? `${o.revised} of them revised` : '', o.skippedEmpty ? `${o.skippedEmpty} empty skipped` : '', o.jumps ? `${o.jumps} unexplained jump(s), see status` : '']
          .filter(Boolean)
          .map((n) => `, ${n}`)
          .join('');
        print(`${o.file}: ${o.symbol} ${o.rows} rows (${o.inserted} new, ${o.updated} changed, ${o.unchanged} unchanged${notes})`);
        continue;
      }
      bad++;
      const shown = o.problems.slice(0, 20).map((p) => `${o.file}:${p.line}: ${p.reason}`);
      if (o.problems.length > 20) shown.push(`${o.file}: ... and ${o.problems.length - 20} more problem(s)`);
      process.stderr.write(`${shown.join('\n')}\n${o.file}: nothing imported from this file\n`);
    }
    if (bad) process.exitCode = 2;
  });
}
