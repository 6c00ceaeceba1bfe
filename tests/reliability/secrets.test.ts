// Issue 24, done-when 1: secrets planted in DATABASE_URL (its password as a query parameter, and in
// the user info) and in the alert channels' URLs (user, password, token and signature parameters, a
// Slack-style secret path) and the signing secret, then every command that prints, logs or stores
// something, at LOG_LEVEL=debug: two syncs (the second fires alerts, one channel failing), `alerts
// --json`, `alerts` and `alerts test`, `status` and `status --json`. Every byte of every output and every
// row of every table is then searched for each secret.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import type { SimServer } from '../../src/sim/server.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/db.js';
import { startTestSim } from '../helpers/sim-harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { risingThenFallingCsv } from '../helpers/rising-then-falling.js';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

const HIGH_DATE = '2025-09-10';
const HOOK_USER = 'Planted-Hook-User';
const HOOK_PASSWORD = 'Planted-Hook-Pw9';
const HOOK_TOKEN = 'Planted-Hook-Token';
const HOOK_SIG = 'Planted-Hook-Sig';
const SLACK_PATH = 'Planted-Slack-Path';
const SLACK_TOKEN = 'Planted-Slack-Token';
const SIGNING_SECRET = 'Planted-Signing-Secret';

/** ORCL rising to 100 on HIGH_DATE, then falling: a sync to the end of 2025 crosses -10 % to -40 %. */
const orclCsv = () => risingThenFallingCsv({ from: '2025-06-02', to: '2025-12-31', highDate: HIGH_DATE });

describe('no planted secret in any output, log line or stored row', () => {
  let dir: string;
  let sim: SimServer;
  /** The webhook channel's receiver, and the Slack-style channel's. */
  let receiver: WebhookReceiver;
  let team: WebhookReceiver;
  let scratch: ScratchDatabase;
  let secrets: string[];
  let env: NodeJS.ProcessEnv;
  let userinfoUrl: string;
  const outputs: { command: string; result: CliResult }[] = [];

  const cli = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const result = await runCli(args, { env: { ...env, ...extra }, timeoutMs: 150_000 });
    outputs.push({ command: args.join(' '), result });
    return result;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-secrets-plant-'));
    mkdirSync(join(dir, 'csv'));
    writeFileSync(join(dir, 'csv', 'ORCL.csv'), orclCsv());
    sim = await startTestSim({ now: HIGH_DATE, source: { kind: 'csv', dir: join(dir, 'csv') } });
    receiver = await startWebhookReceiver();
    team = await startWebhookReceiver();
    scratch = await createScratchDatabase();
    // The test server's real password when it has one (the bundled server), else a planted one (a
    // trust-auth server ignores it): either way a secret that must never be shown.
    const base = new URL(scratch.url);
    const dbPassword = decodeURIComponent(base.password) || 'Planted-Db-Pw-7';
    base.password = '';
    const queryUrl = new URL(base.href);
    queryUrl.searchParams.set('password', dbPassword);
    queryUrl.searchParams.set('application_name', 'bw-secrets');
    const withUserinfo = new URL(base.href);
    withUserinfo.password = encodeURIComponent(dbPassword);
    userinfoUrl = withUserinfo.href;

    const origin = new URL(receiver.url).origin;
    const hook = new URL(`${origin}/hook?token=${HOOK_TOKEN}&sig=${HOOK_SIG}&channel=ops`);
    hook.username = HOOK_USER;
    hook.password = HOOK_PASSWORD;
    const configPath = join(dir, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        watchlist: [{ symbol: 'ORCL' }],
        history: { start: '2025-06-02', overlapSessions: 5 },
        yahoo: { minIntervalMs: 0, concurrency: 1, timeoutMs: 5000, retries: 2, breakerThreshold: 5, breakerCooldownMs: 1000 },
        alerts: { timeoutMs: 1000, channels: [{ name: 'team', url: `${new URL(team.url).origin}/services/T0/B0/${SLACK_PATH}?token=${SLACK_TOKEN}`, format: 'slack' }] },
      }),
    );
    secrets = [dbPassword, HOOK_USER, HOOK_PASSWORD, HOOK_TOKEN, HOOK_SIG, SLACK_PATH, SLACK_TOKEN, SIGNING_SECRET];
    env = {
      DATABASE_URL: queryUrl.href,
      BUBBLEWATCH_DATA_DIR: join(dir, 'data'),
      BUBBLEWATCH_CONFIG: configPath,
      YAHOO_BASE_URL: sim.url,
      BUBBLEWATCH_ALERT_WEBHOOK_URL: hook.href,
      BUBBLEWATCH_ALERT_WEBHOOK_SECRET: SIGNING_SECRET,
      LOG_LEVEL: 'debug',
    };
  });
  afterAll(async () => {
    await scratch?.drop();
    await sim?.close();
    await receiver?.close();
    await team?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every command at debug, the alerts fired and delivered (or failing), and nothing shows a secret', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    // The webhook answers 500 to every alert (its deliveries fail and keep last_error); the Slack-style
    // channel takes them.
    receiver.script([], 500);
    sim.setNow('2025-12-31');
    const fired = await cli(['sync']);
    expect(fired.code, fired.stderr.slice(-2000)).toBe(0);
    expect(receiver.requests.length).toBeGreaterThanOrEqual(4);
    expect(team.requests.length).toBe(receiver.requests.length);

    const listed = await cli(['alerts', '--json', '--limit', '50']);
    expect(listed.code).toBe(0);
    const deliveries = (JSON.parse(listed.stdout) as { deliveries: { channel: string; status: string; lastError: string | null }[] }[]).flatMap((a) => a.deliveries);
    expect(deliveries.some((d) => d.channel === 'webhook' && d.lastError === 'HTTP 500')).toBe(true);
    expect(deliveries.some((d) => d.channel === 'team' && d.status === 'delivered')).toBe(true);
    expect((await cli(['alerts'])).code).toBe(0);

    receiver.script([], 200);
    const test = await cli(['alerts', 'test']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain('alerts test: 2 of 2 channel(s) ok, signed');
    // The webhook's user and password went as an Authorization header, the rest of the URL as asked.
    const tested = receiver.requests.at(-1)!;
    expect(tested.headers.authorization).toBe(`Basic ${Buffer.from(`${HOOK_USER}:${HOOK_PASSWORD}`).toString('base64')}`);
    expect(tested.path).toBe(`/hook?token=${HOOK_TOKEN}&sig=${HOOK_SIG}&channel=ops`);

    const status = await cli(['status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).database.location).toMatch(/password=\*\*\*/);
    const statusUserinfo = await cli(['status'], { DATABASE_URL: userinfoUrl });
    expect(statusUserinfo.code).toBe(0);
    expect(statusUserinfo.stdout).toMatch(/^database: postgres \(postgres(ql)?:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:\d+\//);

    // Debug logging really ran (so its lines were searched too).
    expect(fired.stderr).toMatch(/"level":20/);
    for (const { command, result } of outputs) {
      for (const secret of secrets) {
        expect(result.stdout.includes(secret) || result.stderr.includes(secret), `${command} printed ${secret}`).toBe(false);
      }
    }
  });

  it('no stored row of any table holds a secret (alert_deliveries.last_error, ingest_runs included)', async () => {
    let handle: DbHandle | undefined;
    try {
      handle = await openDb({ kind: 'postgres', url: scratch.url });
      const { rows: tables } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(handle.db);
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['alert_deliveries', 'alerts', 'ingest_runs', 'daily_bars']));
      const dump: Record<string, unknown[]> = {};
      for (const { name } of tables) dump[name] = (await sql.raw(`select * from "${name}"`).execute(handle.db)).rows;
      expect(dump.alert_deliveries!.length).toBeGreaterThan(0);
      const text = JSON.stringify(dump);
      for (const secret of secrets) expect(text.includes(secret), secret).toBe(false);
    } finally {
      await handle?.close();
    }
  });
});
