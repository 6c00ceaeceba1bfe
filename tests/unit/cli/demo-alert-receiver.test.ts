// The demo's receiver: it trusts a POST only with the signature of the demo's secret over the raw
// body, and prints each alert as one line (rule, subject, message).
import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../../src/alerts/channels.js';
import { receivedAlertLine, signatureMatches } from '../../../src/cli/demo-alert-receiver.js';

const alert = {
  id: 7,
  rule: 'all_time_high',
  symbol: 'GOOGL',
  claimId: null,
  status: 'provisional' as const,
  message: 'GOOGL made a new all-time high: 365.14 (previous 356.43 on 2026-11-20)',
  payload: {},
  firedAt: new Date('2026-11-30T20:46:00Z'),
};

describe('the demo alert receiver', () => {
  it('checks the signature the sender made, and nothing else', () => {
    const { body, headers } = buildRequest('json', alert, 's3cret');
    expect(signatureMatches(body, headers['X-Bubblewatch-Signature'], 's3cret')).toBe(true);
    expect(signatureMatches(body, headers['X-Bubblewatch-Signature'], 'other')).toBe(false);
    expect(signatureMatches(`${body} `, headers['X-Bubblewatch-Signature'], 's3cret')).toBe(false);
    expect(signatureMatches(body, undefined, 's3cret')).toBe(false);
  });

  it('prints one line per alert', () => {
    const { body } = buildRequest('json', alert, null);
    expect(receivedAlertLine(body, true)).toBe(
      '  alert received: all_time_high GOOGL (provisional): GOOGL made a new all-time high: 365.14 (previous 356.43 on 2026-11-20) [signature ok]',
    );
    const claim = buildRequest('json', { ...alert, rule: 'verdict_change', symbol: null, claimId: 'c1', status: 'confirmed', message: 'm' }, null).body;
    expect(receivedAlertLine(claim, false)).toBe('  alert received: verdict_change c1: m [SIGNATURE MISMATCH]');
    expect(receivedAlertLine('<html>', true)).toBe('  alert received: a body that is not JSON (6 bytes) [signature ok]');
  });
});
