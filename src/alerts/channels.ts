// Alert channels (pure): which channels the config names, and the exact request each one gets.
// The body is built once and signed as the bytes that are sent, so a receiver can verify the
// signature over the raw body it read.
import { createHmac } from 'node:crypto';
import type { Config } from '../config/load.js';
import { redactUrl } from '../redact.js';

export type ChannelFormat = 'json' | 'slack' | 'ntfy';

export interface AlertChannel {
  name: string;
  url: string;
  format: ChannelFormat;
}

/** The channel BUBBLEWATCH_ALERT_WEBHOOK_URL makes. */
export const ENV_CHANNEL = 'webhook';

export const SIGNATURE_HEADER = 'X-Bubblewatch-Signature';

/** The env webhook first, then the config file's channels. */
export function alertChannels(config: Pick<Config, 'alerts' | 'env'>): AlertChannel[] {
  const fromEnv: AlertChannel[] = config.env.alertWebhookUrl ? [{ name: ENV_CHANNEL, url: config.env.alertWebhookUrl, format: 'json' }] : [];
  return [...fromEnv, ...config.alerts.channels.map((c) => ({ name: c.name, url: c.url, format: c.format }))];
}

/** What a channel is sent: an alert as stored, or the test message of `bubblewatch alerts test`. */
export interface AlertMessage {
  /** null for a test message. */
  id: number | null;
  rule: string;
  symbol: string | null;
  claimId: string | null;
  status: 'provisional' | 'confirmed';
  message: string;
  payload: Record<string, unknown>;
  firedAt: Date;
}

export interface OutgoingRequest {
  body: string;
  headers: Record<string, string>;
}

/** "sha256=<hex HMAC-SHA256 of the raw body>" */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

const TAGS: Record<string, string> = {
  drawdown_level: 'chart_with_downwards_trend',
  all_time_high: 'chart_with_upwards_trend',
  verdict_change: 'scales',
  stale_data: 'hourglass',
  sync_failed: 'warning',
  verify_difference: 'mag',
  test: 'white_check_mark',
};

function title(m: AlertMessage): string {
  return `bubblewatch: ${m.rule.replace(/_/g, ' ')}${m.symbol ? ` ${m.symbol}` : ''}${m.status === 'provisional' ? ' (provisional)' : ''}`;
}

/** The request for one channel; signed with `secret` when there is one. */
export function buildRequest(format: ChannelFormat, m: AlertMessage, secret: string | null): OutgoingRequest {
  let body: string;
  const headers: Record<string, string> = { 'User-Agent': 'bubblewatch-alerts' };
  if (format === 'slack') {
    body = JSON.stringify({ text: `*${title(m)}*\n${m.message}` });
    headers['Content-Type'] = 'application/json';
  } else if (format === 'ntfy') {
    // ntfy's plain publish: the message is the body, the rest in headers (ASCII only there).
    body = m.message;
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    headers.Title = title(m).replace(/[^\x20-\x7e]/g, '?');
    headers.Tags = TAGS[m.rule] ?? 'bell';
  } else {
    body = JSON.stringify({
      type: m.id === null ? 'bubblewatch.test' : 'bubblewatch.alert',
      id: m.id,
      rule: m.rule,
      symbol: m.symbol,
      claimId: m.claimId,
      status: m.status,
      message: m.message,
      payload: m.payload,
      firedAt: m.firedAt.toISOString(),
    });
    headers['Content-Type'] = 'application/json';
  }
  if (m.id !== null) headers['X-Bubblewatch-Alert-Id'] = String(m.id);
  if (secret) headers[SIGNATURE_HEADER] = signBody(body, secret);
  return { body, headers };
}

/** The channel's address for logs: origin only, since a webhook's path often is its secret (Slack, ntfy topics). */
export function channelOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
}

/**
 * Where a request goes and how it authenticates: a URL's user and password (https://user:pw@host/hook)
 * become an `Authorization: Basic` header, since fetch refuses a URL with credentials in it (and its
 * error would quote them).
 */
export function requestTarget(url: string): { url: string; authorization: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, authorization: null };
  }
  if (!parsed.username && !parsed.password) return { url, authorization: null };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
}

/**
 * A failed delivery's reason as it is logged, stored (alert_deliveries.last_error) and printed: the
 * channel's URL, wherever the error quotes it, becomes its origin (a webhook's path and query are
 * often its secret), and any other URL is redacted.
 */
export function deliveryError(reason: string, url: string): string {
  const origin = channelOrigin(url);
  let out = reason;
  for (const form of urlForms(url)) out = out.split(form).join(origin);
  return redactUrl(out);
}

/** The URL as written and as the WHATWG parser prints it (with and without credentials). */
function urlForms(url: string): string[] {
  const forms = new Set([url]);
  try {
    const parsed = new URL(url);
    forms.add(parsed.href);
    parsed.username = '';
    parsed.password = '';
    forms.add(parsed.href);
  } catch {
    // not a URL: only the text as written
  }
  // Longest first, so a shorter form never leaves the tail of a longer one behind.
  return [...forms].filter(Boolean).sort((a, b) => b.length - a.length);
}

/** Exponential backoff for the outbox: base, 2x base, 4x base... capped. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
