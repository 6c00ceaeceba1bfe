// The HTML report in a real browser: Debian's Chromium (/usr/bin/chromium) driven by playwright-core.
// Every request other than the file itself is blocked and fails the test; so does any console error.
// Screenshots land in tests/artifacts/ (gitignored) for a human to look at.
// Without Chromium the suite is skipped locally, with a message, and fails in CI (CI must install it).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/report/document.js';
import type { Lang } from '../../src/report/render/i18n.js';
import { renderHtml } from '../../src/report/render/html.js';
import { EVIL_HEADLINE, EVIL_SYMBOL, sampleDocument } from '../unit/report/report-fixture.js';
import { universeDocument } from '../unit/report/universe-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const inCi = !!process.env.CI && process.env.CI !== 'false';
const present = existsSync(CHROMIUM);
if (!present && !inCi) {
  console.warn(`[browser tests] SKIPPED: ${CHROMIUM} not found. Install it with: apt-get install -y chromium`);
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Visit {
  page: Page;
  blocked: string[];
  errors: string[];
}

describe.skipIf(!present && !inCi)('HTML report in Chromium', () => {
  let dir: string;
  let context: BrowserContext;
  const blocked: string[] = [];

  beforeAll(async () => {
    if (!present) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
    dir = await mkdtemp(join(tmpdir(), 'bw-browser-'));
    await mkdir(ARTIFACTS, { recursive: true });
    // launchPersistentContext gives the fresh --user-data-dir (plain launch() refuses that flag).
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1000, height: 900 },
      offline: true,
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(html: string, name: string): Promise<Visit> {
    const file = join(dir, `${name}.html`);
    await writeFile(file, html);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    blocked.length = 0;
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, blocked: [...blocked], errors };
  }

  async function visitReport(doc: ReportDocument, lang: Lang, shot: string): Promise<Visit> {
    const visit = await open(renderHtml(doc, lang), shot);
    await visit.page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true });
    return { ...visit, blocked: [...blocked] };
  }

  it.each(['en', 'zh-Hant'] as const)('renders the %s report: charts per symbol, no requests, no errors', async (lang) => {
    const doc = sampleDocument();
    const { page, blocked: requests, errors } = await visitReport(doc, lang, `report-${lang}`);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);

    // The wide renderings: the page is 1000 px wide, so the narrow ones are hidden.
    const charts = await page.evaluate(() =>
      Array.from(document.querySelectorAll('svg[data-chart]')).filter((svg) => svg.getBoundingClientRect().width > 0).map((svg) => {
        const box = svg.getBoundingClientRect();
        return {
          kind: svg.getAttribute('data-chart'),
          symbol: svg.getAttribute('data-symbol'),
          width: box.width,
          height: box.height,
          paths: Array.from(svg.querySelectorAll('path')).filter((p) => (p.getAttribute('d') ?? '').length > 10).length,
          ticks: svg.querySelectorAll('text.tick').length,
        };
      }),
    );
    for (const s of doc.model.symbols) {
      for (const kind of ['price', 'underwater']) {
        const mine = charts.filter((c) => c.kind === kind && c.symbol === s.symbol);
        expect(mine, `${kind} chart of ${s.symbol}`).toHaveLength(1);
      }
    }
    expect(charts.filter((c) => c.kind === 'comparison')).toHaveLength(1);
    expect(charts).toHaveLength(doc.model.symbols.length * 2 + 1);
    for (const c of charts) {
      expect(c.width, `${c.kind} ${c.symbol}`).toBeGreaterThan(600);
      expect(c.height).toBeGreaterThan(100);
      expect(c.paths).toBeGreaterThanOrEqual(c.kind === 'comparison' ? 4 : 2);
      expect(c.ticks).toBeGreaterThanOrEqual(4);
    }
    // One verdict per claim in its card, and again at a glance at the top.
    expect(await page.locator('.claim .badge.verdict').count()).toBe(doc.model.claims.length);
    expect(await page.locator('.glance .badge.verdict').count()).toBe(doc.model.claims.length);
    await expect(page.locator('.glance').isVisible()).resolves.toBe(true);
    expect(await page.locator('svg[data-chart="price"][data-width="wide"] g.event').count()).toBe(3);
  }, 60_000);

  // What a reader sees of each chart: every text element that renders, in page pixels. Hidden
  // renderings (the wide chart on a phone, the narrow one on a desktop) have no box and are skipped.
  async function chartLayout(page: Page) {
    return page.evaluate(() =>
      Array.from(document.querySelectorAll('svg[data-chart]'))
        .filter((svg) => svg.getBoundingClientRect().width > 0)
        .map((svg) => {
          const box = svg.getBoundingClientRect();
          const texts = Array.from(svg.querySelectorAll('text'))
            .map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect() }))
            .filter((t) => t.r.width > 0 && t.r.height > 0)
            .map((t) => ({ text: t.text.trim(), left: t.r.left, right: t.r.right, top: t.r.top, bottom: t.r.bottom }));
          const name = `${svg.getAttribute('data-chart')} ${svg.getAttribute('data-symbol') ?? svg.getAttribute('data-claim') ?? ''}`;
          return { name, box: { left: box.left, right: box.right, top: box.top, bottom: box.bottom, width: box.width }, texts };
        }),
    );
  }

  type Rect = { left: number; right: number; top: number; bottom: number };
  // Half a pixel of slack: anti-aliased edges of neighbouring glyph boxes may touch.
  const SLACK = 0.5;
  const overlaps = (a: Rect, b: Rect) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > SLACK && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > SLACK;
  const outside = (t: Rect, box: Rect) =>
    t.left < box.left - SLACK || t.right > box.right + SLACK || t.top < box.top - SLACK || t.bottom > box.bottom + SLACK;

  /** Every chart text that overlaps another, leaves its chart or is too small, and any text cut off at the window's edge. */
  async function layoutProblems(page: Page): Promise<string[]> {
    const charts = await chartLayout(page);
    expect(charts.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const c of charts) {
      // Chart text must be legible, not a scaled-down desktop chart: 9 px or more on screen.
      for (const t of c.texts) {
        if (t.bottom - t.top < 9) problems.push(`${c.name}: "${t.text}" is ${(t.bottom - t.top).toFixed(1)} px high`);
        if (outside(t, c.box)) problems.push(`${c.name}: "${t.text}" leaves the chart`);
      }
      c.texts.forEach((a, i) =>
        c.texts.slice(i + 1).forEach((b) => {
          if (overlaps(a, b)) problems.push(`${c.name}: "${a.text}" overlaps "${b.text}"`);
        }),
      );
    }
    // Nothing on the page runs past the window's right edge. A wide table may scroll inside its own box
    // on a desktop; on a phone every row is a card and no table scrolls, so none hides a column.
    const cut = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const out: string[] = [];
      if (document.documentElement.scrollWidth > vw) out.push(`page is ${document.documentElement.scrollWidth} px wide`);
      if (vw <= 640) {
        for (const w of Array.from(document.querySelectorAll('.table-wrap'))) {
          if (w.scrollWidth > w.clientWidth + 1) out.push(`a table scrolls at ${vw} px: ${w.querySelector('th')?.textContent ?? ''} (${w.scrollWidth} > ${w.clientWidth})`);
        }
      }
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('.table-wrap, svg') || !n.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of Array.from(range.getClientRects())) {
          if (r.width > 0 && (r.left < -0.5 || r.right > vw + 0.5)) out.push(`"${n.textContent.trim().slice(0, 40)}" runs to ${Math.round(r.right)} px`);
        }
      }
      return out;
    });
    return [...problems, ...cut];
  }

  // `crowded`: two falls end on the same point of the comparison chart (see sampleSeries).
  describe.each([
    ['en', false],
    ['zh-Hant', false],
    ['en', true],
    ['zh-Hant', true],
  ] as const)('layout of the %s report (crowded: %s)', (lang, crowded) => {
    it.each([1280, 390])('at %i px: no chart text overlaps another or leaves its chart, no text is cut off', async (width) => {
      const name = `layout-${lang}${crowded ? '-crowded' : ''}-${width}`;
      const { page } = await open(renderHtml(sampleDocument({ crowded }), lang), name);
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      // The chart where labels crowd most, on its own, for a human to look at.
      await page
        .locator('figure:has(svg[data-chart="comparison"]) svg')
        .filter({ visible: true })
        .screenshot({ path: join(ARTIFACTS, `${name}-comparison.png`) });
      expect(await layoutProblems(page)).toEqual([]);
    }, 60_000);
  });

  // Every claim measured (generated 26-year histories), the indexes stale, an event with a completion
  // date: every reading, table, stale note and chart of issue 22 on the page.
  const universe = universeDocument('2026-05-29', { staleIndexesFrom: '2026-05-12' });
  describe.each(['en', 'zh-Hant'] as const)('layout of the %s report with every claim measured', (lang) => {
    it.each([1280, 390])('at %i px: charts and text fit, the cohort medians are drawn, the stale indexes named', async (width) => {
      const name = `universe-${lang}-${width}`;
      const { page, errors } = await open(renderHtml(universe, lang), name);
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      for (const id of ['orcl-crwv-crash-comparable', 'us-market-chased-ai', 'overextended-selling', 'ai-deal-news']) {
        await page.locator(`#claim-${id}`).screenshot({ path: join(ARTIFACTS, `${name}-${id}.png`) });
      }
      await page.locator('#verdict-history').screenshot({ path: join(ARTIFACTS, `${name}-history.png`) });
      expect(errors).toEqual([]);
      expect(await layoutProblems(page)).toEqual([]);
      // The fall chart draws the cohort medians the verdict is read against, one level per window.
      const levels = page.locator('svg[data-chart="comparison"]').filter({ visible: true }).locator('g.fall-level');
      expect(await levels.count()).toBe(2);
      await expect(page.locator('.glance-title ~ p.stale').first().isVisible()).resolves.toBe(true);
    }, 60_000);
  });

  // Headers show above 640 px (below it each row is a card with its labels); 700 px is where columns
  // are narrowest.
  it.each([1000, 700])('breaks no Chinese table header inside a word, at %i px', async (width) => {
    const { page } = await open(renderHtml(universe, 'zh-Hant'), 'zh-headers');
    await page.setViewportSize({ width, height: 900 });
    // For each header, the characters on either side of every line break: a break between two Chinese
    // characters (no space there) splits a word such as 市值減少.
    const splits = await page.evaluate(() => {
      const out: string[] = [];
      for (const th of Array.from(document.querySelectorAll('th'))) {
        const node = th.firstChild;
        if (!node || node.nodeType !== Node.TEXT_NODE) continue;
        const text = node.textContent ?? '';
        let lastTop: number | null = null;
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const r = range.getBoundingClientRect();
          if (r.width === 0) continue;
          if (lastTop !== null && r.top > lastTop + 4 && /\p{Script=Han}/u.test(text[i]!) && /\p{Script=Han}/u.test(text[i - 1] ?? '')) {
            out.push(`${text.slice(0, i)}/${text.slice(i)}`);
          }
          lastTop = r.top;
        }
      }
      return out;
    });
    expect(splits).toEqual([]);
    // Not vacuous: the headers are there and some wrap (between words).
    expect(await page.locator('th').filter({ visible: true }).count()).toBeGreaterThan(20);
  }, 60_000);

  it("shades two bands of one tone apart in claim 1's history chart and its legend", async () => {
    const { page } = await open(renderHtml(universe, 'en'), 'history-bands');
    const colours = await page.evaluate(() => {
      const fill = (sel: string) => getComputedStyle(document.querySelector(sel)!).fill;
      const bg = (sel: string) => getComputedStyle(document.querySelector(sel)!).backgroundColor;
      const chart = 'svg[data-chart="history"][data-claim="orcl-crwv-crash-comparable"][data-width="wide"]';
      return {
        strong: fill(`${chart} rect.band.holds.strong`),
        plain: fill(`${chart} rect.band.holds:not(.strong)`),
        strongSwatch: bg('.legend .swatch.band.holds.strong'),
        plainSwatch: bg('.legend .swatch.band.holds:not(.strong)'),
      };
    });
    expect(colours.strong).not.toBe(colours.plain);
    expect(colours.strongSwatch).not.toBe(colours.plainSwatch);
  }, 60_000);

  it('shows markup in a symbol or headline as text and runs nothing', async () => {
    const { page } = await open(renderHtml(sampleDocument(), 'en'), 'hostile');
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(page.getByRole('heading', { name: EVIL_SYMBOL, exact: true }).isVisible()).resolves.toBe(true);
    expect(await page.getByText(EVIL_HEADLINE).count()).toBeGreaterThan(0);
    expect(await page.getByText('Evil | <b>Corp</b>').count()).toBeGreaterThan(0);
  }, 60_000);

  it('shows the simulated-data banner', async () => {
    const { page, errors } = await visitReport(sampleDocument({ simulated: true }), 'en', 'report-simulated');
    expect(errors).toEqual([]);
    await expect(page.locator('[data-simulated="true"]').isVisible()).resolves.toBe(true);
    expect(await page.locator('.badge.sim').count()).toBeGreaterThan(1);
  }, 60_000);

  it('blocks and reports any request a page makes (the guard itself works)', async () => {
    const { blocked: requests } = await open('<!doctype html><img src="http://example.invalid/x.png"><p>x</p>', 'guard');
    expect(requests).toEqual(['http://example.invalid/x.png']);
  }, 60_000);
});
