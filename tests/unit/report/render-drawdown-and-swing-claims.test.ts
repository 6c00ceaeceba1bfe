// Claims 1 and 2 as the reader sees them, in English and Traditional Chinese: claim 1's three readings
// with their rules and the falls behind them (ORCL's own 2000-02 fall, each window's cohort median),
// claim 2's judged year, baseline definitions and each stock beside its own median year. The model's
// figures are set by hand here (the real 2025-12-31 values), so only the rendering is under test.
import { describe, expect, it } from 'vitest';
import type { DrawdownClaimResult } from '../../../src/analysis/claims/drawdown-claim.js';
import type { SwingClaimResult, TickerSwings } from '../../../src/analysis/claims/swing-claim.js';
import type { ReportDocument } from '../../../src/report/document.js';
import { renderHtml } from '../../../src/report/render/html.js';
import { renderMarkdown } from '../../../src/report/render/markdown.js';
import { sampleDocument } from './report-fixture.js';

const DOTCOM = { from: '2000-01-01', to: '2002-12-31' };
const GFC = { from: '2007-01-01', to: '2009-12-31' };

function episode(peakDate: string, troughDate: string, depth: number) {
  return { peakDate, peakClose: 100, troughDate, troughClose: 100 * (1 + depth), recoveryDate: null, depth, sessionsToTrough: 1, sessionsToRecovery: null };
}

function withReadings(doc: ReportDocument): ReportDocument {
  const d = structuredClone(doc);
  const c = d.model.claims[0] as DrawdownClaimResult;
  const orcl = c.tickers.find((t) => t.ticker === 'ORCL')!;
  orcl.drawdown = -0.4064;
  orcl.windowFalls = [
    { referenceId: 'dotcom', ...DOTCOM, episode: episode('2000-09-01', '2002-06-03', -0.8419) },
    { referenceId: 'gfc2008', ...GFC, episode: episode('2008-08-08', '2009-03-09', -0.4111) },
  ];
  c.tickers.find((t) => t.ticker === 'CRWV')!.windowFalls = [
    { referenceId: 'dotcom', ...DOTCOM, episode: null },
    { referenceId: 'gfc2008', ...GFC, episode: null },
  ];
  const member = (symbol: string, depth: number) => ({ symbol, depth, peakDate: '2000-03-10', troughDate: '2002-10-09' });
  c.cohorts = [
    {
      referenceId: 'dotcom',
      ...DOTCOM,
      members: [member('AMZN', -0.9332), member('ORCL', -0.8419), member('QCOM', -0.8675), member('INTC', -0.8234), member('NVDA', -0.8972)],
      notTrading: ['CRWV', 'GOOGL', 'META'],
      median: -0.8675,
    },
  ];
  const cmp = (ticker: string, referenceId: string, tickerDrawdown: number, referenceDepth: number, band: string) => ({
    ticker,
    referenceId,
    tickerDrawdown,
    referenceDepth,
    ratio: tickerDrawdown / referenceDepth,
    band,
  });
  c.readings = [
    {
      reading: 'index',
      verdict: 'partly_comparable',
      deciding: { ticker: 'ORCL', referenceId: 'gfc2008', ratio: 0.4064 / 0.5678 },
      comparisons: [cmp('ORCL', 'gfc2008', -0.4064, -0.5678, 'partly_comparable')],
      unmeasured: [],
    },
    {
      reading: 'own_history',
      verdict: 'insufficient_data',
      deciding: null,
      comparisons: [cmp('ORCL', 'dotcom', -0.4064, -0.8419, 'not_comparable')],
      unmeasured: ['CRWV'],
    },
    {
      reading: 'cohort',
      verdict: 'not_comparable',
      deciding: { ticker: 'ORCL', referenceId: 'dotcom', ratio: 0.4064 / 0.8675 },
      comparisons: [cmp('ORCL', 'dotcom', -0.4064, -0.8675, 'not_comparable')],
      unmeasured: [],
    },
  ];
  c.verdictReading = 'cohort';
  c.verdict = 'not_comparable';
  c.deciding = c.readings[2]!.deciding;
  return d;
}

function withBaseline(doc: ReportDocument): ReportDocument {
  const d = structuredClone(doc);
  const c = d.model.claims[1] as SwingClaimResult;
  c.metric = 'share_above_own_median_swings';
  c.judgedYear = { after: '2024-12-31', to: '2025-12-31' };
  c.minBaselineYears = 3;
  c.minBaselineCoverage = 0.5;
  c.shares = [
    // The earlier rule without a verdict (a named stock without prices), its share still in a band.
    { metric: 'share_with_min_swings', verdict: 'insufficient_data', share: 1, band: 'supported', counted: 5, measured: 5, unmeasured: [] },
    { metric: 'share_with_elevated_volatility', verdict: 'not_supported', share: 0.2, band: 'not_supported', counted: 1, measured: 5, unmeasured: [] },
    { metric: 'share_above_own_median_swings', verdict: 'partly_supported', share: 0.5, band: 'partly_supported', counted: 2, measured: 4, unmeasured: ['CRWV'] },
    { metric: 'share_above_own_median_volatility', verdict: 'supported', share: 0.75, band: 'supported', counted: 3, measured: 4, unmeasured: ['CRWV'] },
  ];
  Object.assign(c, { verdict: 'partly_supported', share: 0.5, counted: 2, measured: 4 });
  const years = [1987, 1988, 1989].map((year) => ({ year, swings: 6, volatility: 0.37 }));
  for (const t of c.tickers as TickerSwings[]) {
    t.baseline =
      t.ticker === 'CRWV'
        ? { years: [], swings: null, volatility: null }
        : {
            years,
            swings: { value: 17, median: 6, percentile: 81.6, aboveMedian: true },
            volatility: { value: 0.59, median: 0.368, percentile: 78.9, aboveMedian: true },
          };
  }
  return d;
}

const doc = withBaseline(withReadings(sampleDocument()));

/** The Markdown of one claim's section. */
function section(md: string, n: number): string {
  const start = md.search(new RegExp(`^### [^\\n]*${n}(: |：)`, 'm'));
  const rest = md.slice(start + 4);
  return md.slice(start, start + 4 + rest.search(/^### /m));
}

describe('claim 1: the three readings in words', () => {
  it('names each reading with its rule, the one the verdict follows, and the falls behind them (en)', () => {
    const md = section(renderMarkdown(doc, 'en'), 1);
    expect(md).toMatch(/Reading \(a\), the index falls: [^\n]*Shown for comparison\./);
    expect(md).toMatch(/Reading \(b\), the stock's own fall: [^\n]*"Insufficient data": CRWV cannot be measured this way\. Shown for comparison\./);
    expect(md).toMatch(/Reading \(c\), the cohort: [^\n]*Decided by ORCL, whose fall is 46.8% as deep as the cohort's median fall of -86\.75%[^\n]*The verdict follows this reading\./);
    expect(md).toContain("ORCL's own deepest fall in the 2000 dot-com bubble (NASDAQ Composite) window (Jan 1, 2000 – Dec 31, 2002): -84.19%, from Sep 1, 2000 to Jun 3, 2002.");
    expect(md).toContain('5 watchlist stocks traded throughout it (AMZN -93.3%, ORCL -84.2%, QCOM -86.8%, INTC -82.3%, NVDA -89.7%); median -86.75%. Not trading throughout: CRWV, GOOGL, META.');
    expect(md).toContain('CRWV did not trade throughout any reference window');
    expect(md).toContain("Each stock's fall runs to its latest close and may not be over");
    // The readings table: one row per stock and reading.
    expect(md).toContain('**The three readings**');
    expect(md).toMatch(/\| ORCL \| \(b\) own fall \| -40\.6% \| 48\.3% 🔴 \*\*Not comparable\*\* · of -84\.19% \|/);
    expect(md).toMatch(/\| ORCL \| \(c\) cohort median \| -40\.6% \| 46\.8% 🔴 \*\*Not comparable\*\* · of -86\.75% \|/);
  });

  it('says the same in Traditional Chinese: falls by their size, full-width colons, 、 between items', () => {
    const md = section(renderMarkdown(doc, 'zh-Hant'), 1);
    expect(md).toContain('ORCL 在 2000 年網路泡沫（那斯達克綜合指數）期間（2000年1月1日 – 2002年12月31日）自身的最大跌幅：下跌 84.19%');
    expect(md).toContain('（AMZN 下跌 93.3%、ORCL 下跌 84.2%、QCOM 下跌 86.8%、INTC 下跌 82.3%、NVDA 下跌 89.7%）；跌幅中位數 86.75%。未全程交易：CRWV、GOOGL、META。');
    expect(md).toMatch(/解讀（三）同期個股：[^\n]*由 ORCL 決定：其跌幅為同期個股在「2000 年網路泡沫（那斯達克綜合指數）」期間的跌幅中位數（86\.75%）的 46\.8%，屬於「不相當」。判定依此解讀。/);
    expect(md).toMatch(/解讀（二）自身跌幅：[^\n]*「資料不足」：CRWV 無法以此方式衡量。僅供對照。/);
    expect(md).toContain('下跌 40.6%（高點至今');
    expect(md).toContain('各股的跌幅算到最新收盤價，可能尚未結束');
    // No double negative, and no half-width colon in the claim's Chinese sentences.
    expect(md).not.toMatch(/下跌 -/);
    for (const line of md.split('\n').filter((l) => /^(解讀|ORCL 在|CRWV 在|2000 年網路泡沫)/.test(l))) expect(line).not.toContain(':');
  });

  it('shows the readings table in HTML in both languages', () => {
    expect(renderHtml(doc, 'en')).toContain('<h4>The three readings</h4>');
    const zh = renderHtml(doc, 'zh-Hant');
    expect(zh).toContain('<h4>三種解讀</h4>');
    expect(zh).toContain('參考跌幅 84.19%');
    expect(zh).not.toContain('相對 -');
  });
});

describe('claim 2: each stock against its own history, in words', () => {
  it('states the judged year, the baseline and the definitions, and marks the share the verdict follows (en)', () => {
    const md = section(renderMarkdown(doc, 'en'), 2);
    expect(md).toContain('Judged year: the sessions after Dec 31, 2024 up to Dec 31, 2025 (the year that ends on the report date).');
    expect(md).toContain("Baseline: each stock's full calendar years that end on or before Dec 31, 2024");
    expect(md).toContain('fewer than 3 has no baseline');
    expect(md).toContain('Percentile: the share of the baseline years below the judged year\'s figure, years equal to it counted as half (mid-rank).');
    expect(md).toContain('2 of 4 stocks with a baseline (50%) swung more in the judged year than in their median year: "Partly supported". The verdict follows this share.');
    expect(md).toContain('3 of 4 stocks with a baseline (75%) were more volatile in the judged year than in their median year: "Supported". Shown for comparison.');
    expect(md).toContain('By the earlier rule (at least that many swings, whatever the stock\'s usual year) this share reads "Supported": ordinary years pass it too.');
    expect(md).toContain('left out of these shares: CRWV.');
    expect(md).toMatch(/\| ORCL \| 3 · 1987–1989 \| \d+ \| 6 · percentile 82 \| \d+% \| 37% · percentile 79 \| 🟢 \*\*yes\*\* \|/);
    expect(md).toMatch(/\| CRWV \| 0 \| \d+ \| – \| \d+% \| – \| ⚪ \*\*no baseline\*\* \|/);
  });

  it('says why there is no verdict when too few named stocks have a baseline', () => {
    const d = structuredClone(doc);
    const c = d.model.claims[1] as SwingClaimResult;
    Object.assign(c.shares[2]!, { verdict: 'insufficient_data', counted: 1, measured: 1 });
    c.verdict = 'insufficient_data';
    const named = c.tickers.length + c.missing.length;
    const min = Math.ceil(named / 2);
    expect(section(renderMarkdown(d, 'en'), 2)).toContain(`Only 1 of the ${named} stocks named have a baseline; at least ${min} must have one for a verdict.`);
    expect(section(renderMarkdown(d, 'zh-Hant'), 2)).toContain(`報導點名的 ${named} 檔股票中只有 1 檔有基準；至少須有 ${min} 檔才能判定。`);
    expect(section(renderMarkdown(doc, 'en'), 2)).not.toContain('must have one for a verdict');
  });

  it('says the same in Traditional Chinese', () => {
    const md = section(renderMarkdown(doc, 'zh-Hant'), 2);
    expect(md).toContain('檢驗年度：2024年12月31日 之後至 2025年12月31日 的交易日（截至報告日期的一年）。');
    expect(md).toContain('百分位數：基準年數值低於檢驗年度者所占比例，相等者算一半（中位秩）。');
    expect(md).toContain('有基準的 4 檔股票中，2 檔（50%）檢驗年度的擺盪次數多於自身的中位數年度：「部分支持」。判定依此比例。');
    expect(md).toContain('不計入上述比例：CRWV。');
    expect(md).toContain('依先前規則（擺盪達到該次數即計入，不論該股平常的年度），此比例屬於「有數據支持」：一般年度也會符合。');
    expect(md).toMatch(/\| ORCL \| 3 · 1987–1989 \| \d+ \| 6 · 百分位數 82 \|/);
    expect(md).toContain('⚪ **沒有基準**');
    for (const line of md.split('\n').filter((l) => /^(檢驗年度|擺盪沿用|有基準|沒有基準|舊規則)/.test(l))) expect(line).not.toContain(':');
  });
});
