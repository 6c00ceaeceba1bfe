// The Traditional Chinese report and live page as a reader of Chinese sees them: the words issue 22
// found wrong are gone, one word for the watchlist throughout, and no English sentence anywhere but
// names and tickers. Checked on the rendered Markdown and on the visible text of the HTML (tags,
// styles and attribute names stripped), over a generated universe in which every claim is measured,
// the indexes are stale and an event has a completion date.
import { describe, expect, it } from 'vitest';
import { renderLiveMain } from '../../../src/live/render/live-page.js';
import type { LiveSnapshot } from '../../../src/live/live-model.js';
import { renderHtml } from '../../../src/report/render/html.js';
import { renderMarkdown } from '../../../src/report/render/markdown.js';
import { universeDocument } from './universe-fixture.js';

const doc = universeDocument('2026-05-29', { staleIndexesFrom: '2026-05-12' });

/** The text a browser shows: no <style>, no tags, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Latin words that may stand in Chinese text: tickers, the names of companies, funds, indexes and
 * methods, and the symbols of the formulas (t, s, CAR, AR, r_m).
 */
const NAMES = new Set([
  'AMZN', 'ORCL', 'CRWV', 'GOOGL', 'QCOM', 'INTC', 'NVDA', 'META', 'GSPC', 'IXIC', 'RSP', 'US', 'CoreWeave', 'OpenAI', 'Lepton', 'Manus', 'Meta',
  'Google', 'Fusion', 'Fund', 'Yahoo', 'Finance', 'Invesco', 'ETF', 'AI', 'GPU', 'Spearman', 'pyfolio', 'CAR', 'AR', 'CSV', 'Nasdaq', 'Inc',
  'S', 'P', 'Dow', 'Jones', 'Indices', 'NASDAQ', 'Composite', 'DeepSeek',
  // The watchlist's company names (config/bubblewatch.json).
  'Amazon', 'com', 'Oracle', 'Corporation', 'Alphabet', 'Class', 'QUALCOMM', 'Incorporated', 'Intel', 'NVIDIA', 'Platforms',
]);

/** Runs of three or more Latin words in a row that are not all names: English sentences. */
function englishRuns(text: string): string[] {
  const runs = text.match(/[A-Za-z][A-Za-z'’_-]*(?:[ ,.;:]+[A-Za-z][A-Za-z'’_-]*){2,}/g) ?? [];
  return runs.filter((run) => run.split(/[ ,.;:]+/).some((w) => w.length > 1 && !NAMES.has(w.replace(/[’'].*$/, ''))));
}

const FOUND_WRONG = ['相對跌幅', '依舊規則', '低於：', '[EST]', '\\[EST\\]', 'down round', 'down rounds'];

describe('the Traditional Chinese report', () => {
  const md = renderMarkdown(doc, 'zh-Hant');
  const html = visibleText(renderHtml(doc, 'zh-Hant'));

  it.each([
    ['Markdown', md],
    ['HTML', html],
  ])('%s: none of the words issue 22 found wrong, one word for the watchlist, one kind of equals sign', (_kind, text) => {
    for (const wrong of FOUND_WRONG) expect(text, wrong).not.toContain(wrong);
    expect(text).toContain('參考跌幅');
    expect(text).toContain('觀察清單');
    expect(text).not.toContain('觀察名單');
    expect(text).not.toContain('＝');
    // The fixture says what the checks are about: stale indexes, a completion date, both readings.
    expect(text).toContain('資料過時');
    expect(text).toContain('完成');
    expect(text).toContain('成交量解讀');
  });

  it.each([
    ['Markdown', md],
    ['HTML', html],
  ])('%s: no English sentence, only names and tickers', (_kind, text) => {
    expect(englishRuns(text)).toEqual([]);
  });

  it('the check itself finds an English sentence (it is not vacuous)', () => {
    expect(englishRuns(`${md} the verdict changed from comparable`)).toEqual(['the verdict changed from comparable']);
    expect(englishRuns('Fusion Fund 創辦人；CoreWeave (CRWV-US)；Yahoo Finance')).toEqual([]);
  });
});

describe('the Traditional Chinese live page', () => {
  const snap: LiveSnapshot = {
    generatedAt: '2026-05-29T20:00:00Z',
    asOf: '2026-05-29',
    timeZone: 'America/New_York',
    symbols: [
      {
        symbol: 'ORCL',
        name: 'Oracle Corporation',
        price: 225.78,
        kind: 'quote',
        date: '2026-05-29',
        at: '2026-05-29T19:55:00Z',
        marketState: 'REGULAR',
        previousClose: 220,
        change: 225.78 / 220 - 1,
        athClose: 328.33,
        athDate: '2025-09-10',
        drawdown: 225.78 / 328.33 - 1,
        intraday: [],
      },
    ],
    missing: ['CRWV'],
    claims: [
      { id: 'orcl-crwv-crash-comparable', kind: 'drawdown_vs_reference', text: { en: 'x', 'zh-Hant': '近期甲骨文 (ORCL-US) 的市值已出現大幅回調' }, verdict: 'inconclusive', provisional: true, asOf: '2026-05-29', distances: [] },
    ],
    freshness: { lastQuoteAt: '2026-05-29T19:55:00Z', lastBarDate: '2026-05-28' },
    health: { status: 'fail', reasons: ['data stale'], problems: [{ kind: 'stale', newest: '2026-05-11', expected: '2026-05-28' }, { kind: 'yahoo' }] },
    alerts: [
      {
        id: 1,
        rule: 'stale_data',
        symbol: '^GSPC',
        claimId: null,
        message: '^GSPC data is stale: the last bar is 2026-05-11, expected 2026-05-28 or later',
        payload: { symbol: '^GSPC', stale: true, lastBar: '2026-05-11', expected: '2026-05-28' },
        status: 'confirmed',
        firedAt: '2026-05-28T21:00:00Z',
      },
      {
        id: 2,
        rule: 'sync_failed',
        symbol: null,
        claimId: null,
        message: 'sync #12 partial: 1 symbol(s) failed (CRWV): HTTP 503 Service Unavailable',
        payload: { runId: 12, status: 'partial', failedCount: 1, failures: [{ symbol: 'CRWV', reason: 'HTTP 503 Service Unavailable' }] },
        status: 'confirmed',
        firedAt: '2026-05-28T21:00:00Z',
      },
      {
        id: 3,
        rule: 'verdict_change',
        symbol: null,
        claimId: 'orcl-crwv-crash-comparable',
        message: 'claim orcl-crwv-crash-comparable: the verdict would change (provisional, intraday) from partly_comparable to inconclusive',
        payload: { claimId: 'orcl-crwv-crash-comparable', from: 'partly_comparable', to: 'inconclusive', at: '2026-05-29T19:55:00Z' },
        status: 'provisional',
        firedAt: '2026-05-29T19:55:00Z',
      },
    ],
    simulated: false,
  };

  it('has no English sentence: alerts, market state, verdicts and health in Chinese', () => {
    const text = visibleText(renderLiveMain(snap, 'zh-Hant'));
    expect(text).toContain('盤中');
    expect(text).toContain('無法判定');
    expect(text).toContain('第 12 次同步部分失敗');
    expect(text).toContain('說法 1 的判定若現在收盤將由「部分相當」變為「無法判定」');
    expect(englishRuns(text)).toEqual([]);
    // The English page says the same in English.
    expect(visibleText(renderLiveMain(snap, 'en'))).toContain('Claim 1: the verdict would change (provisional, intraday) from Partly comparable to Inconclusive');
  });
});
