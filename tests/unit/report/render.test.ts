// The three renderers on constructed documents: the JSON contract, escaping, both languages, number
// and date formats, simulated data marked, a page that loads nothing from elsewhere.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ReportDocument } from '../../../src/report/document.js';
import { KNOWN_VERDICTS, LANGS, messagesFor } from '../../../src/report/render/i18n.js';
import { renderHtml } from '../../../src/report/render/html.js';
import { renderJson } from '../../../src/report/render/json.js';
import { escapeMarkdown, renderMarkdown } from '../../../src/report/render/markdown.js';
import { ASOF, EVIL_HEADLINE, EVIL_SYMBOL, sampleDocument } from './report-fixture.js';

const doc = sampleDocument();
const CJK = /[\u4e00-\u9fff]/;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const fraction = z.number().gte(-1).lte(0);
const period = z.object({ peakDate: isoDate, troughDate: isoDate, recoveryDate: isoDate.nullable(), depth: fraction });
// DESIGN.md's contract; z.object lets the extra fields through, as the contract allows.
const contract = z.object({
  asOf: isoDate,
  basis: z.literal('close'),
  symbols: z.array(
    z.object({
      symbol: z.string(),
      lastDate: isoDate,
      lastClose: z.number().positive(),
      athDate: isoDate,
      athClose: z.number().positive(),
      drawdown: fraction,
      maxDrawdown: period,
      periods: z.array(period).max(5),
    }),
  ),
  episodes: z.array(
    z.object({ id: z.string(), symbol: z.string(), peakDate: isoDate, troughDate: isoDate, depth: fraction, source: z.enum(['data', 'config']) }),
  ),
  claims: z.array(z.object({ id: z.string(), verdict: z.string() })).min(1),
});

function withVerdict(d: ReportDocument, verdict: string): ReportDocument {
  const copy = structuredClone(d);
  copy.model.claims[0]!.verdict = verdict;
  return copy;
}

describe('renderJson', () => {
  const json = JSON.parse(renderJson(doc));

  it('satisfies the report JSON contract', () => {
    expect(() => contract.parse(json)).not.toThrow();
    expect(json.asOf).toBe(ASOF);
    expect(json.symbols.map((s: { symbol: string }) => s.symbol)).toEqual(['AMZN', 'ORCL', 'CRWV', 'NVDA', 'META', '^GSPC', EVIL_SYMBOL]);
    expect(json.missingSymbols).toEqual(['GOOGL']);
  });

  it('keeps full precision and the figures the article is judged on', () => {
    const orcl = json.symbols.find((s: { symbol: string }) => s.symbol === 'ORCL');
    expect(orcl).toMatchObject({ athDate: '2025-09-10', athClose: 328.33, lastClose: 194.91 });
    expect(orcl.drawdown).toBeCloseTo(194.91 / 328.33 - 1, 12);
    expect(json.episodes.map((e: { id: string; source: string }) => [e.id, e.source])).toEqual([
      ['dotcom', 'config'],
      ['gfc2008', 'data'],
    ]);
    expect(json.claims[0].readings.map((r: { reading: string; verdict: string }) => [r.reading, r.verdict])).toEqual([
      ['index', 'partly_comparable'],
      ['own_history', 'insufficient_data'],
      ['cohort', 'insufficient_data'],
    ]);
    expect(json.claims.map((c: { id: string; verdict: string }) => [c.id, c.verdict])).toEqual([
      // The verdict follows the cohort reading: no watchlist stock in the fixture traded in 2000 or 2008.
      ['orcl-crwv-crash-comparable', 'insufficient_data'],
      ['frenzy-and-doubt', 'insufficient_data'], // GOOGL has no data in the fixture
      ['ai-deal-news', 'insufficient_data'], // ^IXIC, the market model's benchmark, is not in the fixture
      // ^IXIC, a benchmark, is not in the fixture: no stock has a figure against both indexes.
      ['us-market-chased-ai', 'insufficient_data'],
      // Only AMZN, ORCL, NVDA and META have closes before 2025, and none three earlier years of them:
      // no stock has an own-history baseline.
      ['overextended-selling', 'insufficient_data'],
      ['price-reset', 'not_testable_yet'],
      ['bubble-corrects', 'not_testable_yet'],
    ]);
  });

  it('says where the data came from', () => {
    expect(json).toMatchObject({ dataSource: 'import', simulated: false, generatedAt: '2026-01-01T22:00:00.000Z' });
    expect(json.provenance.lastQuote).toEqual({ symbol: 'ORCL', ts: '2025-12-31T21:00:00.000Z', source: 'yahoo' });
    expect(JSON.parse(renderJson(sampleDocument({ simulated: true }))).dataSource).toBe('import,sim');
  });
});

describe('escaping', () => {
  it('shows a symbol, name or headline containing markup as text in HTML', () => {
    for (const lang of LANGS) {
      const page = renderHtml(doc, lang);
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toContain('<b>Corp</b>');
      expect(page).toContain('&lt;script>window.__pwned=1&lt;/script>');
      expect(page).toContain('&lt;script>window.__pwned=2&lt;/script> &amp; OpenAI | talks');
    }
  });

  it('shows them as text in Markdown, without breaking tables', () => {
    const md = renderMarkdown(doc, 'en');
    expect(md).not.toMatch(/<script|<b>/i);
    expect(md).toContain('&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;');
    expect(md).toContain('Evil \\| &lt;b&gt;Corp&lt;/b&gt;');
    // Every row of a table has as many unescaped pipes as its header.
    const lines = md.split('\n');
    let tables = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!/^\|( ---:? \|)+$/.test(lines[i]!)) continue;
      tables++;
      const cols = (lines[i - 1]!.match(/(?<!\\)\|/g) ?? []).length;
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) {
        expect((lines[j]!.match(/(?<!\\)\|/g) ?? []).length, lines[j]).toBe(cols);
      }
    }
    // One per claim (sentences about the future have none), claim 1's readings table, the over-extended
    // claim's volume table, the episodes and symbols tables, each symbol's periods.
    const claimTables = doc.model.claims.filter((c) => c.kind !== 'forward_looking').length;
    expect(tables).toBe(claimTables + 1 + 1 + 2 + doc.model.symbols.filter((s) => s.periods.length > 0).length);
  });

  it('escapeMarkdown leaves plain figures readable', () => {
    expect(escapeMarkdown('-40.6%')).toBe('-40.6%');
    expect(escapeMarkdown('S&P 500')).toBe('S&P 500');
    expect(escapeMarkdown('&lt; *a* _b_ [c](d) `e` | f')).toBe('&amp;lt; \\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\| f');
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('- not a list')).toBe('\\- not a list');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
  });
});

describe('languages', () => {
  it.each(LANGS)('renders every known verdict in %s, in Markdown and HTML', (lang) => {
    const m = messagesFor(lang);
    for (const verdict of KNOWN_VERDICTS) {
      const d = withVerdict(doc, verdict);
      const label = m.verdicts[verdict];
      expect(renderMarkdown(d, lang)).toContain(`**${label}**`);
      expect(renderHtml(d, lang)).toContain(`>${label}</span>`);
      if (lang === 'zh-Hant') expect(label).toMatch(CJK);
    }
  });

  it('shows a verdict id from a custom config by its words', () => {
    expect(renderMarkdown(withVerdict(doc, 'wildly_overblown'), 'en')).toContain('**wildly overblown**');
  });

  it('has no English labels left in the Chinese report', () => {
    const en = messagesFor('en');
    const md = renderMarkdown(doc, 'zh-Hant');
    for (const label of [en.claims.heading, en.symbols.heading, en.episodes.heading, en.provenance.basisText, en.notes.heading]) {
      expect(md).not.toContain(label);
    }
    expect(md).toContain('甲骨文 (ORCL-US) 與資料中心服務商 CoreWeave (CRWV-US)');
    expect(renderHtml(doc, 'zh-Hant')).toContain('<html lang="zh-Hant">');
  });

  it('formats numbers and dates for the locale', () => {
    const en = renderMarkdown(doc, 'en');
    expect(en).toContain('-40.6%');
    expect(en).toContain('328.33 · Sep 10, 2025');
    expect(en).toContain('6,845.50');
    expect(en).toContain('Dec 31, 2025');
    const zh = renderMarkdown(doc, 'zh-Hant');
    expect(zh).toContain('-40.6%');
    expect(zh).toContain('328.33 · 2025年9月10日');
    expect(zh).toContain('資料截至 2025年12月31日');
    // Market value from the quote: compact currency in each locale.
    expect(en).toMatch(/\$\d+(\.\d)?B/);
    expect(zh).toMatch(/US\$\d+(\.\d)?億/);
  });
});

describe('claim 3: the market-model event study', () => {
  // Claim 3's events as the evaluator could leave them: one measured (a fall by t), one pending, one
  // without enough history. The renderers must show alpha, beta, CAR and t, the reactions and the method.
  const d = structuredClone(doc);
  const news = d.model.claims.find((c) => c.kind === 'news_events')!;
  if (news.kind !== 'news_events') throw new Error('unreachable');
  news.verdict = 'some_abnormal_reactions';
  const [first, second, third] = news.events;
  Object.assign(first!, { marketModel: null, reaction: 'insufficient_data', marketModelInsufficient: 'short_history' });
  Object.assign(second!, {
    marketModel: {
      alpha: 0.00035,
      beta: 1.98,
      residualSd: 0.0223,
      estimationFrom: '2024-09-30',
      estimationTo: '2025-03-24',
      windowFrom: '2025-04-07',
      windowTo: '2025-04-15',
      car: -0.0812,
      t: -2.5,
    },
    reaction: 'fell',
    marketModelInsufficient: null,
  });
  Object.assign(third!, { marketModel: null, reaction: 'pending', marketModelInsufficient: null });

  it('shows alpha, beta, CAR, t and the reactions in English', () => {
    const md = renderMarkdown(d, 'en');
    expect(md).toContain('α +0.04% · β 1.98 · estimated Sep 30, 2024 – Mar 24, 2025');
    expect(md).toContain('-8.1% · t = -2.5');
    expect(md).toContain('**fell**');
    expect(md).toContain('**pending**');
    expect(md).toContain('**insufficient data: too little history before the event**');
    expect(md).toContain("OLS of the stock's daily returns on ^IXIC's over the 120 sessions −130 to −11");
    expect(md).toContain('sessions −1 to +5');
    expect(md).toContain('s·√7');
    expect(md).toContain('1 of 3 events judged.');
    expect(renderHtml(d, 'en')).toContain('t = -2.5');
  });

  it('says the same in Traditional Chinese, with Taiwan terms', () => {
    const md = renderMarkdown(d, 'zh-Hant');
    for (const term of ['市場模型', '估計期', '事件期', '異常報酬率', '累積異常報酬率']) expect(md).toContain(term);
    expect(md).toContain('α +0.04% · β 1.98 · 估計期 2024年9月30日 – 2025年3月24日');
    expect(md).toContain('**顯著下跌**');
    expect(md).toContain('**尚待觀察**');
    expect(md).toContain('**資料不足：事件前的歷史太短**');
    expect(md).toContain('共 3 則，已判定 1 則。');
    expect(md).not.toContain('fell');
  });
});

describe('reading it', () => {
  const zhConfig = doc.claimsConfig;

  it.each(LANGS)('writes Markdown without any HTML tag (%s)', (lang) => {
    for (const d of [doc, sampleDocument({ simulated: true }), sampleDocument({ asOf: '2009-06-30' })]) {
      expect(renderMarkdown(d, lang)).not.toMatch(/<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>/i);
    }
  });

  it.each(LANGS)('puts one line per claim at a glance before the details, with its badge and deciding number (%s)', (lang) => {
    const m = messagesFor(lang);
    // Claim 1 decided by its index reading: the sample has no 2000 or 2008 stock histories for the cohort.
    const doc = sampleDocument({ verdictReading: 'index' });
    const md = renderMarkdown(doc, lang);
    const glance = md.slice(md.indexOf(`## ${m.glance.heading}`), md.indexOf(`## ${m.provenance.heading}`));
    const lines = glance.split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toHaveLength(doc.model.claims.length);
    const claim1 = doc.model.claims.find((c) => c.kind === 'drawdown_vs_reference')!;
    if (claim1.kind !== 'drawdown_vs_reference' || !claim1.deciding) throw new Error('fixture: claim 1 is decided');
    const fall = claim1.tickers.find((t) => t.ticker === claim1.deciding!.ticker)!;
    const f = new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-Hant-TW', { style: 'percent', maximumFractionDigits: 0 });
    expect(lines[0]).toContain(`**${m.verdicts[claim1.verdict as 'comparable']}**`);
    expect(lines[0]).toContain(f.format(claim1.deciding.ratio));
    expect(lines[0]).toContain(`${(-fall.drawdown * 100).toFixed(1)}%`);
    // The ratio is named as the one the verdict follows (here the index fall, not a cohort's).
    const episode = doc.model.episodes.find((e) => e.id === claim1.deciding!.referenceId)!;
    expect(lines[0]).toContain(m.glance.drawdownReadingBasis.index(episode.name[lang]));
    expect(md.indexOf(`## ${m.glance.heading}`)).toBeLessThan(md.indexOf(`## ${m.claims.heading}`));
    const page = renderHtml(doc, lang);
    expect(page.split('class="glance"')).toHaveLength(2);
    expect(page.indexOf('class="glance"')).toBeLessThan(page.indexOf('class="card claim"'));
  });

  it.each(LANGS)('names the article by outlet, date, time and title with its caveat (%s)', (lang) => {
    const a = zhConfig.article;
    for (const text of [renderMarkdown(doc, lang), renderHtml(doc, lang)]) {
      expect(text).toContain(a.outlet![lang]);
      expect(text).toContain(a.title!);
      expect(text).toContain(a.titleNote![lang]);
      expect(text).toContain(a.time!);
    }
  });

  it('attributes each quote: claim 1 to Zhang Lu, the summary no longer to "an investor"', () => {
    const en = renderMarkdown(doc, 'en');
    const zh = renderMarkdown(doc, 'zh-Hant');
    expect(en).not.toContain('quotes an investor');
    expect(zh).not.toContain('引述投資人說');
    for (const claim of zhConfig.claims) {
      expect(en).toContain(escapeMarkdown(claim.saidBy!.en));
      expect(zh).toContain(escapeMarkdown(claim.saidBy!['zh-Hant']));
    }
    expect(zhConfig.claims[0]!.saidBy!['zh-Hant']).toContain('她觀察到');
  });

  it.each(LANGS)('says why a reference episode is not shown before its window ends (%s)', (lang) => {
    const m = messagesFor(lang);
    const early = sampleDocument({ asOf: '2009-06-30' });
    const shown = early.model.episodes.map((e) => e.id);
    const pending = zhConfig.referenceEpisodes.filter((r) => !shown.includes(r.id));
    expect(pending.map((r) => r.id)).toEqual(['gfc2008']);
    const md = renderMarkdown(early, lang);
    expect(md).toContain(escapeMarkdown(m.episodes.notYet({ name: pending[0]!.name[lang], windowEnd: lang === 'en' ? 'Dec 31, 2009' : '2009年12月31日' })));
    // At the fixture's date both windows have ended: nothing is said to be pending.
    const before = m.episodes.notYet({ name: pending[0]!.name[lang], windowEnd: '\u0000' }).split('\u0000')[0]!;
    expect(md).toContain(escapeMarkdown(before));
    expect(renderMarkdown(doc, lang)).not.toContain(escapeMarkdown(before));
  });

  it('writes the Chinese report in Chinese: no double negative, full-width colons, citations translated', () => {
    const zh = renderMarkdown(doc, 'zh-Hant');
    expect(zh).not.toMatch(/下跌 [-−]/);
    expect(zh).toMatch(/ORCL 最新收盤價 194\.91，較 .* 下跌 40\.6%/);
    // A half-width colon right after a Chinese character or a bold Chinese label.
    expect(zh).not.toMatch(/[\u4e00-\u9fff\d]\*{0,2}: /);
    for (const e of doc.model.episodes) {
      const ref = zhConfig.referenceEpisodes.find((r) => r.id === e.id)!;
      expect(zh).toContain(escapeMarkdown(ref.citationTranslations!['zh-Hant']!));
      expect(zh).not.toContain(escapeMarkdown(ref.citation));
    }
    for (const wrong of ['股利再投入', '已調整分割', '部分已量測']) expect(zh).not.toContain(wrong);
  });
});

describe('simulated data', () => {
  const sim = sampleDocument({ simulated: true });

  it('is marked in every rendering', () => {
    const md = renderMarkdown(sim, 'en');
    expect(md).toContain(messagesFor('en').provenance.simulatedBanner);
    expect(md).toMatch(/\| NVDA 🧪 \*\*simulated\*\* \|/);
    const page = renderHtml(sim, 'zh-Hant');
    expect(page).toContain('data-simulated="true"');
    expect(page).toContain(`<span class="badge sim">${messagesFor('zh-Hant').provenance.simulatedBadge}</span>`);
    expect(JSON.parse(renderJson(sim)).symbols.find((s: { symbol: string }) => s.symbol === 'NVDA').simulated).toBe(true);
  });

  it('is not claimed when there is none', () => {
    expect(renderMarkdown(doc, 'en')).not.toContain('🧪');
    expect(renderHtml(doc, 'en')).not.toContain('data-simulated');
  });
});

describe('renderHtml', () => {
  const page = renderHtml(doc, 'en');

  it('loads nothing from elsewhere', () => {
    expect(page).not.toMatch(/\s(src|href|srcset|poster|action)=/i);
    expect(page).not.toMatch(/<(link|script|iframe|img|object|embed)\b/i);
    expect(page).not.toMatch(/@import|url\(|@font-face/i);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
  });

  it('draws a price and an underwater chart per symbol, and the comparison chart, wide and narrow', () => {
    for (const width of ['wide', 'narrow']) {
      for (const s of doc.model.symbols) {
        const attr = s.symbol.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
        expect(page.split(`data-chart="price" data-symbol="${attr}" data-width="${width}"`).length - 1, s.symbol).toBe(1);
        expect(page.split(`data-chart="underwater" data-symbol="${attr}" data-width="${width}"`).length - 1, s.symbol).toBe(1);
      }
      expect(page.split(`data-chart="comparison" data-claim="orcl-crwv-crash-comparable" data-width="${width}"`).length - 1).toBe(1);
    }
  });

  it('marks the cited news on the price charts', () => {
    expect(page).toContain('data-event="amzn-openai-talks"');
    expect(page).toContain('data-event="nvda-lepton"');
    expect(page).toContain('data-event="meta-manus"');
  });

  it('is a pure function of the document', () => {
    expect(renderHtml(doc, 'en')).toBe(page);
    expect(renderHtml(sampleDocument(), 'en')).toBe(page);
  });

  it('says so when a claim has no data instead of failing', () => {
    const early = sampleDocument({ asOf: '2024-01-31' });
    const md = renderMarkdown(early, 'en');
    expect(md).toContain(`**${messagesFor('en').verdicts.insufficient_data}**`);
    expect(renderHtml(early, 'zh-Hant')).toContain(messagesFor('zh-Hant').verdicts.insufficient_data);
  });
});

describe('messages', () => {
  it('has every message in both languages (the type guarantees keys; this checks none is empty)', () => {
    const walk = (a: unknown, b: unknown, path: string): void => {
      if (typeof a === 'string') {
        expect(a.length, path).toBeGreaterThan(0);
        expect((b as string).length, path).toBeGreaterThan(0);
      } else if (typeof a === 'object' && a) {
        expect(Object.keys(b as object).sort(), path).toEqual(Object.keys(a).sort());
        for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      }
    };
    walk(messagesFor('en'), messagesFor('zh-Hant'), 'messages');
  });
});

// Guard against the fixture drifting: the escaping tests rely on these strings being in the data.
it('fixture carries the hostile strings', () => {
  expect(doc.model.symbols.some((s) => s.symbol === EVIL_SYMBOL)).toBe(true);
  expect(doc.claimsConfig.newsEvents[0]!.headline.en).toBe(EVIL_HEADLINE);
});
