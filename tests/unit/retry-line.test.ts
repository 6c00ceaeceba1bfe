// The terminal's progress line while a sync waits to retry: what a frozen-looking bar is waiting for.
import { describe, expect, it } from 'vitest';
import { describeRetry } from '../../src/cli/commands/ingest.js';

describe(describeRetry.name, () => {
  it('names the symbol, the HTTP status (or the failure kind) and the wait in whole seconds', () => {
    const base = { endpoint: 'chart' as const, subject: 'ORCL', attempt: 1 };
    expect(describeRetry({ ...base, kind: 'rate_limited', status: 429, delayMs: 29_600 })).toBe('ORCL: 429, retrying in 30 s');
    expect(describeRetry({ ...base, kind: 'network', status: undefined, delayMs: 740 })).toBe('ORCL: network, retrying in 1 s');
  });
});
