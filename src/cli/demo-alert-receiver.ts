// The demo's alert receiver (the DemoAlertHook of src/daemon/demo.ts): a small webhook on loopback,
// inside the demo's process, that the demo's config names as its only alert channel. It checks each
// POST's signature with the demo's own secret and prints one line per alert, so the demo shows the
// delivery path end to end: rules, outbox, signed HTTP POST, receiver.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, signBody } from '../alerts/channels.js';
import type { Config } from '../config/load.js';
import type { DemoAlertHook } from '../daemon/demo.js';

export const DEMO_CHANNEL = 'demo-receiver';

/** Constant-time check of "sha256=<hex>" against the body as received. */
export function signatureMatches(body: string, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(signBody(body, secret), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** One printed line per POST: the alert's rule, symbol (or claim) and message, and whether the signature held. */
export function receivedAlertLine(body: string, signatureOk: boolean): string {
  const signature = signatureOk ? 'signature ok' : 'SIGNATURE MISMATCH';
  try {
    const alert = JSON.parse(body) as { rule?: unknown; symbol?: unknown; claimId?: unknown; message?: unknown; status?: unknown };
    const subject = typeof alert.symbol === 'string' ? alert.symbol : typeof alert.claimId === 'string' ? alert.claimId : '-';
    const basis = alert.status === 'provisional' ? ' (provisional)' : '';
    return `  alert received: ${String(alert.rule)} ${subject}${basis}: ${String(alert.message)} [${signature}]`;
  } catch {
    return `  alert received: a body that is not JSON (${body.length} bytes) [${signature}]`;
  }
}

export function demoAlertReceiver(): DemoAlertHook {
  const secret = randomBytes(16).toString('hex');
  let print: (line: string) => void = () => undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      print(receivedAlertLine(body, signatureMatches(body, req.headers[SIGNATURE_HEADER.toLowerCase()], secret)));
      res.writeHead(204).end();
    });
  });
  let listening = false;
  return {
    async configure(config: Config, printLine): Promise<Config> {
      print = printLine;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      listening = true;
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
      print(`  alert receiver: ${url} (signed with a secret made for this run; every alert it gets is printed)`);
      return {
        ...config,
        alerts: { ...config.alerts, channels: [{ name: DEMO_CHANNEL, url, format: 'json' }] },
        env: { ...config.env, alertWebhookSecret: secret },
      };
    },
    async close(): Promise<void> {
      if (!listening) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
