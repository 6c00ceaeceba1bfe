import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCookieFile, openCookieJar } from '../../../src/providers/yahoo/cookie-jar.js';

const dir = mkdtempSync(join(tmpdir(), 'bw-cookies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SET_COOKIE = 'A3=abc; Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure; HttpOnly';

describe(openCookieJar.name, () => {
  it('persists cookies in the data dir across jars', async () => {
    const file = defaultCookieFile(join(dir, 'data'));
    const jar = openCookieJar(file);
    await jar.setFromSetCookieHeaders([SET_COOKIE], 'https://finance.yahoo.com/quote/AAPL');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty(['yahoo.com', '/', 'A3']);
    const again = openCookieJar(file);
    expect(await again.getCookieString('https://query2.finance.yahoo.com/v7/finance/quote')).toBe('A3=abc');
  });

  it('moves a corrupt file aside and starts empty', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{not json');
    const moved: string[] = [];
    const jar = openCookieJar(file, (info) => moved.push(info.movedTo));
    expect(moved).toEqual([`${file}.corrupt`]);
    expect(existsSync(`${file}.corrupt`)).toBe(true);
    expect(await jar.getCookieString('https://finance.yahoo.com/')).toBe('');
  });

  it('lives in memory without a file', async () => {
    const jar = openCookieJar();
    await jar.setFromSetCookieHeaders([SET_COOKIE], 'https://finance.yahoo.com/quote/AAPL');
    expect(await jar.getCookieString('https://finance.yahoo.com/')).toBe('A3=abc');
  });
});

describe('the cookie jar file is private', () => {
  const mode = (path: string) => statSync(path).mode & 0o777;

  it('a new jar is 0600 in a new 0700 directory, and stays so after the store rewrites it', async () => {
    const file = defaultCookieFile(join(dir, 'fresh-data'));
    const jar = openCookieJar(file);
    expect(mode(file)).toBe(0o600);
    expect(mode(join(dir, 'fresh-data'))).toBe(0o700);
    await jar.setFromSetCookieHeaders([SET_COOKIE], 'https://finance.yahoo.com/quote/AAPL');
    expect(readFileSync(file, 'utf8')).toContain('A3');
    expect(mode(file)).toBe(0o600);
  });

  it('an existing jar left 0644 by an earlier version is tightened to 0600 on open', () => {
    const file = join(dir, 'old-cookies.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    chmodSync(file, 0o644);
    openCookieJar(file);
    expect(mode(file)).toBe(0o600);
  });
});
