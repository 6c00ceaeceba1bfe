// Alerts end to end, as users run them: the compiled CLI against the simulated feed (replaying a CSV
// written here: a high of 100 on 2025-09-10, then a steady fall) with a local webhook receiver, on an
// empty database of the test server (the first command migrates it). The first backfill fires nothing; a later sync through the fall fires each level crossed
// once, signed; a re-run fires nothing; a hanging endpoint does not keep a sync from finishing.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { runCli } from '../helpers/cli.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/db.js';
import { startTestSim } from '../helpers/sim-harness.js';
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { risingThenFallingCsv } from '../helpers/rising-then-falling.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const SECRET = 'e2e-alert-secret';
const HIGH_DATE = '2025-09-10';

/** Rising to 100 on HIGH_DATE, then falling 0.55 a session: -41 % by 2025-12-31, -50 % in January. */
const orclCsv = () => risingThenFallingCsv({ from: '2025-06-02', to: '2026-01-30', highDate: HIGH_DATE });

let dir: string;
let sim: SimServer;
let receiver: WebhookReceiver;
let configPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bw-alerts-e2e-'));
  mkdirSync(join(dir, 'csv'));
  writeFileSync(join(dir, 'csv', 'ORCL.csv'), orclCsv());
  sim = await startTestSim({ now: HIGH_DATE, source: { kind: 'csv', dir: join(dir, 'csv') } });
  receiver = await startWebhookReceiver();
  configPath = join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      watchlist: [{ symbol: 'ORCL' }],
      history: { start: '2025-06-02', overlapSessions: 5 },
      yahoo: { minIntervalMs: 0, concurrency: 1, timeoutMs: 5000, retries: 2, breakerThreshold: 5, breakerCooldownMs: 1000 },
      alerts: { timeoutMs: 500 },
    }),
  );
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('alerts through the CLI', () => {
  let env: NodeJS.ProcessEnv;
  let scratch: ScratchDatabase | undefined;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    env = {
      DATABASE_URL: scratch.url,
      BUBBLEWATCH_DATA_DIR: join(dir, 'data'),
      BUBBLEWATCH_CONFIG: configPath,
      YAHOO_BASE_URL: sim.url,
      BUBBLEWATCH_ALERT_WEBHOOK_URL: receiver.url,
      BUBBLEWATCH_ALERT_WEBHOOK_SECRET: SECRET,
    };
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  const alertsJson = async () => {
    const r = await runCli(['alerts', '--json', '--limit', '50'], { env, timeoutMs: 100_000 });
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as { rule: string; payload: { level?: number; direction?: string }; deliveries: { status: string; lastError: string | null }[] }[];
  };

  it('the first backfill fires nothing; a sync through the fall fires -10 %, -20 %, -30 %, -40 % once each, signed; a re-run nothing', async () => {
    const backfill = await runCli(['sync'], { env, timeoutMs: 150_000 });
    expect(backfill.code, backfill.stderr).toBe(0);
    expect(await alertsJson()).toEqual([]);
    expect(receiver.requests).toHaveLength(0);

    sim.setNow('2025-12-31');
    const later = await runCli(['sync'], { env, timeoutMs: 150_000 });
    expect(later.code, later.stderr).toBe(0);
    const got = receiver.requests.map((r) => ({ body: JSON.parse(r.body) as { rule: string; symbol: string; payload: { level: number; direction: string } }, r }));
    expect(got.map((g) => [g.body.rule, g.body.symbol, g.body.payload.level, g.body.payload.direction])).toEqual([
      ['drawdown_level', 'ORCL', -0.1, 'down'],
      ['drawdown_level', 'ORCL', -0.2, 'down'],
      ['drawdown_level', 'ORCL', -0.3, 'down'],
      ['drawdown_level', 'ORCL', -0.4, 'down'],
    ]);
    for (const { r } of got) expect(verifySignature(r.body, r.headers['x-bubblewatch-signature'], SECRET)).toBe(true);

    const again = await runCli(['sync'], { env, timeoutMs: 150_000 });
    expect(again.code).toBe(0);
    expect(receiver.requests).toHaveLength(4);

    const table = await runCli(['alerts'], { env, timeoutMs: 100_000 });
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+fired_at\s+rule\s+subject\s+delivery\s+message$/);
    expect(lines.slice(1).filter((l) => /drawdown_level\s+ORCL\s+webhook:delivered\s+ORCL fell through -\d0 %/.test(l))).toHaveLength(4);
  });

  it('a hanging endpoint does not keep a sync from finishing: the new alert stays pending', async () => {
    receiver.script(['hang']);
    sim.setNow('2026-01-30');
    const r = await runCli(['sync'], { env, timeoutMs: 150_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sync #\d+ ok/);
    const [newest] = await alertsJson();
    expect(newest).toMatchObject({ rule: 'drawdown_level', payload: { level: -0.5, direction: 'down' } });
    expect(newest!.deliveries).toEqual([expect.objectContaining({ status: 'pending', lastError: 'timed out after 500 ms' })]);
    receiver.script([]);
  });

  it('alerts test sends a signed test message to each channel and reports it', async () => {
    const before = receiver.requests.length;
    const r = await runCli(['alerts', 'test'], { env, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('alerts test: 1 of 1 channel(s) ok, signed');
    expect(r.stdout).toMatch(/webhook \(json, http:\/\/127\.0\.0\.1:\d+\): ok, HTTP 200/);
    expect(r.stdout).not.toContain('s3cr3t-path');
    const sent = receiver.requests.at(-1)!;
    expect(receiver.requests.length).toBe(before + 1);
    expect(JSON.parse(sent.body)).toMatchObject({ type: 'bubblewatch.test', rule: 'test' });
    expect(verifySignature(sent.body, sent.headers['x-bubblewatch-signature'], SECRET)).toBe(true);
  });
});
