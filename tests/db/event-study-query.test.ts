// sql/queries/event-study.sql is the report's claim-3 method written in SQL, so a reader can redo the
// report's event study on their own data. It is checked against the report's own implementation
// (src/analysis/math/market-model.ts: two-pass OLS in TypeScript), which Postgres's regr_* aggregates
// compute independently, on a generated history with a known beta and a planted event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marketModelEventStudy } from '../../src/analysis/math/market-model.js';
import type { ClosePoint } from '../../src/domain.js';
import { addDays } from '../../src/market/iso-date.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { insertCloses, runLibraryQuery, weekdaysFrom } from './queries-fixture.js';

const SESSIONS = 160;
const DATES = weekdaysFrom('2025-01-01', SESSIONS);
// Day 0 is the first Monday from session 140 on, so sessions -130..-11 and -1..+5 all exist; the event
// is dated the Saturday before it, which is no session.
const EVENT_INDEX = DATES.findIndex((d, i) => i >= 140 && new Date(`${d}T00:00:00Z`).getUTCDay() === 1);
const EVENT_DATE = addDays(DATES[EVENT_INDEX]!, -2);

/** A seeded stock that moves with its benchmark (beta 1.3) plus noise, and a jump on day 0. */
function history(jump: number): { stock: ClosePoint[]; market: ClosePoint[] } {
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.02;
  const stock: ClosePoint[] = [{ date: DATES[0]!, close: 100 }];
  const market: ClosePoint[] = [{ date: DATES[0]!, close: 1000 }];
  for (let i = 1; i < SESSIONS; i++) {
    const m = noise();
    const r = 0.0004 + 1.3 * m + noise() / 2 + (i === EVENT_INDEX ? jump : 0);
    market.push({ date: DATES[i]!, close: market[i - 1]!.close * (1 + m) });
    stock.push({ date: DATES[i]!, close: stock[i - 1]!.close * (1 + r) });
  }
  return { stock, market };
}

describe('event-study.sql', () => {
  let db: TestDb;
  const up = history(0.12);
  const quiet = history(0);

  beforeAll(async () => {
    db = await createTestDb();
    await insertCloses(db, 'EVT', up.stock.map((p) => [p.date, p.close] as const));
    await insertCloses(db, 'QUIET', quiet.stock.map((p) => [p.date, p.close] as const));
    await insertCloses(db, '^BENCH', up.market.map((p) => [p.date, p.close] as const));
    // A benchmark with one close missing inside the estimation window.
    await insertCloses(db, '^GAPPY', up.market.filter((_, i) => i !== 60).map((p) => [p.date, p.close] as const));
  });
  afterAll(() => db?.drop());

  const study = (symbol: string, benchmark: string, eventDate: string) =>
    runLibraryQuery(db, 'event-study.sql', { symbol, benchmark, event_date: eventDate });

  it.each([
    ['EVT', up, 'rallied'],
    ['QUIET', quiet, 'muted'],
  ] as const)('%s: alpha, beta, s, CAR and t equal the report implementation', async (symbol, series, reaction) => {
    const expected = marketModelEventStudy(series.stock, up.market, EVENT_DATE, DATES.at(-1)!);
    expect(expected.state).toBe('measured');
    if (expected.state !== 'measured') return;
    expect(expected.reaction).toBe(reaction);
    const [row] = await study(symbol, '^BENCH', EVENT_DATE);
    const s = expected.study;
    expect(row).toEqual({
      symbol,
      event_date: EVENT_DATE,
      day0: DATES[EVENT_INDEX],
      estimation_from: s.estimationFrom,
      estimation_to: s.estimationTo,
      alpha: expect.closeTo(s.alpha, 12),
      beta: expect.closeTo(s.beta, 10),
      residual_sd: expect.closeTo(s.residualSd, 12),
      window_from: s.windowFrom,
      window_to: s.windowTo,
      car: expect.closeTo(s.car, 10),
      t: expect.closeTo(s.t, 8),
      reaction,
    });
    expect(s.beta).toBeGreaterThan(1.1);
  });

  it('is pending until session +5 is stored, and shows no partial figures', async () => {
    const [row] = await study('EVT', '^BENCH', DATES[SESSIONS - 3]!);
    expect(row).toMatchObject({ reaction: 'pending', car: null, t: null, alpha: null });
  });

  it('says why it cannot measure: too short a history, or a benchmark gap', async () => {
    expect((await study('EVT', '^BENCH', DATES[100]!))[0]).toMatchObject({ reaction: 'insufficient: short history', t: null });
    expect((await study('EVT', '^GAPPY', EVENT_DATE))[0]).toMatchObject({ reaction: 'insufficient: benchmark gap', t: null });
    expect(marketModelEventStudy(up.stock, up.market.filter((_, i) => i !== 60), EVENT_DATE, DATES.at(-1)!)).toEqual({
      state: 'insufficient',
      reason: 'benchmark_gap',
    });
  });
});
