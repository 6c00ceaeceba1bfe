// `npm run bench`: the performance benchmark (issue "Fast at any size"). Not part of `npm test`.
// Runs every section on PGlite and, when DATABASE_URL is set, on Postgres (in a scratch schema that is
// dropped afterwards), prints a table, writes bench/results.json and the figures section of
// docs/PERFORMANCE.md. Every speed figure that has a goal is compared with a baseline measured in
// the same run: the machines are small and shared, and absolute numbers move from run to run.
//
//   npm run bench                      full sizes (about 10-15 minutes on 2 cores)
//   npm run bench -- --quick           small sizes, two minutes or so (bench/out/results-quick.json)
//   npm run bench -- --targets postgres --sections write,sql
//
// Sizes can be changed through the environment: BENCH_WRITE_SYMBOLS, BENCH_WRITE_SESSIONS,
// BENCH_REPEATS, BENCH_NAIVE_ROWS, BENCH_INCREMENTAL_SIZES (e.g. 10,100,1000), BENCH_HISTORY_SYMBOLS,
// BENCH_HISTORY_SYMBOLS_PGLITE, BENCH_HISTORY_SESSIONS,
// BENCH_HISTORY_LONGER_SESSIONS (the flat-cost check; 0 skips it), BENCH_QUERY_RUNS, BENCH_DAEMON_IDLE_SECONDS,
// BENCH_CLI_RUNS.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createLogger } from '../log.js';
import { createYahooClient } from '../providers/yahoo/client.js';
import { DEFAULT_UNIVERSE } from '../sim/universe.js';
import { startSimServer } from '../sim/server.js';
import { PROJECT_ROOT } from './child.js';
import { benchDaemon } from './daemon.js';
import { benchHistory, benchSmallReport } from './history.js';
import { DAY_BEFORE, benchIncremental } from './incremental.js';
import { round } from './measure.js';
import {
  figuresMarkdown,
  figuresTable,
  goalsOf,
  goalsTable,
  type BenchResults,
  type Machine,
  type TargetResults,
} from './report-figures.js';
import { simSpecs, syntheticSymbols } from './synthetic.js';
import { createScratch, serverVersion, type TargetName } from './targets.js';
import { benchWritePath } from './write-path.js';

const SECTIONS = ['write', 'incremental', 'report', 'sql', 'daemon'] as const;
type Section = (typeof SECTIONS)[number];

const DOC = join(PROJECT_ROOT, 'docs/PERFORMANCE.md');
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
      docs: { type: 'boolean' },
      'no-docs': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run bench -- [--quick] [--targets pglite,postgres] [--sections write,incremental,report,sql,daemon]\n' +
        '                        [--out FILE] [--no-docs | --docs]\n' +
        'Postgres runs when DATABASE_URL is set (a scratch schema is created in that database and dropped).\n',
    );
    process.exit(0);
  }
  const quick = values.quick;
  const databaseUrl = process.env.DATABASE_URL?.trim() || null;
  const targets = (values.targets ?? (databaseUrl ? 'pglite,postgres' : 'pglite')).split(',') as TargetName[];
  for (const t of targets) {
    if (t !== 'pglite' && t !== 'postgres') throw new RangeError(`unknown target ${t}`);
    if (t === 'postgres' && !databaseUrl) throw new RangeError('the postgres target needs DATABASE_URL');
  }
  const sections = (values.sections ?? SECTIONS.join(',')).split(',') as Section[];
  for (const s of sections) if (!SECTIONS.includes(s)) throw new RangeError(`unknown section ${s} (${SECTIONS.join(', ')})`);
  return {
    quick,
    databaseUrl,
    targets,
    sections,
    out: values.out ?? join(PROJECT_ROOT, quick ? 'bench/out/results-quick.json' : 'bench/results.json'),
    // A quick run does not overwrite the published figures unless asked to.
    docs: values['no-docs'] ? false : (values.docs ?? !quick),
    sizes: {
      writeSymbols: envInt('BENCH_WRITE_SYMBOLS', quick ? 10 : 40),
      writeSessions: envInt('BENCH_WRITE_SESSIONS', quick ? 2000 : 5000),
      repeats: envInt('BENCH_REPEATS', quick ? 1 : 3),
      naiveRows: envInt('BENCH_NAIVE_ROWS', quick ? 500 : 2000),
      incremental: envList('BENCH_INCREMENTAL_SIZES', quick ? [10, 100] : [10, 100, 1000]),
      historySymbols: envInt('BENCH_HISTORY_SYMBOLS', quick ? 50 : 1000),
      historySymbolsPglite: envInt('BENCH_HISTORY_SYMBOLS_PGLITE', quick ? 20 : 1000),
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
  let postgres: string | null = null;
  if (databaseUrl && targets.includes('postgres')) {
    const s = await createScratch('postgres', databaseUrl);
    try {
      postgres = (await serverVersion(s.handle)).split(' on ')[0] ?? null;
    } finally {
      await s.drop();
    }
  }
  const pglitePkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? '?',
    memoryGb: round(totalmem() / 2 ** 30, 1),
    loadAverage: loadavg(),
    os: `${osType()} ${release()}`,
    node: process.versions.node,
    postgres,
    pglite: `${pglitePkg.version} (PostgreSQL 17.5 inside)`,
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
  const m = await machine(opts.databaseUrl, opts.targets);
  say(`bench: ${m.nproc} cores, ${m.memoryGb} GB (${round(freemem() / 2 ** 30, 1)} free), Node ${m.node}, ${m.postgres ?? 'no Postgres'}; targets ${opts.targets.join(', ')}`);

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
    options: { ...opts.sizes, targets: opts.targets, sections: opts.sections },
    targets: {},
    goals: [],
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
        const symbols = target === 'pglite' ? opts.sizes.historySymbolsPglite : opts.sizes.historySymbols;
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
      results.goals.push(...goalsOf(target, r));
    }
  } finally {
    await sim.close();
  }
  results.durationSeconds = Math.round((performance.now() - t0) / 1000);

  process.stdout.write(`\n${figuresTable(results, false)}\n\n${goalsTable(results, false)}\n`);
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
