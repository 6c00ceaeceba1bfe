// `bubblewatch alerts [--limit N] [--json]`: the latest alerts with their deliveries.
// `bubblewatch alerts test`: a test message to every channel, each result printed; exit 1 if one
// failed, 2 if no channel is configured.
import pRetry from 'p-retry';
import { alertChannels, channelOrigin, type AlertMessage } from '../../alerts/channels.js';
import { sendToChannel } from '../../alerts/deliver.js';
import { recentAlerts, type AlertListing } from '../../db/alerts.js';
import { redactUrl } from '../../redact.js';
import { loadConfigAndLogger, UsageError, withContext } from '../context.js';

// Everything printed is redacted once more: rows stored by an earlier version may quote a URL whole.
const print = (text: string) => process.stdout.write(redactUrl(text.endsWith('\n') ? text : `${text}\n`));

export async function alertsCommand(options: { limit: number; json?: boolean }): Promise<void> {
  await withContext(async ({ handle }) => {
    const alerts = await recentAlerts(handle.db, options.limit);
    if (options.json) return print(JSON.stringify(alerts, null, 2));
    print(formatAlerts(alerts));
  });
}

/** One line per alert, newest first: when, rule, subject, delivery, message. */
export function formatAlerts(alerts: readonly AlertListing[]): string {
  if (alerts.length === 0) return 'no alerts yet';
  const rows = alerts.map((a) => [
    String(a.id),
    a.firedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    a.rule + (a.status === 'provisional' ? '*' : ''),
    a.symbol ?? a.claimId ?? '-',
    deliverySummary(a),
    a.message,
  ]);
  const head = ['id', 'fired_at', 'rule', 'subject', 'delivery', 'message'];
  const widths = head.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]!) : c)).join('  ');
  const provisional = alerts.some((a) => a.status === 'provisional') ? ['', '* provisional: from an intraday quote, before the close'] : [];
  return [line(head), ...rows.map(line), ...provisional].join('\n');
}

function deliverySummary(a: AlertListing): string {
  if (a.deliveries.length === 0) return 'no channel';
  return a.deliveries.map((d) => `${d.channel}:${d.status}${d.status === 'pending' && d.attempts > 0 ? `(${d.attempts})` : ''}`).join(',');
}

export async function alertsTestCommand(): Promise<void> {
  const { config } = loadConfigAndLogger();
  const channels = alertChannels(config);
  if (channels.length === 0) {
    throw new UsageError(`no alert channel is configured: set BUBBLEWATCH_ALERT_WEBHOOK_URL or alerts.channels in ${config.env.configPath}`);
  }
  const message: AlertMessage = {
    id: null,
    rule: 'test',
    symbol: null,
    claimId: null,
    status: 'confirmed',
    message: 'bubblewatch test alert: this channel receives alerts',
    payload: {},
    firedAt: new Date(),
  };
  let failed = 0;
  const results = await Promise.all(
    channels.map(async (channel) => {
      try {
        // A couple of quick retries: a test should not fail on one dropped connection.
        const result = await pRetry(
          async () => {
            const r = await sendToChannel(channel, message, { secret: config.env.alertWebhookSecret, timeoutMs: config.alerts.timeoutMs });
            if (!r.ok) throw new Error(r.error);
            return r;
          },
          { retries: 2, minTimeout: 200, maxTimeout: 1000 },
        );
        return `  ${channel.name} (${channel.format}, ${channelOrigin(channel.url)}): ok, HTTP ${result.status}`;
      } catch (err) {
        failed++;
        return `  ${channel.name} (${channel.format}, ${channelOrigin(channel.url)}): FAILED ${(err as Error).message}`;
      }
    }),
  );
  const signed = config.env.alertWebhookSecret ? 'signed (X-Bubblewatch-Signature)' : 'unsigned (BUBBLEWATCH_ALERT_WEBHOOK_SECRET not set)';
  print([`alerts test: ${channels.length - failed} of ${channels.length} channel(s) ok, ${signed}`, ...results].join('\n'));
  if (failed > 0) process.exitCode = 1;
}
