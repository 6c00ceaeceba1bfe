// Delivery (I/O shell): the outbox in alert_deliveries, sent over HTTP. Each attempt has a bounded
// timeout and runs after the alert's transaction committed, never inside an ingest's; a failure is
// recorded with its next attempt time (exponential backoff) so a restart picks it up.
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../db/connect.js';
import { claimDueDeliveries, recordDeliveryAttempt, type DueDelivery } from '../db/alerts.js';
import { alertChannels, buildRequest, channelOrigin, deliveryError, requestTarget, retryDelayMs, type AlertChannel, type AlertMessage } from './channels.js';

export interface DeliveryDeps {
  handle: DbHandle;
  config: Config;
  log: Logger;
  clock: () => Date;
  /** Injected by tests; default the global fetch. */
  fetch?: typeof fetch;
}

export type SendResult = { ok: true; status: number } | { ok: false; error: string };

/** Deliveries sent per pass; the rest wait for the next one. */
const BATCH = 50;

/** One POST, at most `timeoutMs` from connect to the end of the answer. The error names the URL by its origin only. */
export async function sendToChannel(
  channel: AlertChannel,
  message: AlertMessage,
  options: { secret: string | null; timeoutMs: number; fetch?: typeof fetch },
): Promise<SendResult> {
  const request = buildRequest(channel.format, message, options.secret);
  const target = requestTarget(channel.url);
  try {
    const res = await (options.fetch ?? fetch)(target.url, {
      method: 'POST',
      headers: target.authorization ? { ...request.headers, Authorization: target.authorization } : request.headers,
      body: request.body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
    // Read (and drop) the answer so the connection is released within the timeout too.
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? { ok: true, status: res.status } : { ok: false, error: `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { ok: false, error: `timed out after ${options.timeoutMs} ms` };
    return { ok: false, error: deliveryError(e.cause?.code ?? e.cause?.message ?? e.message, channel.url) };
  }
}

export interface DeliveryPass {
  delivered: number;
  retrying: number;
  failed: number;
}

function messageOf(d: DueDelivery): AlertMessage {
  return { id: d.alertId, ...d.alert };
}

/**
 * One pass over the due deliveries (or only those of `alertIds`): each is tried once; a failure is
 * rescheduled with backoff, or marked failed after `alerts.maxAttempts`.
 */
export async function deliverPending(deps: DeliveryDeps, options: { alertIds?: readonly number[] } = {}): Promise<DeliveryPass> {
  const { handle, config, log, clock } = deps;
  const settings = config.alerts;
  const channels = new Map(alertChannels(config).map((c) => [c.name, c]));
  const now = clock();
  // The lease outlasts the attempt, so no other process sends the same delivery meanwhile.
  const leaseUntil = new Date(now.getTime() + settings.timeoutMs + 30_000);
  const due = await claimDueDeliveries(handle.db, { now, leaseUntil, limit: BATCH, ...(options.alertIds ? { alertIds: options.alertIds } : {}) });
  const pass: DeliveryPass = { delivered: 0, retrying: 0, failed: 0 };
  await Promise.all(
    due.map(async (d) => {
      const channel = channels.get(d.channel);
      const result: SendResult = channel
        ? await sendToChannel(channel, messageOf(d), { secret: config.env.alertWebhookSecret, timeoutMs: settings.timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) })
        : { ok: false, error: 'channel no longer configured' };
      const fields = { alertId: d.alertId, channel: d.channel, attempt: d.attempts, ...(channel ? { origin: channelOrigin(channel.url) } : {}) };
      if (result.ok) {
        pass.delivered++;
        log.info({ ...fields, httpStatus: result.status }, 'alert delivered');
        await recordDeliveryAttempt(handle.db, d, { delivered: true, at: clock() });
        return;
      }
      const giveUp = !channel || d.attempts >= settings.maxAttempts;
      const retryAt = giveUp ? null : new Date(clock().getTime() + retryDelayMs(d.attempts, settings.retryDelayMs, settings.maxRetryDelayMs));
      if (giveUp) pass.failed++;
      else pass.retrying++;
      log.warn({ ...fields, reason: result.error, retryAt: retryAt?.toISOString() ?? null }, giveUp ? 'alert delivery failed; giving up' : 'alert delivery failed; will retry');
      await recordDeliveryAttempt(handle.db, d, { delivered: false, error: result.error, retryAt });
    }),
  );
  return pass;
}

export interface DeliveryLoop {
  /** Run a pass now (after an evaluation stored alerts). */
  kick(): void;
  stop(): Promise<void>;
}

/** The daemon's sender: a pass every `alerts.pollMs` and on kick(), one at a time, never throwing. */
export function startDeliveryLoop(deps: DeliveryDeps): DeliveryLoop {
  // No channel, nothing to send: no polling (rows left by a channel since removed wait for it to return).
  if (alertChannels(deps.config).length === 0) return { kick() {}, stop: async () => {} };
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const pass = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          const result = await deliverPending(deps);
          // A full batch means more may be due: go on without waiting for the timer.
          if (result.delivered + result.retrying + result.failed >= BATCH) again = true;
        } while (again && !stopped);
      } catch (err) {
        deps.log.warn({ err }, 'alert delivery pass failed');
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(pass, deps.config.alerts.pollMs);
  timer.unref();
  pass();
  return {
    kick: pass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * A one-shot command's delivery: the alerts it just stored, each channel tried once within the
 * timeout; what fails stays pending for the daemon (or the next command) to retry.
 */
export async function deliverOnce(deps: DeliveryDeps, alerts: readonly { id: number }[]): Promise<DeliveryPass> {
  if (alerts.length === 0) return { delivered: 0, retrying: 0, failed: 0 };
  try {
    return await deliverPending(deps, { alertIds: alerts.map((a) => a.id) });
  } catch (err) {
    deps.log.warn({ err }, 'alert delivery failed; the alerts stay pending');
    return { delivered: 0, retrying: alerts.length, failed: 0 };
  }
}
