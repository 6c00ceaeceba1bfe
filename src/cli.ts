// Command dispatch and exit codes: 0 ok; 1 the job ran but some work failed; 2 bad usage/config/input.
// Each command is wired in src/cli/commands/ (src/cli/README.md), and its module is imported only when
// that command runs, so `--help` and quick commands don't pay for loading kysely, yahoo-finance2 or the
// report renderer.
import { createRequire } from 'node:module';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isIsoDate } from './bar-checks.js';

const EXIT_USAGE = 2;

function isoDateArg(value: string): string {
  // Strict: Date.parse would take 2026-02-30 and quietly read it as March 2.
  if (!isIsoDate(value)) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  }
  return value;
}

function symbolsArg(value: string): string[] {
  const symbols = value.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (symbols.length === 0) throw new InvalidArgumentError('expected symbols separated by commas, e.g. ORCL,CRWV');
  return symbols;
}

function rateArg(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number between 0 and 1');
  return n;
}

function portArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}

function positiveIntArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('expected a whole number 1-10000');
  return n;
}

function listArg<T extends string>(allowed: readonly T[]) {
  return (value: string): T[] => {
    const items = value.split(',').map((s) => s.trim()) as T[];
    const bad = items.filter((i) => !allowed.includes(i));
    if (bad.length || items.length === 0) throw new InvalidArgumentError(`expected a comma-separated list of ${allowed.join(', ')}`);
    return items;
  };
}

function paramArg(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected NAME=VALUE');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** dist/cli.js sits one level below package.json (npm_package_version would be the caller's, under npx). */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command('bubblewatch')
    .description('Track a watchlist of stocks from Yahoo Finance into PostgreSQL and judge market claims with real numbers.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('run')
    .description('run the daemon: scheduled history syncs, live quotes, daily reports, health and metrics over HTTP')
    .option('--standby', 'wait for the running instance to stop instead of exiting')
    .option('--db-port <port>', 'the embedded database also listens on this loopback port, with a password (0 = any free port)', portArg)
    .action(async (opts) => (await import('./cli/commands/run.js')).runCommand(opts));

  program
    .command('sync')
    .description('sync daily history from Yahoo once (only what is missing, plus an overlap window)')
    .option('--symbols <list>', 'only these symbols, e.g. ORCL,CRWV', symbolsArg)
    .option('--from <date>', 're-fetch from this date whatever is stored', isoDateArg)
    .action(async (opts) => (await import('./cli/commands/ingest.js')).syncCommand(opts));

  program
    .command('verify')
    .description("compare the stored history with the source's whole history, field by field; one line per differing range (exit 1 when something differs)")
    .option('--symbols <list>', 'only these symbols, e.g. INTC,NVDA (default: the watchlist)', symbolsArg)
    .option('--repair', 'store the source\'s history for the symbols that differ (one unit of work per symbol) and say what changed')
    .action(async (opts) => (await import('./cli/commands/verify.js')).verifyCommand(opts));

  program
    .command('quotes')
    .description('take one live quote snapshot of every symbol (one request)')
    .action(async () => (await import('./cli/commands/ingest.js')).quotesCommand());

  program
    .command('report')
    .description('write the daily report (Markdown, HTML with charts, JSON) and store it in the reports table')
    .option('--date <date>', 'as of this date: only data on or before it is used (default: latest stored)', isoDateArg)
    .option('--out <dir>', 'output directory (default: $BUBBLEWATCH_DATA_DIR/reports)')
    .option('--format <list>', 'md,html,json', listArg(['md', 'html', 'json'] as const))
    .addOption(new Option('--lang <lang>', 'language of labels and verdicts').choices(['en', 'zh-Hant']))
    .action(async (opts) => (await import('./cli/commands/report.js')).reportCommand(opts));

  program
    .command('sql')
    .description('run SQL on the stored history (read-only unless --write)')
    .argument('[query]', 'one SQL statement')
    .option('--file <file>', 'read the statement from a file, e.g. sql/queries/drawdown-now.sql')
    .option('--param <name=value>', 'bind a parameter (:name in the query); repeatable', paramArg)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--write', 'allow the statement to change data')
    .action(async (query, opts) => (await import('./cli/commands/sql.js')).sqlCommand(query, opts));

  program
    .command('status')
    .description('show the database, what is stored per symbol and the latest runs')
    .option('--json', 'machine-readable output')
    .action(async (opts) => (await import('./cli/commands/database.js')).statusCommand(opts));

  program
    .command('migrate')
    .description('create or upgrade the database schema (other commands do this too)')
    .action(async () => (await import('./cli/commands/database.js')).migrateCommand());

  program
    .command('import')
    .description('load Yahoo-format CSV files (Date,Open,High,Low,Close,Adj Close,Volume) into daily_bars')
    .argument('<files...>', 'CSV files; the symbol is the file name (ORCL.csv, ^GSPC.csv) unless --symbol')
    .option('--symbol <symbol>', 'store the rows under this symbol')
    .action(async (files, opts) => (await import('./cli/commands/import.js')).importCommand(files, opts));

  program
    .command('sim')
    .description('serve a simulated Yahoo feed on loopback (synthetic data or CSV replay, optional faults)')
    .option('--data <dir>', 'replay Yahoo-format CSVs from this folder instead of synthetic data')
    .option('--now <date>', 'serve data up to this date', isoDateArg)
    .option('--faults <rate>', 'fraction of requests that fail (429, 5xx, resets, hangs, truncated JSON)', rateArg, 0)
    .option('--seed <n>', 'random seed for data and faults', (v) => Number.parseInt(v, 10), 1)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', portArg, 9465)
    .action(async (opts) => (await import('./cli/commands/sim.js')).simCommand(opts));

  program
    .command('demo')
    .description('offline showcase: simulated feed + daemon with compressed schedules, then a report')
    .option('--keep', 'keep serving after the report is written')
    .action(async (opts) => (await import('./cli/commands/demo.js')).demoCommand(opts));

  const alertsCommand = program
    .command('alerts')
    .description('list the latest alerts (drawdown levels, new highs, verdict changes, stale data, failed syncs) and their deliveries')
    .option('--limit <n>', 'how many', positiveIntArg, 20)
    .option('--json', 'machine-readable output')
    .action(async (opts) => (await import('./cli/commands/alerts.js')).alertsCommand(opts));
  alertsCommand
    .command('test')
    .description('send a test message to every alert channel and report each result')
    .action(async () => (await import('./cli/commands/alerts.js')).alertsTestCommand());

  const dbCommand = program.command('db').description('the embedded database server and database tools');
  const dbServer = async () => import('./cli/commands/db-server.js');
  dbCommand
    .command('url')
    .description('print the libpq URI of the running embedded database server: psql "$(bubblewatch db url)"')
    .option('--tcp', "the loopback TCP address with the data dir's password (the server must listen on TCP)")
    .action(async (opts) => (await dbServer()).urlCommand(opts));
  dbCommand
    .command('start')
    .description('start the embedded database server and keep it running (until db stop)')
    .option('--port <port>', 'also listen on this loopback port, with a password (0 = any free port)', portArg)
    .action(async (opts) => (await dbServer()).startCommand(opts));
  dbCommand
    .command('stop')
    .description('stop the embedded database server (now, or when the last bubblewatch process using it ends)')
    .action(async () => (await dbServer()).stopCommand());
  dbCommand
    .command('serve')
    .description('serve the embedded database on a loopback port for psql and other Postgres clients, until Ctrl-C')
    .option('--port <port>', 'port (0 = any free port)', portArg, 5433)
    .action(async (opts) => (await dbServer()).serveCommand(opts));
  dbCommand
    .command('upgrade')
    .description('move a database of an earlier bubblewatch (PGlite) into the embedded PostgreSQL server, every row kept')
    .action(async () => (await import('./cli/commands/db-upgrade.js')).upgradeCommand());

  dbCommand
    .command('rebuild-state')
    .description("recompute every symbol's drawdown state from its bars (after writing daily_bars by hand)")
    .action(async () => (await import('./cli/commands/database.js')).rebuildStateCommand());

  for (const command of [program, ...program.commands, ...dbCommand.commands, ...alertsCommand.commands]) command.exitOverride();
  return program;
}

/** Errors the user can act on are one clear message and exit 2; anything else is exit 1. */
async function report(err: unknown): Promise<number> {
  const e = err as Error;
  // Loaded here, on the error path only: pino stays out of quick commands.
  const { redactUrl } = await import('./log.js');
  // The level is read whatever else is wrong with the environment: an env problem is what is being printed.
  const { envLogLevel } = await import('./config/load.js');
  const usage = ['UsageError', 'ConfigError', 'LockHeldError', 'MigrationError', 'NeedsUpgradeError', 'ServerInUseError', 'PortInUseError', 'EmbeddedSetupError'].includes(e?.name);
  // Messages can quote what the user gave (a YAHOO_BASE_URL, a connection string): mask passwords in
  // URLs here too, as the logger does.
  process.stderr.write(`bubblewatch: ${redactUrl(e?.message ?? String(err))}\n`);
  if (!usage && envLogLevel() === 'debug' && e?.stack) process.stderr.write(`${redactUrl(e.stack)}\n`);
  return usage ? EXIT_USAGE : 1;
}

/**
 * `bubblewatch sql ... | head -1`: the reader closes the pipe early, and the next write fails with
 * EPIPE, emitted on process.stdout where nobody listens, which crashes the process with a stack trace.
 * What was asked for has been printed; drop the rest quietly and let the command finish (closing the
 * database properly) with its own exit code.
 */
function ignoreClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    throw err;
  });
}

export async function main(argv = process.argv): Promise<void> {
  ignoreClosedStdout();
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every parse problem is bad usage.
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    process.exitCode = await report(err);
  }
}

await main();
