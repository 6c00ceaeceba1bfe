// 1. Backfill write path: rows/s of upsertDailyBars (what the ingest runs, one transaction per symbol)
// against COPY of the same rows into the same empty table (the practical limit: same indexes, checks
// and foreign key, no per-row statement), and against row-at-a-time INSERT ... ON CONFLICT in
// autocommit (what a naive tracker does). Baseline and subject alternate, repeats times each.
import type { Kysely } from 'kysely';
import type { RawSession } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { storeBars } from '../db/store.js';
import type { DailyBar } from '../domain.js';
import { median, timed } from './measure.js';
import { copyFromStdin } from './pg-copy.js';
import { DAILY_BAR_COLUMNS, copyText, syntheticBars, syntheticSymbols } from './synthetic.js';
import { createScratch, type TargetName } from './targets.js';

export interface WritePathOptions {
  symbols: number;
  sessions: number;
  naiveRows: number;
  repeats: number;
}

export interface Rate {
  rows: number;
  samplesMs: number[];
  /** rows / median time. */
  rowsPerSec: number;
}

export interface WritePathResult {
  rows: number;
  symbols: number;
  baseline: string;
  copy: Rate;
  upsert: Rate;
  /** The same rows upserted again: all unchanged (the overlap a daily sync re-reads). */
  upsertUnchanged: Rate;
  naive: Rate;
  /** Median over the repeats of (upsert rate / COPY rate), each pair measured back to back. */
  upsertVsCopy: number;
  upsertVsNaive: number;
  goal: { upsertVsCopy: number; met: boolean };
}

interface WriteOps {
  db: Kysely<Database>;
  session<T>(fn: (s: RawSession) => Promise<T>): Promise<T>;
  copy(chunks: readonly Buffer[]): Promise<number>;
  close(): Promise<void>;
}

const SOURCE = 'sim';

/** A fresh database of the target, and a dedicated pg client on it for the COPY baseline. */
async function writeOps(target: TargetName, baseUrl: string | null): Promise<WriteOps> {
  const scratch = await createScratch(target, baseUrl);
  const client = scratch.handle.dedicatedClient('bench copy');
  try {
    await client.connect();
  } catch (err) {
    await scratch.drop();
    throw err;
  }
  return {
    db: scratch.handle.db,
    session: (fn) => scratch.handle.withSession(fn),
    copy: (chunks) => copyFromStdin(client, `copy daily_bars (${DAILY_BAR_COLUMNS}) from stdin`, chunks),
    async close() {
      await client.end();
      await scratch.drop();
    },
  };
}

function rate(rows: number, samplesMs: number[]): Rate {
  return { rows, samplesMs: samplesMs.map((v) => Math.round(v)), rowsPerSec: Math.round(rows / (median(samplesMs) / 1000)) };
}

function bySymbol(bars: readonly DailyBar[]): DailyBar[][] {
  const groups = new Map<string, DailyBar[]>();
  for (const b of bars) {
    let g = groups.get(b.symbol);
    if (!g) groups.set(b.symbol, (g = []));
    g.push(b);
  }
  return [...groups.values()];
}

async function countBars(ops: WriteOps): Promise<number> {
  const r = await ops.session((s) => s.query('select count(*)::int as n from daily_bars'));
  return Number(r.rows[0]?.n);
}

/** What the ingest does per symbol: one transaction around upsertDailyBars (the storeBars unit). */
async function upsertAll(ops: WriteOps, groups: readonly DailyBar[][], fetchedAt: Date): Promise<void> {
  for (const group of groups) {
    await storeBars(ops.db, group, SOURCE, fetchedAt);
  }
}

export async function benchWritePath(target: TargetName, baseUrl: string | null, opts: WritePathOptions, say: (msg: string) => void): Promise<WritePathResult> {
  const symbols = syntheticSymbols('B', opts.symbols);
  const bars = syntheticBars(symbols, opts.sessions);
  const groups = bySymbol(bars);
  const fetchedAt = new Date();
  const chunks = copyText(bars, SOURCE, fetchedAt);
  const ops = await writeOps(target, baseUrl);
  try {
    await ops.session((s) =>
      s.query(`insert into symbols (symbol) select unnest($1::text[])`, [symbols]),
    );
    // The drawdown states go with the bars: states left from the last repeat would make every store
    // of this one a rewrite of a stored history (a full rebuild), not the backfill measured here.
    const truncate = () => ops.session((s) => s.exec('truncate daily_bars, symbol_state'));
    const copyMs: number[] = [];
    const upsertMs: number[] = [];
    const unchangedMs: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < opts.repeats; i++) {
      await truncate();
      const copied = await timed(() => ops.copy(chunks));
      if (copied.value !== bars.length) throw new Error(`COPY stored ${copied.value} rows, expected ${bars.length}`);
      copyMs.push(copied.ms);
      await truncate();
      const upserted = await timed(() => upsertAll(ops, groups, fetchedAt));
      upsertMs.push(upserted.ms);
      if ((await countBars(ops)) !== bars.length) throw new Error('upsert did not store every row');
      unchangedMs.push((await timed(() => upsertAll(ops, groups, fetchedAt))).ms);
      ratios.push(copied.ms / upserted.ms);
      say(`  write path ${i + 1}/${opts.repeats}: COPY ${Math.round(copied.ms)} ms, upsert ${Math.round(upserted.ms)} ms, unchanged ${Math.round(unchangedMs.at(-1)!)} ms`);
    }

    // Row at a time, autocommit: each row is its own statement and its own commit.
    await truncate();
    const sample = bars.slice(0, opts.naiveRows);
    const at = fetchedAt.toISOString();
    const naive = await timed(() =>
      ops.session(async (s) => {
        for (const b of sample) {
          await s.query(
            `insert into daily_bars (${DAILY_BAR_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             on conflict (symbol, trade_date) do update
                set open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                    adj_close = excluded.adj_close, volume = excluded.volume, fetched_at = excluded.fetched_at`,
            [b.symbol, b.tradeDate, b.open, b.high, b.low, b.close, b.adjClose, b.volume, '{}', SOURCE, at],
          );
        }
      }),
    );
    say(`  write path naive: ${sample.length} rows in ${Math.round(naive.ms)} ms`);

    const upsert = rate(bars.length, upsertMs);
    const naiveRate = rate(sample.length, [naive.ms]);
    const upsertVsCopy = median(ratios);
    // Issue 15 asked 0.9 of COPY on Postgres; the embedded database is PostgreSQL too now (PGlite had 0.5).
    const goalVsCopy = 0.9;
    return {
      rows: bars.length,
      symbols: symbols.length,
      baseline: 'COPY daily_bars FROM STDIN (text format, one statement) into the same empty table',
      copy: rate(bars.length, copyMs),
      upsert,
      upsertUnchanged: rate(bars.length, unchangedMs),
      naive: naiveRate,
      upsertVsCopy,
      upsertVsNaive: upsert.rowsPerSec / naiveRate.rowsPerSec,
      goal: { upsertVsCopy: goalVsCopy, met: upsertVsCopy >= goalVsCopy },
    };
  } finally {
    await ops.close();
  }
}
