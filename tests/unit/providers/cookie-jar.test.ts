import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
