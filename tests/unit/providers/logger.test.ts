import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { libLogger, type ProviderLogger } from '../../../src/providers/yahoo/logger.js';

function pinoLines(level: pino.LevelWithSilent) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe(libLogger.name, () => {
  it("takes a pino logger and sends all of yahoo-finance2's output to debug", async () => {
    const { logger, lines } = pinoLines('debug');
    const provider: ProviderLogger = logger; // pino fits the interface as is
    const lib = libLogger(provider);
    lib.warn('[yahoo-finance2] Unsupported environment: Requires Node >= 22.0.0, found 20.20.2');
    lib.debug('fetch', 'https://query1.finance.yahoo.com/v1/test/getcrumb');
    lib.dir({ a: 1 });
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.level, l.msg, l.libLevel])).toEqual([
      [20, 'yahoo-finance2 says', 'warn'],
      [20, 'yahoo-finance2 says', 'debug'],
      [20, 'yahoo-finance2 says', 'dir'],
    ]);
    expect(lines[0]!.detail).toContain('Unsupported environment');
    expect(lines[1]!.detail).toBe('fetch https://query1.finance.yahoo.com/v1/test/getcrumb');
    expect(lines[2]!.detail).toBe('{"a":1}');
  });

  it('is silent at info level', async () => {
    const { logger, lines } = pinoLines('info');
    libLogger(logger).warn('anything');
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual([]);
  });
});
