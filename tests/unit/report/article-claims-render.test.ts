// The article's claims as a reader sees them, in both languages: the rule stated, who said it, the
// figures, the readings that decide and those shown, and the forward-looking sentences with what would
// test them. A generated universe (universe-fixture.ts) long enough for every claim to be measured,
// judged on the shipped config/claims.json.
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/render/html.js';
import { renderMarkdown } from '../../../src/report/render/markdown.js';
import { universeDocument } from './universe-fixture.js';

const ASOF = '2026-01-30';

describe('the claims, rendered', () => {
  const doc = universeDocument(ASOF);

  it('judges them all on the generated data', () => {
    const verdicts = Object.fromEntries(doc.model.claims.map((c) => [c.id, c.verdict]));
    for (const id of ['orcl-crwv-crash-comparable', 'frenzy-and-doubt', 'ai-deal-news', 'us-market-chased-ai', 'overextended-selling']) {
      expect(verdicts[id], id).not.toBe('insufficient_data');
    }
    expect(verdicts['price-reset']).toBe('not_testable_yet');
    // Every claim with a threshold says how far its verdict leans on it.
    for (const c of doc.model.claims) expect(c.sensitivity === null, c.id).toBe(c.kind === 'forward_looking');
  });

  it('states each rule, who said it and what would test a forward sentence, in English', () => {
    for (const out of [renderMarkdown(doc, 'en'), renderHtml(doc, 'en')]) {
      expect(out).toContain('Said by');
      expect(out).toContain("The reporter's framing, not attributed to Zhang Lu");
      expect(out).toContain("Zhang Lu's observation");
      expect(out).toContain('a stock beats the market when its return exceeds every index');
      expect(out).toContain('against ^GSPC and ^IXIC between the same two dates');
      expect(out).toContain('Against their own years: the same share in each of the');
      expect(out).toContain("Spearman's rank correlation (ρ) of that percentile against the depth of the fall");
      expect(out).toContain('A stock counts when its down-day ratio is at least 1.20× its up-day ratio');
      expect(out).toContain('The fall reading');
      expect(out).toContain('The verdict follows this reading.');
      expect(out).toContain('What the test can see: the smallest CAR it calls a reaction');
      expect(out).toContain('Robustness: the verdict');
      expect(out).toContain('What would test it: It is about unlisted model makers');
      expect(out).toContain('價格重置只是時間問題');
      // The hedges of the news summary, quoted from the article.
      expect(out).toContain('「傳出洽談高達 100 億美元投資案」');
      expect(out).not.toContain('GPU-cloud');
    }
  });

  it('says the same in Traditional Chinese, with full-width punctuation', () => {
    for (const out of [renderMarkdown(doc, 'zh-Hant'), renderHtml(doc, 'zh-Hant')]) {
      expect(out).toContain('出處');
      expect(out).toContain('報導的敘述，並非引述張璐');
      expect(out).toContain('張璐的觀察（「她觀察到」）');
      expect(out).toContain('與 ^GSPC 及 ^IXIC 同期報酬率比較');
      expect(out).toContain('與自身以往年度相比');
      expect(out).toContain('Spearman 等級相關係數（ρ）');
      expect(out).toContain('下跌日比值達上漲日比值的 1.20 倍以上者才計入');
      expect(out).toContain('檢定能看出多大的反應');
      expect(out).toContain('穩健性：');
      expect(out).toContain('如何檢驗：所指的是未上市的模型公司');
      expect(out).not.toMatch(/如何檢驗:|What would test|Said by|Spearman's|Robustness/);
    }
  });
});
