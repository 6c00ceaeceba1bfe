import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertChannels, buildRequest, channelOrigin, deliveryError, requestTarget, retryDelayMs, signBody, type AlertMessage } from '../../../src/alerts/channels.js';
import { parseConfig } from '../../../src/config/load.js';

const message: AlertMessage = {
  id: 12,
  rule: 'drawdown_level',
  symbol: 'ORCL',
  claimId: null,
  status: 'confirmed',
  message: 'ORCL fell through -40 % from its all-time high: -40.6 % at 194.91 (high 328.33 on 2025-09-10)',
  payload: { level: -0.4, direction: 'down' },
  firedAt: new Date('2025-12-31T21:30:00Z'),
};

describe('alert channels', () => {
  it('the env webhook comes first as "webhook" (json), then the config file channels', () => {
    const file = { watchlist: [{ symbol: 'ORCL' }], alerts: { channels: [{ name: 'team', url: 'https://hooks.slack.com/services/T/B/X', format: 'slack' }] } };
    const config = parseConfig(JSON.stringify(file), { BUBBLEWATCH_ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/hook' });
    expect(alertChannels(config)).toEqual([
      { name: 'webhook', url: 'http://127.0.0.1:9/hook', format: 'json' },
      { name: 'team', url: 'https://hooks.slack.com/services/T/B/X', format: 'slack' },
    ]);
    expect(alertChannels(parseConfig(JSON.stringify({ watchlist: [{ symbol: 'ORCL' }] }), {}))).toEqual([]);
  });

  it('refuses a bad webhook URL, a channel named "webhook" and a name used twice', () => {
    const file = (channels: unknown[]) => JSON.stringify({ watchlist: [{ symbol: 'ORCL' }], alerts: { channels } });
    expect(() => parseConfig(file([]), { BUBBLEWATCH_ALERT_WEBHOOK_URL: 'ftp://x' })).toThrow(/BUBBLEWATCH_ALERT_WEBHOOK_URL: must be an http\(s\) URL/);
    expect(() => parseConfig(file([{ name: 'webhook', url: 'http://a' }]), {})).toThrow(/alerts\.channels\[0\]\.name/);
    expect(() => parseConfig(file([{ name: 'a', url: 'http://a' }, { name: 'a', url: 'http://b' }]), {})).toThrow(/names a channel twice/);
    expect(() => parseConfig(file([{ name: 'a', url: 'file:///etc/passwd' }]), {})).toThrow(/alerts\.channels\[0\]\.url/);
  });

  it('json: the whole alert, signed over the exact body sent', () => {
    const req = buildRequest('json', message, 's3cret');
    expect(JSON.parse(req.body)).toEqual({
      type: 'bubblewatch.alert',
      id: 12,
      rule: 'drawdown_level',
      symbol: 'ORCL',
      claimId: null,
      status: 'confirmed',
      message: message.message,
      payload: { level: -0.4, direction: 'down' },
      firedAt: '2025-12-31T21:30:00.000Z',
    });
    expect(req.headers['X-Bubblewatch-Signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(req.body).digest('hex')}`);
    expect(req.headers['X-Bubblewatch-Alert-Id']).toBe('12');
    expect(buildRequest('json', message, null).headers['X-Bubblewatch-Signature']).toBeUndefined();
  });

  it('slack: {"text"}; ntfy: the message as text with an ASCII title', () => {
    expect(JSON.parse(buildRequest('slack', message, null).body)).toEqual({ text: `*bubblewatch: drawdown level ORCL*\n${message.message}` });
    const ntfy = buildRequest('ntfy', { ...message, status: 'provisional' }, 'k');
    expect(ntfy.body).toBe(message.message);
    expect(ntfy.headers).toMatchObject({ Title: 'bubblewatch: drawdown level ORCL (provisional)', Tags: 'chart_with_downwards_trend', 'Content-Type': 'text/plain; charset=utf-8' });
    expect(ntfy.headers['X-Bubblewatch-Signature']).toBe(signBody(ntfy.body, 'k'));
  });

  it('logs show only the origin; retries back off doubling, capped', () => {
    expect(channelOrigin('https://ntfy.sh/my-secret-topic?x=1')).toBe('https://ntfy.sh');
    expect([1, 2, 3, 10].map((n) => retryDelayMs(n, 30_000, 3_600_000))).toEqual([30_000, 60_000, 120_000, 3_600_000]);
  });

  it('a URL with a user and password is sent without them, as an Authorization: Basic header', () => {
    expect(requestTarget('https://hook%40me:p%C3%A4ss@hooks.example/in?token=t')).toEqual({
      url: 'https://hooks.example/in?token=t',
      authorization: `Basic ${Buffer.from('hook@me:päss').toString('base64')}`,
    });
    expect(requestTarget('https://hooks.example/in')).toEqual({ url: 'https://hooks.example/in', authorization: null });
  });

  it('a delivery error names the channel by its origin, however the error quotes its URL', () => {
    const url = 'https://user:pw@Hooks.Example/services/T0/B0/S3cret?token=t0k';
    const quoted = [url, new URL(url).href, 'https://hooks.example/services/T0/B0/S3cret?token=t0k'];
    for (const q of quoted) {
      const text = deliveryError(`Failed to parse URL from ${q}`, url);
      expect(text).toBe('Failed to parse URL from https://hooks.example');
    }
    // Any other URL in it is redacted the usual way.
    expect(deliveryError('redirected to https://a:b@elsewhere.example/x?sig=1', url)).toBe('redirected to https://***:***@elsewhere.example/x?sig=***');
  });
});
