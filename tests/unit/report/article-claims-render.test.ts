// Issue 13's claims as a reader sees them, in both languages: the rule stated, who said it, the figures,
// and the forward-looking sentences with what would test them. Synthetic closes for all eight stocks
// and both indexes (with volumes), judged on the shipped config/claims.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ClosePoint, VolumePoint } from '../../../src/domain.js';
import { parseClaimsConfig } from '../../../src/report/claims/config.js';
import { buildReportDocument } from '../../../src/report/document.js';
import { renderHtml } from '../../../src/report/render/html.js';
import { renderMarkdown } from '../../../src/report/render/markdown.js';
import { series, storedAsOf } from './fixtures.js';

const TICKERS = ['AMZN', 'ORCL', 'CRWV', 'GOOGL', 'QCOM', 'INTC', 'NVDA', 'META'];
const ASOF = '2026-01-30';

function document() {
  const closes = new Map<string, ClosePoint[]>();
  const volumes = new Map<string, VolumePoint[]>();
  // 430 weekdays from 2024-06-03 (past ASOF): each stock climbs at its own pace, then eases off.
  TICKERS.forEach((t, k) => {
    const points = series(Array.from({ length: 430 }, (_, i) => 100 * (1 + ((k + 1) * Math.min(i, 300)) / 600) * (i > 300 ? 1 - (i - 300) / (1000 + 100 * k) : 1)), '2024-06-03');
    closes.set(t, points);
    volumes.set(t, points.map((p, i) => ({ date: p.date, volume: 1000 + (i % 7) * 10 })));
  });
  closes.set('^GSPC', series(Array.from({ length: 430 }, (_, i) => 5000 + i), '2024-06-03'));
  closes.set('^IXIC', series(Array.from({ length: 430 }, (_, i) => 17000 + 2 * i), '2024-06-03'));
  const json = JSON.parse(readFileSync(new URL('../../../config/claims.json', import.meta.url), 'utf8'));
  const stored = storedAsOf(closes, ASOF);
  const cut = new Map([...volumes].map(([s, v]) => [s, v.filter((p) => p.date <= ASOF)]));
  return buildReportDocument({ asOf: ASOF, ...stored, volumes: cut, claimsConfig: parseClaimsConfig(json), generatedAt: new Date('2026-01-31T00:00:00Z') });
}

describe('the new claims, rendered', () => {
  const doc = document();

  it('judges them all on the synthetic data', () => {
    const verdicts = Object.fromEntries(doc.model.claims.map((c) => [c.id, c.verdict]));
    expect(verdicts['us-market-chased-ai']).not.toBe('insufficient_data');
    expect(verdicts['overextended-fell-most']).not.toBe('insufficient_data');
    expect(verdicts['down-day-volume']).not.toBe('insufficient_data');
    expect(verdicts['price-reset']).toBe('not_testable_yet');
  });

  it('states each rule, who said it and what would test a forward sentence, in English', () => {
    for (const out of [renderMarkdown(doc, 'en'), renderHtml(doc, 'en')]) {
      expect(out).toContain('Said by');
      expect(out).toContain("The reporter's framing, not attributed to Zhang Lu");
      expect(out).toContain("Zhang Lu's observation");
      expect(out).toContain('a stock beats the market when its return exceeds every index');
      expect(out).toContain('against ^GSPC and ^IXIC between the same two dates');
      expect(out).toContain("Spearman's rank correlation (ρ)");
      expect(out).toContain('a stock counts when that is 1.20× or more');
      expect(out).toContain('What would test it: It is about unlisted model makers');
      expect(out).toContain('價格重置只是時間問題');
    }
  });

  it('says the same in Traditional Chinese, with full-width punctuation', () => {
    for (const out of [renderMarkdown(doc, 'zh-Hant'), renderHtml(doc, 'zh-Hant')]) {
      expect(out).toContain('出處');
      expect(out).toContain('報導的敘述，並非引述張璐');
      expect(out).toContain('張璐的觀察（「她觀察到」）');
      expect(out).toContain('與 ^GSPC 及 ^IXIC 同期報酬率比較');
      expect(out).toContain('Spearman 等級相關係數（ρ）');
      expect(out).toContain('比值達 1.20 倍以上者計入');
      expect(out).toContain('如何檢驗：所指的是未上市的模型公司');
      expect(out).not.toMatch(/如何檢驗:|What would test|Said by|Spearman's/);
    }
  });
});
