// A quote is judged once: the daemon stores quote snapshots from the simulated Yahoo (its scheduler's
// quotes tick in session; its own quotes job after the close, before the sync) and the live page's
// provisional verdicts are the alerts' (alert_state's provisional verdict per claim, and the
// verdict_change alerts that fired). The snapshots are made so that the rule matters: the session of
// Monday 2026-01-05 has no bar stored, ORCL and CRWV fall through it, and after the close Yahoo says
// CLOSED, not REGULAR: a page or an alerts side with a rule of its own (the market state, the clock)
// would part from the other here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon/daemon.js';
import type { DaemonJobs } from '../../src/daemon/jobs.js';
import type { DbHandle } from '../../src/db/connect.js';
import type { Schedules } from '../../src/daemon/cron.js';
import { createLogger } from '../../src/log.js';
import type { SimServer } from '../../src/sim/server.js';
import { daemonTestConfig, guardNetwork, startTestSim, TEST_NOW } from '../helpers/sim-harness.js';
import { startInProcessDaemon, type InProcessDaemon } from './in-process-daemon.js';

guardNetwork();

/** Friday 2026-01-02 after the close: the daemon starts, syncs through it and reports. */
const FRIDAY_EVENING = new Date('2026-01-02T22:00:00Z');
const MONDAY = '2026-01-05';
/** 09:35 New York: the session is trading, prices still near the open. */
const MONDAY_MORNING = new Date('2026-01-05T14:35:00Z');
/** 16:30 New York: closed, not synced yet. */
const MONDAY_AFTER_CLOSE = new Date('2026-01-05T21:30:00Z');
/** No cron tick during the test (midnight of New Year's Day, exchange time): the test drives the daemon. */
const NEVER = '0 0 1 1 *';
const SCHEDULES: Schedules = { quotes: NEVER, sync: NEVER, revision: NEVER, report: NEVER, retry: NEVER, verify: null };


describe('a quote judged once: the live page and the alerts agree', () => {
  let sim: SimServer;
  let running: InProcessDaemon;
  let handle: DbHandle;
  let daemon: Daemon;
  let jobs: DaemonJobs;
  let dataDir: string;
  let now = FRIDAY_EVENING;
  const clock = () => now;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bw-agreement-'));
    sim = await startTestSim({ intradayClock: clock });
    // From before 2008, so the drawdown claim's cohort reading has its reference window.
    const config = daemonTestConfig(sim.url, dataDir, '2006-06-01');
    const log = createLogger({ level: 'warn', destination: { write: () => {} } });
    // Its jobs are kept, to run the quotes job after the close (the scheduler takes quotes in session only).
    running = await startInProcessDaemon({ config, log, clock, schedules: SCHEDULES, defaultMetrics: false });
    ({ daemon, handle, jobs } = running);
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * The page's verdicts and the alerts' provisional ones, per claim. The page catches up with a
   * stored change on its notice, a moment later (the startup's sync and report among them), so it is
   * read after a refresh of its own: both sides then judge the same stored rows.
   */
  async function bothSides() {
    await daemon.live.judgement();
    const page = daemon.live.current().snapshot;
    const rows = await handle.db.selectFrom('alert_state').select(['key', 'state']).where('key', 'like', 'verdict:%').execute();
    const alerts = new Map(rows.map((r) => [r.key.slice('verdict:'.length), r.state as { confirmed: string | null; provisional: string | null; at: string }]));
    return { page, alerts };
  }

  async function verdictChanges() {
    const rows = await handle.db.selectFrom('alerts').select(['claim_id', 'status', 'payload']).where('rule', '=', 'verdict_change').orderBy('id').execute();
    return rows.map((r) => `${r.claim_id} ${r.status} ${String(r.payload.from)} -> ${String(r.payload.to)}`);
  }

  it('starts from the stored closes: the verdicts the close confirmed, no quote standing as a close', async () => {
    expect(daemon.scheduler.state).toMatchObject({ syncedSession: TEST_NOW });
    const { page, alerts } = await bothSides();
    expect(page.claims.length).toBeGreaterThan(0);
    expect(page.claims.every((c) => !c.provisional)).toBe(true);
    for (const c of page.claims) expect(alerts.get(c.id), c.id).toMatchObject({ confirmed: c.verdict });
  });

  it('in session (the scheduler’s quotes tick), the quotes of a session with no bar give both the same provisional verdicts', async () => {
    now = MONDAY_MORNING;
    sim.setNow(MONDAY);
    // ORCL and CRWV open Monday at Friday's close and fall through the session to 30 % of it.
    for (const symbol of ['ORCL', 'CRWV']) {
      const friday = sim.groundTruth(symbol)!.bars.find((b) => b.tradeDate === TEST_NOW)!.close!;
      sim.revise({ symbol, date: MONDAY, open: friday, high: friday, low: friday * 0.3, close: friday * 0.3 });
    }
    expect((await daemon.scheduler.tick('quotes')).ran.map((r) => r.job)).toEqual(['quotes']);
    const { page, alerts } = await bothSides();
    for (const c of page.claims) expect(alerts.get(c.id)?.provisional, c.id).toBe(c.verdict);
    const orcl = page.symbols.find((s) => s.symbol === 'ORCL')!;
    expect(orcl).toMatchObject({ kind: 'quote', date: MONDAY, marketState: 'REGULAR' });
    expect(page.claims.some((c) => c.provisional)).toBe(true);
  });

  it('after the close, before the sync, a CLOSED quote still stands as the session’s close: both judge it, the same', async () => {
    now = MONDAY_AFTER_CLOSE;
    const before = await verdictChanges();
    const outcome = await jobs.quotes({ signal: new AbortController().signal });
    expect(outcome).toMatchObject({ status: 'ok' });
    const { page, alerts } = await bothSides();
    for (const c of page.claims) expect(alerts.get(c.id)?.provisional, c.id).toBe(c.verdict);
    const orcl = page.symbols.find((s) => s.symbol === 'ORCL')!;
    expect(orcl).toMatchObject({ kind: 'quote', date: MONDAY, marketState: 'CLOSED' });
    const drawdownClaim = page.claims.find((c) => c.kind === 'drawdown_vs_reference')!;
    expect(drawdownClaim.provisional).toBe(true);
    // The close's quotes moved the drawdown claim on both sides: the alert says where the page stands.
    const changes = (await verdictChanges()).slice(before.length);
    expect(changes.filter((c) => c.startsWith(`${drawdownClaim.id} provisional`)).at(-1)).toMatch(new RegExp(`-> ${drawdownClaim.verdict}$`));
    expect(alerts.get(drawdownClaim.id)!.provisional).not.toBe(alerts.get(drawdownClaim.id)!.confirmed);
  });
});
