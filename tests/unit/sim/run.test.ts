import { describe, expect, it } from 'vitest';
import { runSim, simServerOptions } from '../../../src/sim/run.js';

describe(simServerOptions.name, () => {
  it('maps CLI options to server options', () => {
    expect(simServerOptions({ data: '/x', now: '2025-01-02', faults: 0.1, seed: 3, host: '127.0.0.1', port: 0 })).toEqual({
      source: { kind: 'csv', dir: '/x' },
      now: '2025-01-02',
      faults: 0.1,
      seed: 3,
      host: '127.0.0.1',
      port: 0,
    });
    expect(simServerOptions({})).toEqual({ source: { kind: 'synthetic' } });
  });
});

describe(runSim.name, () => {
  it('starts the feed and logs its URL', async () => {
    const lines: { obj: Record<string, unknown>; msg?: string }[] = [];
    const server = await runSim({ now: '2025-01-02', port: 0 }, { info: (obj, msg) => lines.push({ obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) }) });
    try {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ msg: 'simulated Yahoo feed listening', obj: { url: server.url, now: '2025-01-02', source: 'synthetic' } });
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await server.close();
    }
  });
});
