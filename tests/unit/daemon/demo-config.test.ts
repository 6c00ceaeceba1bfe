// The demo's config: simulated alerts never reach the user's real channels (the config file's or
// BUBBLEWATCH_ALERT_WEBHOOK_URL's); only the receiver the demo's alert hook adds gets them.
import { describe, expect, it } from 'vitest';
import { alertChannels } from '../../../src/alerts/channels.js';
import { parseConfig } from '../../../src/config/load.js';
import { demoConfig } from '../../../src/daemon/demo.js';

describe('demoConfig', () => {
  it("drops the user's alert channels and webhook secret, and delivers at demo speed", () => {
    const file = JSON.stringify({
      watchlist: [{ symbol: 'NVDA' }],
      alerts: { channels: [{ name: 'team', url: 'https://hooks.slack.com/services/T/B/x', format: 'slack' }] },
    });
    const base = parseConfig(file, { BUBBLEWATCH_ALERT_WEBHOOK_URL: 'https://example.com/hook', BUBBLEWATCH_ALERT_WEBHOOK_SECRET: 'real' });
    expect(alertChannels(base)).toHaveLength(2);
    const config = demoConfig(base, '/tmp/demo', 'http://127.0.0.1:1', '2023-12-01');
    expect(alertChannels(config)).toEqual([]);
    expect(config.env.alertWebhookSecret).toBeNull();
    expect(config.alerts.pollMs).toBeLessThanOrEqual(1_000);
    expect(config.alerts.drawdownLevels).toEqual(base.alerts.drawdownLevels);
  });
});
