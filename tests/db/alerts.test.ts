// Alerts in the database and their delivery to a local webhook receiver on loopback:
// evaluation stores state and alerts once (also when two writers race), deliveries are signed, retried
// after a 500, picked up again by a new sender (a restart), and a dead endpoint costs one bounded attempt.
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverOnce, deliverPending, startDeliveryLoop } from '../../src/alerts/deliver.js';
import { alertsAfterQuotes, alertsAfterSync } from '../../src/alerts/evaluate.js';
import { parseConfig, type Config } from '../../src/config/load.js';
import { recentAlerts } from '../../src/db/alerts.js';
import { storeImport, storeQuoteSnapshot } from '../../src/db/store.js';
import type { QuoteSnapshot } from '../../src/domain.js';
import { createLogger } from '../../src/log.js';
import { flatBar } from '../helpers/bars.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'test-secret-do-not-log';

function configFor(url: string, alerts: Record<string, unknown> = {}): Config {
  const file = { watchlist: [{ symbol: 'ORCL' }], alerts: { retryDelayMs: 0, timeoutMs: 400, maxAttempts: 3, pollMs: 50, ...alerts } };
  return parseConfig(JSON.stringify(file), { BUBBLEWATCH_ALERT_WEBHOOK_URL: url, BUBBLEWATCH_ALERT_WEBHOOK_SECRET: SECRET });
}

/** A logger whose lines are kept, to check that no secret is ever written. */
function memoryLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination, pretty: false }), lines };
}

describe('alerts', () => {
  let db: TestDb;
  let receiver: WebhookReceiver;
  let logged: ReturnType<typeof memoryLogger>;
  let now: Date;
  const clock = () => now;
  const deps = (config: Config) => ({ handle: db, config, log: logged.log, clock });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  beforeEach(async () => {
    db = await createTestDb();
    logged = memoryLogger();
    receiver.requests.length = 0;
    receiver.script([]);
    // The day after the high: no bar of these tests is ever stale, so only the rules under test fire.
    now = new Date('2025-09-11T00:00:00Z');
  });
  afterEach(async () => {
    await db.drop();
  });

  /** ORCL's history up to a high of 100, evaluated once (a backfill: records state only). */
  async function backfilled(config: Config) {
    await storeImport(db.db, 'ORCL', [[flatBar('ORCL', '2025-09-09', 95), flatBar('ORCL', '2025-09-10', 100)]], now);
    expect(await alertsAfterSync(deps(config), null)).toEqual([]);
  }

  async function fallTo(price: number, date = '2025-12-31') {
    await storeImport(db.db, 'ORCL', [[flatBar('ORCL', date, price)]], now);
  }

  /** A quote snapshot stored, then evaluated, as `quotes` does. */
  async function quoted(config: Config, quotes: QuoteSnapshot[]) {
    await storeQuoteSnapshot(db.db, quotes, 'yahoo', now);
    return alertsAfterQuotes(deps(config), quotes);
  }

  it('a first evaluation stores state only; a fall then stores one alert per level, queued for each channel', async () => {
    const config = configFor(receiver.url);
    await storeImport(db.db, 'ORCL', [[flatBar('ORCL', '2025-09-10', 100), flatBar('ORCL', '2025-12-30', 75)]], now);
    expect(await alertsAfterSync(deps(config), null)).toEqual([]);
    await fallTo(59);
    const fired = await alertsAfterSync(deps(config), null);
    expect(fired.map((a) => a.payload.level)).toEqual([-0.3, -0.4]);
    expect(await alertsAfterSync(deps(config), null)).toEqual([]); // a re-run: nothing new
    const listed = await recentAlerts(db.db, 10);
    expect(listed).toHaveLength(2);
    expect(listed[0]!.deliveries).toEqual([expect.objectContaining({ channel: 'webhook', status: 'pending', attempts: 0 })]);
  });

  it('two writers evaluating the same change at once store it once', async () => {
    const config = configFor(receiver.url);
    await backfilled(config);
    await fallTo(85);
    const [a, b] = await Promise.all([alertsAfterSync(deps(config), null), alertsAfterSync(deps(config), null)]);
    expect(a.length + b.length).toBe(1);
    expect(await recentAlerts(db.db, 10)).toHaveLength(1);
  });

  it('delivers once, signed with HMAC-SHA256 of the raw body; the secret and the webhook path are never logged', async () => {
    const config = configFor(receiver.url);
    await backfilled(config);
    await fallTo(85);
    const fired = await alertsAfterSync(deps(config), null);
    expect(await deliverOnce(deps(config), fired)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    const expected = `sha256=${createHmac('sha256', SECRET).update(req.body).digest('hex')}`;
    expect(req.headers['x-bubblewatch-signature']).toBe(expected);
    expect(verifySignature(req.body, req.headers['x-bubblewatch-signature'], 'another secret')).toBe(false);
    expect(JSON.parse(req.body)).toMatchObject({ type: 'bubblewatch.alert', rule: 'drawdown_level', symbol: 'ORCL', status: 'confirmed', payload: { level: -0.1, direction: 'down' } });
    // Delivered: another pass sends nothing more.
    expect(await deliverPending(deps(config))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect((await recentAlerts(db.db, 1))[0]!.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    const text = logged.lines.join('');
    expect(text).toContain('alert delivered');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('s3cr3t-path');
  });

  it('retries after a 500 and delivers the same body', async () => {
    const config = configFor(receiver.url);
    receiver.script([500]);
    await backfilled(config);
    await fallTo(85);
    const fired = await alertsAfterSync(deps(config), null);
    expect(await deliverOnce(deps(config), fired)).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect((await recentAlerts(db.db, 1))[0]!.deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect(await deliverPending(deps(config))).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.requests.map((r) => r.body)).toEqual([receiver.requests[0]!.body, receiver.requests[0]!.body]);
  });

  it('backs off between retries and gives up after alerts.maxAttempts', async () => {
    const config = configFor(receiver.url, { retryDelayMs: 60_000, maxAttempts: 2 });
    receiver.script([], 503);
    await backfilled(config);
    await fallTo(85);
    await deliverOnce(deps(config), await alertsAfterSync(deps(config), null));
    expect(await deliverPending(deps(config))).toEqual({ delivered: 0, retrying: 0, failed: 0 }); // not due yet
    now = new Date(now.getTime() + 60_000);
    expect(await deliverPending(deps(config))).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    expect((await recentAlerts(db.db, 1))[0]!.deliveries[0]).toMatchObject({ status: 'failed', attempts: 2, lastError: 'HTTP 503' });
  });

  it('a dead endpoint costs one bounded attempt and leaves the alert pending; a new sender (a restart) delivers it', async () => {
    // An endpoint that accepts the request and never answers: the attempt ends at alerts.timeoutMs.
    const dead = configFor(receiver.url);
    receiver.script(['hang']);
    await backfilled(dead);
    await fallTo(85);
    const fired = await alertsAfterSync(deps(dead), null);
    expect(await deliverOnce(deps(dead), fired)).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect((await recentAlerts(db.db, 1))[0]!.deliveries[0]).toMatchObject({ status: 'pending', lastError: 'timed out after 400 ms' });
    // More data arrives and is evaluated while the endpoint is still dead.
    await fallTo(75, '2026-01-02');
    expect((await alertsAfterSync(deps(dead), null)).map((a) => a.payload.level)).toEqual([-0.2]);

    // The daemon starting later: its loop sends everything pending, from the database alone.
    const loop = startDeliveryLoop(deps(configFor(receiver.url)));
    try {
      const got = await receiver.waitFor(3);
      expect(got.slice(1).map((r) => (JSON.parse(r.body) as { payload: { level: number } }).payload.level).sort((x, y) => x - y)).toEqual([-0.2, -0.1]);
    } finally {
      await loop.stop();
    }
    expect((await recentAlerts(db.db, 10)).map((a) => a.deliveries[0]!.status)).toEqual(['delivered', 'delivered']);
  });

  it('a quote below a level fires a provisional alert; the close after it does not fire again', async () => {
    const config = configFor(receiver.url);
    await backfilled(config);
    const quote = { symbol: 'ORCL', ts: new Date('2025-12-31T15:00:00Z'), price: 88, marketCap: null, volume: null, marketState: 'REGULAR', currency: 'USD' };
    const fired = await quoted(config, [quote]);
    expect(fired.map((a) => [a.rule, a.status, a.payload.level])).toEqual([['drawdown_level', 'provisional', -0.1]]);
    await fallTo(87);
    expect(await alertsAfterSync(deps(config), null)).toEqual([]);
  });

  it('a claim verdict change: provisional from quotes of a session with no close stored, confirmed at the close, and no quote after it', async () => {
    const config = configFor(receiver.url);
    // Claim 1's verdict follows its cohort reading: the watchlist stocks' deepest falls inside the 2008
    // window (2007-01-01 .. 2009-12-31), here -80 % each, so a fall of 40 % is half as deep.
    for (const symbol of ['ORCL', 'INTC', 'QCOM']) {
      const old = [flatBar(symbol, '2007-01-03', 100), flatBar(symbol, '2008-11-20', 20), flatBar(symbol, '2009-12-31', 25)];
      await storeImport(db.db, symbol, [old], now);
    }
    await storeImport(db.db, 'ORCL', [[flatBar('ORCL', '2025-09-10', 100)]], now);
    await storeImport(db.db, 'CRWV', [[flatBar('CRWV', '2025-09-10', 100)]], now);
    expect(await alertsAfterSync(deps(config), null)).toEqual([]); // records not_comparable
    const quote = (symbol: string, ts: string, price: number, marketState: string) => ({ symbol, ts: new Date(ts), price, marketCap: null, volume: null, marketState, currency: 'USD' });
    // In session, the session of 2025-09-11 has no close stored: the quotes stand as its close.
    now = new Date('2025-09-11T16:00:00Z');
    const intraday = await quoted(config, [quote('ORCL', '2025-09-11T15:00:00Z', 60, 'REGULAR'), quote('CRWV', '2025-09-11T15:00:00Z', 60, 'REGULAR')]);
    const provisional = intraday.filter((a) => a.rule === 'verdict_change');
    expect(provisional.map((a) => [a.claimId, a.status, a.payload.from, a.payload.to])).toEqual([
      ['orcl-crwv-crash-comparable', 'provisional', 'not_comparable', 'partly_comparable'],
    ]);
    await storeImport(db.db, 'ORCL', [[flatBar('ORCL', '2025-09-11', 60)]], now);
    await storeImport(db.db, 'CRWV', [[flatBar('CRWV', '2025-09-11', 60)]], now);
    const atClose = (await alertsAfterSync(deps(config), null)).filter((a) => a.rule === 'verdict_change');
    expect(atClose.map((a) => [a.claimId, a.status, a.payload.to])).toEqual([['orcl-crwv-crash-comparable', 'confirmed', 'partly_comparable']]);
    // After the close with its bar stored, a quote of that session stands for nothing: no price, no verdict.
    now = new Date('2025-09-11T23:00:00Z');
    await db.db.deleteFrom('alert_state').where('key', 'like', 'drawdown:%').execute();
    expect(await quoted(config, [quote('ORCL', '2025-09-11T22:00:00Z', 30, 'POST'), quote('CRWV', '2025-09-11T22:00:00Z', 30, 'POST')])).toEqual([]);
    const states = await db.db.selectFrom('alert_state').select('key').where('key', 'like', 'drawdown:%').execute();
    expect(states).toEqual([]);
  });

  it('a failed sync fires once, delivered as JSON', async () => {
    const config = configFor(receiver.url);
    const failed = { runId: 7, status: 'failed' as const, failures: [{ symbol: 'ORCL', reason: 'yahoo timeout' }] };
    const fired = await alertsAfterSync(deps(config), failed);
    expect(fired.map((a) => a.rule)).toEqual(['sync_failed']);
    expect(await alertsAfterSync(deps(config), { ...failed, runId: 8 })).toEqual([]);
  });
});
