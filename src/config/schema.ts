// The shape of config/bubblewatch.json. Strict objects: an unknown key is a typo until proven otherwise.
import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { SYMBOL_PATTERN, isIsoDate } from '../bar-checks.js';
import { isTimeZone } from '../market/zoned-time.js';

const cron = z.string().refine((expr) => isValidCron(expr), { message: 'is not a valid cron expression' });
const isoDate = z.string().refine(isIsoDate, { message: 'must be a date as YYYY-MM-DD' });
const timeZone = z.string().refine(isTimeZone, { message: 'is not an IANA time zone' });

const watchItem = z.strictObject({
  symbol: z.string().regex(SYMBOL_PATTERN, 'must be a Yahoo symbol such as ORCL or ^GSPC (A-Z, 0-9, ^ . - =)'),
  name: z.string().min(1).max(200).optional(),
  kind: z.enum(['equity', 'index']).default('equity'),
  /** Benchmarks are fetched and charted but are not claim subjects. */
  benchmark: z.boolean().default(false),
  /** Overrides history.start for this symbol. */
  historyStart: isoDate.optional(),
});

/** A DNS name or an IP literal (IPv6 with or without brackets), as a Host header names one. */
const HOST_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[?[0-9A-Fa-f:.]+\]?)$/;

export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  watchlist: z
    .array(watchItem)
    .min(1)
    .refine((items) => new Set(items.map((i) => i.symbol)).size === items.length, { message: 'lists a symbol twice' }),
  history: z
    .strictObject({
      /** Backfill start when a symbol has no rows; null = as far back as Yahoo goes. */
      start: isoDate.nullable().default(null),
      /** Sessions re-fetched before the last stored one, to pick up Yahoo's late revisions. */
      overlapSessions: z.int().min(0).max(250).default(5),
      /**
       * Consecutive closes further apart than this factor (either way) are named as a jump in
       * `status` and /healthz unless a split on record explains them: two bases side by side.
       */
      jumpFactor: z.number().gt(1).max(1000).default(3),
    })
    .prefault({}),
  exchange: z.strictObject({ timezone: timeZone.default('America/New_York') }).prefault({}),
  schedules: z
    .strictObject({
      /** Quote snapshots; only taken while the market is in session. */
      quotes: cron.default('* 9-16 * * 1-5'),
      /** Daily history sync after the close. */
      sync: cron.default('30 16 * * 1-5'),
      /** A later pass that picks up Yahoo's revisions of the day's bars. */
      revision: cron.default('0 20 * * 1-5'),
      /** The daily report, after the sync. */
      report: cron.default('45 16 * * 1-5'),
      /** `verify`: the stored history against the source's, every symbol in full; null = never. */
      verify: cron.nullable().default('0 7 * * 6'),
      /** Random delay added to each tick, so many installs don't hit Yahoo in the same second. */
      jitterSeconds: z.int().min(0).max(600).default(20),
    })
    .prefault({}),
  yahoo: z
    .strictObject({
      /** Minimum time between the starts of two chart requests. */
      minIntervalMs: z.int().min(0).max(600_000).default(1000),
      concurrency: z.int().min(1).max(8).default(2),
      timeoutMs: z.int().min(1000).max(300_000).default(15_000),
      retries: z.int().min(0).max(10).default(5),
      /** Consecutive transient failures that open the circuit breaker, and how long it stays open. */
      breakerThreshold: z.int().min(1).max(100).default(8),
      breakerCooldownMs: z.int().min(1000).max(3_600_000).default(300_000),
    })
    .prefault({}),
  http: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.int().min(0).max(65535).default(9464),
      /**
       * Host names the server answers for besides its listening address (a reverse proxy's public
       * name, a container's service name); any other Host gets 421 (DNS rebinding).
       */
      allowedHosts: z.array(z.string().regex(HOST_NAME, 'must be a host name or an IP address, without a port')).default([]),
    })
    .prefault({}),
  sql: z
    .strictObject({
      /** `bubblewatch sql`: a statement running longer is cancelled (0 = no limit). Postgres only. */
      statementTimeoutMs: z.int().min(0).max(86_400_000).default(30_000),
    })
    .prefault({}),
  alerts: z
    .strictObject({
      /** Drawdown levels from the all-time high, in percent; each fires when crossed, either way. */
      drawdownLevels: z.array(z.number().gt(-100).lt(0)).max(20).default([-10, -20, -30, -40, -50]),
      /**
       * Points of drawdown a price must move back past a level before that level can fire again, so
       * a price hovering at a level does not chatter. Also how far below a new high the price must
       * fall before the next new high fires.
       */
      hysteresisPoints: z.number().min(0).max(20).default(2),
      /** After a session closes, how long its bar may be missing before the data is called stale. */
      staleAfterMinutes: z.int().min(1).max(10_080).default(120),
      /** Where alerts are sent, besides BUBBLEWATCH_ALERT_WEBHOOK_URL (the channel named "webhook"). */
      channels: z
        .array(
          z.strictObject({
            name: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, - or _')
              .refine((n) => n !== 'webhook', { message: '"webhook" is the name of BUBBLEWATCH_ALERT_WEBHOOK_URL\'s channel' }),
            url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
            /** json: the generic webhook body; slack: {"text": ...}; ntfy: the message as text, title in a header. */
            format: z.enum(['json', 'slack', 'ntfy']).default('json'),
          }),
        )
        .max(20)
        .refine((items) => new Set(items.map((i) => i.name)).size === items.length, { message: 'names a channel twice' })
        .default([]),
      /** One delivery attempt may take this long (connect to last byte). */
      timeoutMs: z.int().min(100).max(60_000).default(5_000),
      /** Attempts per alert and channel before it is marked failed. */
      maxAttempts: z.int().min(1).max(50).default(10),
      /** Wait before the first retry, doubled at each retry up to maxRetryDelayMs. */
      retryDelayMs: z.int().min(0).max(3_600_000).default(30_000),
      maxRetryDelayMs: z.int().min(0).max(86_400_000).default(3_600_000),
      /** How often the daemon sends what is pending. */
      pollMs: z.int().min(50).max(3_600_000).default(15_000),
    })
    .prefault({}),
  verify: z
    .strictObject({
      /**
       * What the daemon's scheduled verify does with a difference: always logged and alerted; stored
       * again from the source only when this is true (`verify --repair` does it by hand).
       */
      repair: z.boolean().default(false),
    })
    .prefault({}),
  report: z
    .strictObject({
      formats: z.array(z.enum(['md', 'html', 'json'])).min(1).default(['md', 'html', 'json']),
      lang: z.enum(['en', 'zh-Hant']).default('en'),
    })
    .prefault({}),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
export type WatchItem = ConfigFile['watchlist'][number];
