// Alerts (migration 0006): the evaluation as one unit of work, the delivery outbox, and the reads
// behind `bubblewatch alerts`.
//
// Two writers evaluating at once (the daemon's quotes and a manual `sync`) take turns on a
// transaction-level advisory lock, so the second sees the state the first left; the alerts' unique
// dedupe_key stores a transition once even if both computed it.
import { sql, type Kysely } from 'kysely';
import { notifyChange } from './changes.js';
import type { AlertRule, AlertStatus, Database, DeliveryStatus } from './schema.js';

export interface AlertToStore {
  rule: Exclude<AlertRule, 'test'>;
  symbol: string | null;
  claimId: string | null;
  status: AlertStatus;
  payload: Record<string, unknown>;
  message: string;
  dedupeKey: string;
}

export interface StoredAlert extends AlertToStore {
  id: number;
  firedAt: Date;
}

export interface AlertDecision {
  alerts: readonly AlertToStore[];
  /** alert_state rows to write (key -> state). */
  state: ReadonlyMap<string, unknown>;
}

/** Serialises evaluations per schema ('bwal': bubblewatch alerts). */
const LOCK = sql`select pg_advisory_xact_lock(${0x6277616c}::int4, hashtext(current_schema()))`;

/**
 * One evaluation, all or nothing: read every alert_state row, let `decide` (pure) work out the alerts
 * and the new state, store both, and queue one delivery per alert and channel. Returns the alerts
 * actually stored (a transition another writer already stored is left out).
 */
export async function evaluateAlerts(
  db: Kysely<Database>,
  decide: (state: ReadonlyMap<string, unknown>) => AlertDecision,
  options: { channels: readonly string[]; now: Date },
): Promise<StoredAlert[]> {
  return db.transaction().execute(async (trx) => {
    await LOCK.execute(trx);
    const rows = await trx.selectFrom('alert_state').select(['key', 'state']).execute();
    const decision = decide(new Map(rows.map((r) => [r.key, r.state])));
    const stored: StoredAlert[] = [];
    for (const a of decision.alerts) {
      const row = await trx
        .insertInto('alerts')
        .values({
          rule: a.rule,
          symbol: a.symbol,
          claim_id: a.claimId,
          status: a.status,
          payload: JSON.stringify(a.payload),
          message: a.message,
          fired_at: options.now,
          dedupe_key: a.dedupeKey,
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning(['id', 'fired_at'])
        .executeTakeFirst();
      if (row) stored.push({ ...a, id: Number(row.id), firedAt: row.fired_at });
    }
    if (stored.length > 0 && options.channels.length > 0) {
      await trx
        .insertInto('alert_deliveries')
        .values(stored.flatMap((a) => options.channels.map((channel) => ({ alert_id: a.id, channel, next_attempt_at: options.now }))))
        .onConflict((oc) => oc.columns(['alert_id', 'channel']).doNothing())
        .execute();
    }
    for (const [key, state] of decision.state) {
      await trx
        .insertInto('alert_state')
        .values({ key, state: JSON.stringify(state), updated_at: options.now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ state: JSON.stringify(state), updated_at: options.now }))
        .execute();
    }
    // Open live pages show the latest alerts: tell the daemon, whichever process stored them.
    if (stored.length > 0) await notifyChange(trx, 'alerts', [...new Set(stored.flatMap((a) => (a.symbol ? [a.symbol] : [])))]);
    return stored;
  });
}

/** The facts the price rules read: last close and all-time high per symbol (v_latest). */
export async function latestClosesAndHighs(
  db: Kysely<Database>,
  symbols: readonly string[],
): Promise<{ symbol: string; lastDate: string; lastClose: number; athDate: string; athClose: number }[]> {
  if (symbols.length === 0) return [];
  const rows = await db
    .selectFrom('v_latest')
    .select(['symbol', 'last_date', 'last_close', 'ath_date', 'ath_close'])
    .where('symbol', 'in', [...symbols])
    .execute();
  return rows.flatMap((r) =>
    r.last_date && r.last_close !== null && r.ath_date && r.ath_close !== null
      ? [{ symbol: r.symbol, lastDate: r.last_date, lastClose: Number(r.last_close), athDate: r.ath_date, athClose: Number(r.ath_close) }]
      : [],
  );
}

export interface DueDelivery {
  alertId: number;
  channel: string;
  attempts: number;
  alert: { rule: AlertRule; symbol: string | null; claimId: string | null; status: AlertStatus; payload: Record<string, unknown>; message: string; firedAt: Date };
}

/**
 * Takes up to `limit` deliveries that are due, for this process: each is leased until `leaseUntil`
 * (its next_attempt_at moves there and its attempt is counted), so another process polling the
 * outbox meanwhile skips it; one that dies mid-send leaves it to be retried when the lease ends.
 */
export async function claimDueDeliveries(db: Kysely<Database>, options: { now: Date; leaseUntil: Date; limit: number; alertIds?: readonly number[] }): Promise<DueDelivery[]> {
  const only = options.alertIds ? sql`and alert_id = any(${[...options.alertIds]}::bigint[])` : sql``;
  const claimed = await sql<{ alert_id: number; channel: string; attempts: number }>`
    update alert_deliveries d
       set next_attempt_at = ${options.leaseUntil}, attempts = d.attempts + 1
      from (select alert_id, channel from alert_deliveries
             where status = 'pending' and next_attempt_at <= ${options.now} ${only}
             order by next_attempt_at, alert_id
             limit ${options.limit}
             for update skip locked) due
     where d.alert_id = due.alert_id and d.channel = due.channel
    returning d.alert_id, d.channel, d.attempts`.execute(db);
  if (claimed.rows.length === 0) return [];
  const ids = [...new Set(claimed.rows.map((r) => Number(r.alert_id)))];
  const alerts = await db
    .selectFrom('alerts')
    .select(['id', 'rule', 'symbol', 'claim_id', 'status', 'payload', 'message', 'fired_at'])
    .where('id', 'in', ids)
    .execute();
  const byId = new Map(alerts.map((a) => [Number(a.id), a]));
  return claimed.rows.flatMap((r) => {
    const a = byId.get(Number(r.alert_id));
    if (!a) return [];
    return [
      {
        alertId: Number(r.alert_id),
        channel: r.channel,
        attempts: Number(r.attempts),
        alert: { rule: a.rule, symbol: a.symbol, claimId: a.claim_id, status: a.status, payload: a.payload, message: a.message, firedAt: a.fired_at },
      },
    ];
  });
}

/** The outcome of one attempt: delivered, retry at `retryAt`, or given up (`retryAt` null). */
export async function recordDeliveryAttempt(
  db: Kysely<Database>,
  key: { alertId: number; channel: string },
  outcome: { delivered: true; at: Date } | { delivered: false; error: string; retryAt: Date | null },
): Promise<void> {
  const set = outcome.delivered
    ? { status: 'delivered' as DeliveryStatus, delivered_at: outcome.at, last_error: null }
    : outcome.retryAt
      ? { status: 'pending' as DeliveryStatus, next_attempt_at: outcome.retryAt, last_error: outcome.error }
      : { status: 'failed' as DeliveryStatus, last_error: outcome.error };
  await db.updateTable('alert_deliveries').set(set).where('alert_id', '=', key.alertId).where('channel', '=', key.channel).execute();
}

export interface AlertListing {
  id: number;
  firedAt: Date;
  rule: AlertRule;
  status: AlertStatus;
  symbol: string | null;
  claimId: string | null;
  message: string;
  payload: Record<string, unknown>;
  deliveries: { channel: string; status: DeliveryStatus; attempts: number; lastError: string | null; deliveredAt: Date | null }[];
}

/** The latest alerts, newest first, each with its deliveries. */
export async function recentAlerts(db: Kysely<Database>, limit: number): Promise<AlertListing[]> {
  const alerts = await db
    .selectFrom('alerts')
    .select(['id', 'fired_at', 'rule', 'status', 'symbol', 'claim_id', 'message', 'payload'])
    .orderBy('fired_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  if (alerts.length === 0) return [];
  const deliveries = await db
    .selectFrom('alert_deliveries')
    .select(['alert_id', 'channel', 'status', 'attempts', 'last_error', 'delivered_at'])
    .where('alert_id', 'in', alerts.map((a) => a.id))
    .orderBy('channel')
    .execute();
  return alerts.map((a) => ({
    id: Number(a.id),
    firedAt: a.fired_at,
    rule: a.rule,
    status: a.status,
    symbol: a.symbol,
    claimId: a.claim_id,
    message: a.message,
    payload: a.payload,
    deliveries: deliveries
      .filter((d) => Number(d.alert_id) === Number(a.id))
      .map((d) => ({ channel: d.channel, status: d.status, attempts: d.attempts, lastError: d.last_error, deliveredAt: d.delivered_at })),
  }));
}
