import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../src/log.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const URL_WITH_SECRET = 'postgres://bubble:s3cr3t-pw@db.example:5432/market';

describe('logger', () => {
  it('writes structured JSON: fields first, constant message, errors under err', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, level: 'info' }).child({ job: 'sync' });
    log.info({ symbol: 'ORCL', rows: 3 }, 'bars upserted');
    log.warn({ err: new Error('boom') }, 'symbol skipped');
    const [first, second] = out.parsed();
    expect(first).toMatchObject({ level: 30, job: 'sync', symbol: 'ORCL', rows: 3, msg: 'bars upserted' });
    expect(second).toMatchObject({ msg: 'symbol skipped', err: { type: 'Error', message: 'boom' } });
  });

  it('never writes a database password, wherever it hides', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream });
    log.info({ url: URL_WITH_SECRET, nested: { list: [URL_WITH_SECRET] } }, 'connecting');
    log.error({ err: new Error(`connect ECONNREFUSED ${URL_WITH_SECRET}`) }, 'database unreachable');
    log.info({ databaseUrl: URL_WITH_SECRET, password: 's3cr3t-pw' }, 'config loaded');
    log.info(`message with ${URL_WITH_SECRET}`);
    const text = out.lines.join('\n');
    expect(out.lines).toHaveLength(4);
    expect(text).not.toContain('s3cr3t-pw');
    expect(text).toContain('postgres://***:***@db.example:5432/market');
  });

  it('masks secret-named parameters of URLs, and tokens and authorization headers by key', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream });
    log.warn({ reason: 'fetch failed: https://hooks.example/a?token=T0ken-9&x=1', token: 'T0ken-9', headers: { authorization: 'Basic T0ken-9' } }, 'alert delivery failed');
    log.info({ err: new Error('bad url postgres://h/db?password=T0ken-9') }, 'x');
    const text = out.lines.join('\n');
    expect(text).not.toContain('T0ken-9');
    expect(text).toContain('https://hooks.example/a?token=***&x=1');
  });

  it('redactUrl (the one in src/redact.ts) is the logger\'s', () => {
    expect(redactUrl('see https://a:b@x.y/z?sig=1')).toBe('see https://***:***@x.y/z?sig=***');
  });
});
