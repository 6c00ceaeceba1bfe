// How each verdict has aged: a hand-built stock whose return against a flat index crosses zero on known
// sessions, so the verdict of a "beats the index" claim must change on exactly those dates; then the
// same history rendered in both languages, as a chart in HTML and a table in both renderings.
import { describe, expect, it } from 'vitest';
import type { ClosePoint, IsoDate } from '../../../src/domain.js';
import { parseClaimsConfig } from '../../../src/analysis/claims/config.js';
import { buildReportDocument } from '../../../src/report/document.js';
import { buildReportModel } from '../../../src/report/model.js';
import { renderHtml } from '../../../src/report/render/html.js';
import { reportJson } from '../../../src/report/render/json.js';
import { renderMarkdown } from '../../../src/report/render/markdown.js';
import { storedAsOf } from './fixtures.js';
import { sampleClaimsConfig, sampleSeries } from './report-fixture.js';
import { decidingFigure } from '../../../src/analysis/claims/deciding-figure.js';

const words = { en: 'x', 'zh-Hant': '甲' };
const pts = (rows: [IsoDate, number][]): ClosePoint[] => rows.map(([date, close]) => ({ date, close }));

function config(bands = [{ min: 0.75, verdict: 'supported' }, { min: 0.5, verdict: 'partly_supported' }], extra: object[] = []) {
  return parseClaimsConfig({
    article: { date: '2026-01-01', language: 'zh-Hant', summary: words },
    referenceEpisodes: [
      {
        id: 'gfc2008',
        symbol: '^GSPC',
        name: words,
        window: { from: '2007-01-01', to: '2009-12-31' },
        peakDate: '2007-10-09',
        troughDate: '2009-03-09',
        peakClose: 1565.15,
        troughClose: 676.53,
        depth: -0.5678,
        citation: 'S&P',
      },
    ],
    claims: [
      {
        id: 'chase',
        kind: 'returns_vs_benchmarks',
        text: { en: 'The chase', 'zh-Hant': '高度追捧' },
        saidBy: words,
        tickers: ['A'],
        benchmarks: ['I'],
        period: { from: '2026-01-01', to: '2026-12-31' },
        bands,
      },
      { id: 'later', kind: 'forward_looking', text: words, saidBy: words, wouldTestIt: words },
      ...extra,
    ],
  });
}

// I stays at 100 (a 0 % return). A: -1 % on Jan 2 (not beating), +1 % on Jan 5 and +2 % on Jan 6
// (beating), back to 0 % on Jan 7 and 8 (a tie is not a beat).
const SERIES = new Map([
  ['I', pts([['2025-12-31', 100], ['2026-01-02', 100], ['2026-01-05', 100], ['2026-01-06', 100], ['2026-01-07', 100], ['2026-01-08', 100]])],
  ['A', pts([['2025-12-31', 100], ['2026-01-02', 99], ['2026-01-05', 101], ['2026-01-06', 102], ['2026-01-07', 100], ['2026-01-08', 100]])],
]);

function model(asOf: IsoDate, cfg = config()) {
  return buildReportModel({ asOf, ...storedAsOf(SERIES, asOf), claimsConfig: cfg });
}

describe('verdict history', () => {
  it('judges every claim at the article date and each session after it, with the changes dated', () => {
    const h = model('2026-01-08').verdictHistory!;
    expect(h.dates).toEqual(['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08']);
    const [chase, later] = h.claims;
    // On the article's date the period has no session yet: no figure.
    expect(chase!.figures).toEqual([null, 0, 1, 1, 0, 0]);
    expect(chase!.verdicts).toEqual(['insufficient_data', 'not_supported', 'supported', 'supported', 'not_supported', 'not_supported']);
    expect(chase!.changes).toEqual([
      { date: '2026-01-02', from: 'insufficient_data', to: 'not_supported', figure: 0 },
      { date: '2026-01-05', from: 'not_supported', to: 'supported', figure: 1 },
      { date: '2026-01-07', from: 'supported', to: 'not_supported', figure: 0 },
    ]);
    expect(chase!.bands!.map((b) => ('min' in b ? b.min : null))).toEqual([0.75, 0.5]);
    expect(later).toMatchObject({ kind: 'forward_looking', figures: [null, null, null, null, null, null], changes: [], bands: null });
  });

  it("ends on the report's own verdict and figure", () => {
    const m = model('2026-01-06');
    const chase = m.verdictHistory!.claims[0]!;
    expect(chase.verdicts.at(-1)).toBe(m.claims[0]!.verdict);
    expect(chase.figures.at(-1)).toBe((m.claims[0] as { figure: number }).figure);
  });

  it('judges every claim kind of the shipped config as the report does on the same date', () => {
    // On the article's date the history's one point is the report itself: same verdicts, same figures
    // (the summaries the drawdown claim reads are made on demand there, eagerly in the report).
    // Claim 1 by its index reading, which the fixture can measure (the cohort needs 2000 and 2008 histories).
    const m = buildReportModel({ asOf: '2026-01-01', ...storedAsOf(sampleSeries(), '2026-01-01'), claimsConfig: sampleClaimsConfig({ verdictReading: 'index' }) });
    const h = m.verdictHistory!;
    expect(h.dates).toEqual(['2026-01-01']);
    expect(h.claims.map((c) => [c.id, c.verdicts[0], c.figures[0]])).toEqual(m.claims.map((c) => [c.id, c.verdict, decidingFigure(c)]));
    // Not vacuous: some claims are measured in the fixture.
    expect(h.claims.filter((c) => typeof c.figures[0] === 'number').length).toBeGreaterThan(0);
  });

  it('follows changed bands without any change of its own (the same evaluators judge every session)', () => {
    const h = model('2026-01-08', config([{ min: 0, verdict: 'supported' }])).verdictHistory!;
    // A share of 0 now reaches the only band: supported from the first session with a figure on.
    expect(h.claims[0]!.changes).toEqual([{ date: '2026-01-02', from: 'insufficient_data', to: 'supported', figure: 0 }]);
  });

  it('is empty before the article, and starts with the article date itself on it', () => {
    expect(model('2025-12-31').verdictHistory).toBeNull();
    expect(model('2026-01-01').verdictHistory!.dates).toEqual(['2026-01-01']);
  });

  it('goes into the JSON next to the present fields', () => {
    const doc = buildReportDocument({ asOf: '2026-01-08', ...storedAsOf(SERIES, '2026-01-08'), claimsConfig: config(), generatedAt: new Date(0) });
    const json = reportJson(doc);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['asOf', 'basis', 'symbols', 'episodes', 'claims', 'verdictHistory']));
    expect(JSON.parse(JSON.stringify(json.verdictHistory))).toEqual(json.verdictHistory);
  });
});

describe('verdict history, rendered', () => {
  const doc = (asOf: IsoDate) =>
    buildReportDocument({ asOf, ...storedAsOf(SERIES, asOf), claimsConfig: config(), generatedAt: new Date('2026-01-09T00:00:00Z') });

  it('draws a chart with the bands shaded and a table of changes in HTML, in English and Chinese', () => {
    const en = renderHtml(doc('2026-01-08'), 'en');
    expect(en).toContain('How each verdict has aged');
    // One chart, drawn at both widths; the forward-looking claim has no figure to chart.
    expect(en.split('data-chart="history"').length - 1).toBe(2);
    expect(en).toMatch(/<rect class="band holds"[^>]*><title>Supported<\/title>/);
    expect(en).toMatch(/<rect class="band fails"[^>]*><title>Not supported<\/title>/);
    // Dots where the verdict changed: Jan 2 (from insufficient data), Jan 5, Jan 7.
    expect(en.split('class="history-change"').length - 1).toBe(3 * 2);
    expect(en).toContain('Jan 5, 2026');
    const zh = renderHtml(doc('2026-01-08'), 'zh-Hant');
    expect(zh).toContain('各項判定的變化');
    expect(zh).toMatch(/<rect class="band holds"[^>]*><title>有數據支持<\/title>/);
    expect(zh).toContain('2026年1月5日');
    expect(zh).toContain('尚無法檢驗（對未來的陳述）');
  });

  it('stacks the bands top-down without gaps, from the top of the plot to its bottom', () => {
    // The wide rendering (each chart is drawn at both widths).
    const page = renderHtml(doc('2026-01-08'), 'en');
    const svg = page.slice(page.indexOf('data-chart="history"'), page.indexOf('</svg>', page.indexOf('data-chart="history"')));
    expect(svg).toContain('data-width="wide"');
    const rects = [...svg.matchAll(/<rect class="band (\w+)" x="[\d.]+" width="[\d.]+" y="([\d.]+)" height="([\d.]+)"/g)].map((r) => ({
      tone: r[1],
      top: Number(r[2]),
      bottom: Number(r[2]) + Number(r[3]),
    }));
    expect(rects.map((r) => r.tone)).toEqual(['holds', 'partly', 'fails']);
    // The plot box of a 200-px chart frame: top margin 26, bottom margin 42.
    expect(rects[0]!.top).toBeCloseTo(26, 6);
    expect(rects[0]!.bottom).toBeCloseTo(rects[1]!.top, 6);
    expect(rects[1]!.bottom).toBeCloseTo(rects[2]!.top, 6);
    expect(rects[2]!.bottom).toBeCloseTo(200 - 42, 6);
    // Figures 0 and 1 and band edges 0.5 and 0.75, padded by 15 % of the span: the domain is
    // -0.15..1.15 over 132 px, so the 0.75 edge sits at 26 + 132 * (1.15 - 0.75) / 1.3.
    expect(rects[0]!.bottom).toBeCloseTo(26 + (132 * 0.4) / 1.3, 6);
  });

  it('draws its axes at both widths: dates along the bottom, the figure at the left', () => {
    const page = renderHtml(doc('2026-01-08'), 'en');
    for (const width of ['wide', 'narrow']) {
      const start = page.search(new RegExp(`<svg[^>]*data-chart="history"[^>]*data-width="${width}"`));
      expect(start, width).toBeGreaterThan(-1);
      const svg = page.slice(start, page.indexOf('</svg>', start));
      const ticks = [...svg.matchAll(/<text class="tick"[^>]*>([^<]+)<\/text>/g)].map((t) => t[1]!);
      expect(ticks.some((t) => /%$/.test(t)), `${width}: ${ticks.join(' | ')}`).toBe(true);
      expect(ticks.some((t) => /Jan|2026/.test(t)), `${width}: ${ticks.join(' | ')}`).toBe(true);
    }
  });

  it('shows where a verdict that never changed stands on the report date, without raw HTML in Markdown', () => {
    // A and I get a close on Dec 30, so a period from Dec 31 is measured from the article's date on;
    // a band every share reaches keeps the verdict at supported throughout.
    const steady = {
      id: 'steady',
      kind: 'returns_vs_benchmarks',
      text: words,
      saidBy: words,
      tickers: ['A'],
      benchmarks: ['I'],
      period: { from: '2025-12-31', to: '2026-12-31' },
      bands: [{ min: -1, verdict: 'supported' }],
    };
    const cfg = config(undefined, [steady]);
    const earlier = new Map([...SERIES].map(([sym, p]) => [sym, [{ date: '2025-12-30', close: 100 }, ...p]]));
    const d = buildReportDocument({ asOf: '2026-01-08', ...storedAsOf(earlier, '2026-01-08'), claimsConfig: cfg, generatedAt: new Date(0) });
    expect(d.model.verdictHistory!.claims[2]!.changes).toEqual([]);
    const en = renderMarkdown(d, 'en');
    const section = en.slice(en.indexOf('## How each verdict has aged'), en.indexOf('## Reference episodes'));
    expect(section).toContain("| Claim 3 | Jan 1, 2026 | at the article's date | 🟢 **Supported** |");
    // Jan 8: A at 100 against 100 on Dec 30, a 0 % return, tied with I: a share of 0.
    expect(section).toContain('| Claim 3 | Jan 8, 2026 | unchanged since the article | 🟢 **Supported** | 0% |');
    expect(section).not.toContain('<br>');
    const zh = renderMarkdown(d, 'zh-Hant');
    expect(zh).toContain('| 說法 3 | 2026年1月8日 | 報導發布後未改變 | 🟢 **有數據支持** | 0% |');
  });

  it('lists the changes in a Markdown table, in English and Chinese', () => {
    const en = renderMarkdown(doc('2026-01-08'), 'en');
    const section = en.slice(en.indexOf('## How each verdict has aged'));
    expect(section).toContain('| Claim 1 | Jan 5, 2026 | 🔴 **Not supported** | 🟢 **Supported** | 100% |');
    expect(section).toContain('| Claim 1 | Jan 7, 2026 | 🟢 **Supported** | 🔴 **Not supported** | 0% |');
    expect(section).toContain('| Claim 2 | – | – | not testable yet (a statement about the future) | – |');
    const zh = renderMarkdown(doc('2026-01-08'), 'zh-Hant');
    expect(zh).toContain('## 各項判定的變化');
    expect(zh).toContain('| 說法 1 | 2026年1月5日 | 🔴 **數據不支持** | 🟢 **有數據支持** | 100% |');
  });

  it('says why there is no history before the article, in both languages', () => {
    expect(renderMarkdown(doc('2025-12-31'), 'en')).toContain('The article appeared on Jan 1, 2026, after this report');
    expect(renderMarkdown(doc('2025-12-31'), 'zh-Hant')).toContain('報導發布於 2026年1月1日，晚於本報告日期');
    expect(renderHtml(doc('2025-12-31'), 'en')).not.toContain('data-chart="history"');
  });
});
