// The live page's pure parts: the distance to the next verdict band, the live price and drawdown, the
// provisional verdicts (the report's own evaluators on closes plus the live price) and when they must
// be judged again, the SSE framing and what a reconnecting client is owed, the sparkline, and the
// rendering (escaped, no inline code).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ClosePoint, QuoteSnapshot } from '../../../src/domain.js';
import { distanceToNextBand } from '../../../src/live/band-distance.js';
import { closeBasis } from '../../../src/analysis/close-basis.js';
import { buildLiveSnapshot, liveClaims, livePrice, livePrices, type LiveInput, type LiveSnapshot } from '../../../src/live/live-model.js';
import { judgeProvisionally, judgementKey, provisionalClose, provisionalCloses } from '../../../src/analysis/provisional.js';
import type { CloseBasis } from '../../../src/analysis/close-basis.js';
import { renderLiveMain, renderLivePage } from '../../../src/live/render/live-page.js';
import { sparkline } from '../../../src/live/sparkline.js';
import { eventId, formatSseComment, formatSseEvent, owedOnConnect } from '../../../src/live/sse.js';
import { parseClaimsConfig, type ClaimsConfig } from '../../../src/analysis/claims/config.js';
import { bandVerdict, evaluateClaims } from '../../../src/analysis/claims/evaluate.js';
import { summarizeSymbol } from '../../../src/analysis/math/drawdown.js';
import { buildClaimContext } from '../../../src/analysis/claim-context.js';
import { PROJECT_ROOT } from '../../helpers/cli.js';
import { series } from '../report/fixtures.js';

const TZ = 'America/New_York';
/** An evening after the sessions used below: no session is trading. */
const EVENING = new Date('2026-01-06T23:00:00Z');
const claimsConfig = parseClaimsConfig(JSON.parse(readFileSync(`${PROJECT_ROOT}/config/claims.json`, 'utf8')));
const drawdownClaim = claimsConfig.claims.find((c) => c.kind === 'drawdown_vs_reference')!;
/** The shipped claims with claim 1 judged by another of its readings. */
function withVerdictReading(reading: 'index' | 'own_history' | 'cohort') {
  const json = JSON.parse(readFileSync(`${PROJECT_ROOT}/config/claims.json`, 'utf8'));
  json.claims.find((c: { kind: string }) => c.kind === 'drawdown_vs_reference').verdictReading = reading;
  return parseClaimsConfig(json);
}
const BANDS = drawdownClaim.bands;
const GFC = -0.5678;

const quote = (symbol: string, ts: string, price: number, marketState = 'REGULAR'): QuoteSnapshot => ({
  symbol,
  ts: new Date(ts),
  price,
  marketCap: null,
  volume: null,
  marketState,
  currency: 'USD',
});

/** One symbol's live price as the daemon makes it: its newest quote as its session's close where the rule says it stands as one. */
function priceAt(symbol: string, basis: CloseBasis | null, quotes: readonly QuoteSnapshot[], now: Date) {
  return livePrice(symbol, basis, provisionalClose(symbol, basis, quotes, TZ, now), quotes, TZ);
}

/** The page's claims as the daemon judges them: every symbol's provisional close at `now`, one judgement on the closes with them spliced in. */
function claimsAt(config: ClaimsConfig, closes: ReadonlyMap<string, readonly ClosePoint[]>, quotes: readonly QuoteSnapshot[], now: Date, volumes?: Map<string, { date: string; volume: number }[]>) {
  const bases = new Map([...closes].map(([s, c]) => [s, closeBasis(c)!]));
  const provisional = provisionalCloses(bases.keys(), bases, quotes, TZ, now);
  const prices = livePrices({ timeZone: TZ, watchlist: [], bases, quotes, provisional });
  return liveClaims(config, judgeProvisionally(config, closes, provisional, quotes, TZ, volumes)!, prices);
}

/** The snapshot as the daemon builds it: each symbol's basis from its closes, the claims judged on the closes at the live prices. */
function snapshotOf(input: Omit<LiveInput, 'bases' | 'provisional'> & { closes: ReadonlyMap<string, ClosePoint[]>; claimsConfig: ClaimsConfig | null }): LiveSnapshot {
  const { closes, claimsConfig: config, ...rest } = input;
  const bases = new Map([...closes].map(([s, c]) => [s, closeBasis(c)!]));
  const live: LiveInput = { ...rest, bases, provisional: provisionalCloses([...input.watchlist.map((w) => w.symbol), ...bases.keys()], bases, input.quotes, input.timeZone, input.now) };
  const prices = livePrices(live);
  return buildLiveSnapshot(live, config && prices.size > 0 ? claimsAt(config, closes, input.quotes, input.now) : []);
}

describe(distanceToNextBand.name, () => {
  const at = (price: number, referenceDepth = GFC) =>
    distanceToNextBand({ ticker: 'ORCL', referenceId: 'gfc2008', price, athClose: 100, referenceDepth }, BANDS, drawdownClaim.below)!;

  it('says how much further the price must fall to reach the next band, and how much rise undoes the current one', () => {
    const d = at(60); // -40 % against -56.78 %: ratio 0.7045, 'partly comparable'
    expect(d.verdict).toBe('partly_comparable');
    expect(d.ratio).toBeCloseTo(0.4 / 0.5678, 10);
    expect(d.next!.verdict).toBe('comparable');
    expect(d.next!.price).toBeCloseTo(100 * (1 - 0.75 * 0.5678), 10); // 57.415
    expect(d.next!.fall).toBeCloseTo(1 - 57.415 / 60, 10); // 4.3 % more
    expect(d.recovery!.verdict).toBe('not_comparable');
    expect(d.recovery!.rise).toBeCloseTo((100 * (1 - 0.5 * 0.5678)) / 60 - 1, 10);
  });

  it('lands exactly on the band it names: at the next band’s price the claim’s own rule gives that verdict', () => {
    for (const price of [99, 80, 71, 60, 50, 45]) {
      const d = at(price);
      if (!d.next) continue;
      const ratioThere = (d.next.price / 100 - 1) / GFC;
      expect(bandVerdict(ratioThere + 1e-12, BANDS, drawdownClaim.below), `from ${price}`).toBe(d.next.verdict);
      expect(bandVerdict(ratioThere - 1e-9, BANDS, drawdownClaim.below), `from ${price}`).toBe(d.verdict);
    }
  });

  it('has no next band past the deepest, no recovery below the lowest, and nothing against an undamaged reference', () => {
    const deepest = at(40);
    expect(deepest.verdict).toBe('as_deep_or_deeper');
    expect(deepest.next).toBeNull();
    expect(deepest.recovery!.verdict).toBe('comparable');
    const top = at(100);
    expect(top.verdict).toBe('not_comparable');
    expect(top.recovery).toBeNull();
    expect(top.next!.verdict).toBe('partly_comparable');
    expect(top.next!.fall).toBeCloseTo(0.5 * 0.5678, 10);
    expect(at(60, 0)).toBeNull();
    expect(at(0)).toBeNull();
  });
});

describe(livePrice.name, () => {
  const closes: ClosePoint[] = [
    { date: '2025-12-30', close: 120 },
    { date: '2025-12-31', close: 110 },
    { date: '2026-01-02', close: 100 },
  ];

  it('takes a quote of a session after the last close as the price, against the last close, with that session’s quotes as the line', () => {
    const quotes = [
      quote('ORCL', '2026-01-05T14:31:00Z', 97),
      quote('ORCL', '2026-01-05T15:00:00Z', 90),
      quote('ORCL', '2026-01-02T20:59:00Z', 100), // the session before: not on today's line
      quote('CRWV', '2026-01-05T15:01:00Z', 50), // another symbol
    ];
    const p = priceAt('ORCL', closeBasis(closes), quotes, EVENING)!;
    expect(p).toMatchObject({ kind: 'quote', price: 90, date: '2026-01-05', previousClose: 100, athClose: 120, athDate: '2025-12-30' });
    expect(p.change).toBeCloseTo(-0.1, 12);
    expect(p.drawdown).toBeCloseTo(90 / 120 - 1, 12);
    expect(p.at).toBe('2026-01-05T15:00:00.000Z');
    expect(p.intraday.map((q) => q.price)).toEqual([97, 90]);
  });

  it('dates a quote in the exchange’s zone: 21:00 New York is still that session', () => {
    expect(priceAt('ORCL', closeBasis(closes), [quote('ORCL', '2026-01-06T02:00:00Z', 95, 'POST')], EVENING)).toMatchObject({ kind: 'quote', date: '2026-01-05' });
  });

  it('falls back to the last close once that session’s bar is stored, or with no quote', () => {
    const p = priceAt('ORCL', closeBasis(closes), [quote('ORCL', '2026-01-02T21:00:00Z', 100, 'CLOSED')], EVENING)!;
    expect(p).toMatchObject({ kind: 'close', price: 100, date: '2026-01-02', previousClose: 110, at: null });
    expect(p.change).toBeCloseTo(100 / 110 - 1, 12);
    expect(p.intraday).toEqual([{ t: Date.parse('2026-01-02T21:00:00Z'), price: 100 }]);
    expect(priceAt('ORCL', closeBasis(closes), [], EVENING)).toMatchObject({ kind: 'close', price: 100 });
    expect(priceAt('ORCL', null, [], EVENING)).toBeNull();
  });

  it('prefers the quote to a bar of the session that is trading now (a partial bar), and the bar once it closed', () => {
    const partial = [...closes, { date: '2026-01-05', close: 95 }];
    const quotes = [quote('ORCL', '2026-01-05T15:00:00Z', 90)];
    const during = priceAt('ORCL', closeBasis(partial), quotes, new Date('2026-01-05T15:00:30Z'))!;
    expect(during).toMatchObject({ kind: 'quote', price: 90, previousClose: 100 });
    const after = priceAt('ORCL', closeBasis(partial), quotes, new Date('2026-01-05T21:30:00Z'))!;
    expect(after).toMatchObject({ kind: 'close', price: 95, previousClose: 100 });
  });

  it('measures a quote replacing a partial bar against the closes before that bar', () => {
    const partial = [...closes, { date: '2026-01-05', close: 130 }]; // the partial bar above every close
    const during = priceAt('ORCL', closeBasis(partial), [quote('ORCL', '2026-01-05T15:00:00Z', 115)], new Date('2026-01-05T15:00:30Z'))!;
    expect(during).toMatchObject({ kind: 'quote', price: 115, previousClose: 100, athClose: 120, athDate: '2025-12-30' });
  });

  it('counts a live price above the all-time high as a new high: drawdown 0', () => {
    const p = priceAt('ORCL', closeBasis(closes), [quote('ORCL', '2026-01-05T15:00:00Z', 130)], EVENING)!;
    expect(p).toMatchObject({ athClose: 130, athDate: '2026-01-05', drawdown: 0 });
  });
});

describe(judgeProvisionally.name, () => {
  // Judged by the index reading here: these closes have no 2000 or 2008 stock histories for a cohort.
  const claimsConfig = withVerdictReading('index');
  // ORCL and CRWV 40 % below their highs at the close: against 2000 (-77.93 %) a ratio of 0.51, against
  // 2008 (-56.78 %) 0.70; 'any' reference keeps 0.70: 'partly comparable'.
  const closes = new Map<string, ClosePoint[]>([
    ['ORCL', series([100, 80, 60], '2025-12-29')],
    ['CRWV', series([100, 70, 60], '2025-12-29')],
  ]);

  it('judges with the live price as a provisional close, through the report’s evaluators', () => {
    const [live] = claimsAt(claimsConfig, closes, ['ORCL', 'CRWV'].map((s) => quote(s, '2026-01-02T16:00:00Z', 40)), EVENING);
    expect(live).toMatchObject({ id: drawdownClaim.id, verdict: 'as_deep_or_deeper', provisional: true, asOf: '2026-01-02' });
    // The same as the report's evaluator on the closes with that close appended.
    const appended = new Map([...closes].map(([s, pts]) => [s, [...pts, { date: '2026-01-02', close: 40 }]]));
    const summaries = new Map([...appended].map(([s, pts]) => [s, summarizeSymbol(pts, '2026-01-02')!]));
    const ctx = buildClaimContext({ asOf: '2026-01-02', summaries, series: appended, claimsConfig });
    expect(evaluateClaims(claimsConfig, ctx)[0]!.verdict).toBe(live!.verdict);
    // One distance per ticker and reference; at -60 % against 2008 the deepest band is reached.
    expect(live!.distances.map((d) => `${d.ticker} ${d.referenceId} ${d.next?.verdict ?? '-'}`)).toEqual([
      'ORCL dotcom as_deep_or_deeper',
      'ORCL gfc2008 -',
      'CRWV dotcom as_deep_or_deeper',
      'CRWV gfc2008 -',
    ]);
  });

  it('is not provisional when the prices are closes', () => {
    const [live] = claimsAt(claimsConfig, closes, [], EVENING);
    expect(live).toMatchObject({ verdict: 'partly_comparable', provisional: false, asOf: '2025-12-31' });
    expect(live!.distances.find((d) => d.ticker === 'ORCL' && d.referenceId === 'gfc2008')!.next).toMatchObject({ verdict: 'comparable' });
  });
});

describe(judgementKey.name, () => {
  const closes = new Map([['ORCL', series([100, 80, 60], '2025-12-29')]]);
  const bases = new Map([['ORCL', closeBasis(closes.get('ORCL')!)!]]);
  const at = (quotes: QuoteSnapshot[]) => provisionalCloses(['ORCL'], bases, quotes, TZ, new Date('2026-01-05T15:00:30Z'));

  it('changes with the bars and with a live price, not with a newer quote at the same price', () => {
    const key = judgementKey(1, at([quote('ORCL', '2026-01-05T15:00:00Z', 58)]));
    expect(judgementKey(1, at([quote('ORCL', '2026-01-05T15:01:00Z', 58)]))).toBe(key);
    expect(judgementKey(2, at([quote('ORCL', '2026-01-05T15:00:00Z', 58)]))).not.toBe(key);
    expect(judgementKey(1, at([quote('ORCL', '2026-01-05T15:01:00Z', 57)]))).not.toBe(key);
    expect(judgementKey(1, at([]))).not.toBe(key);
  });
});

describe('the provisional judgement with the shipped cohort reading', () => {
  // The cohort's deepest falls inside the 2008 window (2007-01-01 .. 2009-12-31): INTC -90 %, QCOM
  // -80 %, ORCL -70 %; median -80 %. No stock traded in 2000, so that window has no comparison.
  const old = (peak: number, trough: number) => [
    { date: '2007-01-03', close: peak },
    { date: '2008-11-20', close: trough },
    { date: '2009-12-31', close: trough * 1.1 },
  ];
  const closes = new Map<string, ClosePoint[]>([
    ['ORCL', [...old(100, 30), ...series([90, 80, 60], '2025-12-29')]],
    ['INTC', old(100, 10)],
    ['QCOM', old(100, 20)],
    ['CRWV', series([100, 70, 60], '2025-12-29')],
  ]);

  it('measures the distance to the next band against the reading the verdict follows (the cohort median)', () => {
    expect(drawdownClaim.verdictReading).toBe('cohort');
    const [live] = claimsAt(claimsConfig, closes, [], EVENING);
    // Both 40 % down: 0.4 / 0.8 = 0.5, 'partly comparable'; 'comparable' (0.75) needs a fall of 60 %
    // from 100, a price of 40: a third below 60.
    expect(live).toMatchObject({ verdict: 'partly_comparable', provisional: false });
    expect(live!.distances.map((d) => `${d.ticker} ${d.referenceId} ${d.verdict}`)).toEqual(['ORCL gfc2008 partly_comparable', 'CRWV gfc2008 partly_comparable']);
    for (const d of live!.distances) {
      expect(d.ratio).toBeCloseTo(0.5, 12);
      expect(d.next).toMatchObject({ verdict: 'comparable' });
      expect(d.next!.price).toBeCloseTo(40, 9);
      expect(d.next!.fall).toBeCloseTo(1 / 3, 12);
      expect(d.reading).toBe('cohort');
    }
    // The page says what the distance is measured against, in its language.
    const snap = snapshotOf({
      now: EVENING,
      timeZone: TZ,
      watchlist: ['ORCL', 'CRWV'].map((symbol) => ({ symbol, name: null })),
      closes,
      quotes: [],
      health: { status: 'ok', reasons: [] },
      alerts: [],
      simulated: false,
      claimsConfig,
    });
    expect(renderLiveMain(snap, 'en')).toMatch(/ORCL: [^<]* more to [^<]* with the cohort(&#39;|')s median fall in the 2008 financial crisis/);
    expect(renderLiveMain(snap, 'zh-Hant')).toMatch(/ORCL：再跌 [^<]* 即與同期股票在2008 年金融危機[^<]*期間跌幅的中位數/);
  });
});

describe('SSE framing', () => {
  it('writes id, event and one data line per line, ending with a blank line', () => {
    expect(formatSseEvent({ id: 'a-1', event: 'snapshot', data: '{"x":1}' })).toBe('id: a-1\nevent: snapshot\ndata: {"x":1}\n\n');
    expect(formatSseEvent({ data: 'one\ntwo\r\nthree', retry: 3000 })).toBe('retry: 3000\ndata: one\ndata: two\ndata: three\n\n');
    // A newline smuggled into a field cannot start a new field.
    expect(formatSseEvent({ id: 'a\nevent: evil', data: '' })).toBe('id: aevent: evil\ndata: \n\n');
    expect(formatSseComment('heartbeat')).toBe(': heartbeat\n\n');
  });

  it('owes a snapshot to a new client and to one that missed a change, nothing to one already current', () => {
    const current = eventId('mx3x54im', 7);
    expect(current).toBe('mx3x54im-7');
    expect(owedOnConnect(undefined, current)).toBe('snapshot');
    expect(owedOnConnect('', current)).toBe('snapshot');
    expect(owedOnConnect('mx3x54im-6', current)).toBe('snapshot');
    expect(owedOnConnect('otherboot-7', current)).toBe('snapshot'); // a restarted daemon
    expect(owedOnConnect('mx3x54im-7', current)).toBe('none');
  });
});

describe(sparkline.name, () => {
  it('spans the box, draws a flat price flat in the middle, and needs two points for a line', () => {
    const g = sparkline([
      { t: 0, price: 10 },
      { t: 50, price: 12 },
      { t: 100, price: 11 },
    ]);
    expect(g.points).toBe('3,29 60,3 117,16');
    expect(g.trend).toBe('up');
    expect(sparkline([{ t: 0, price: 5 }, { t: 1, price: 5 }]).points).toBe('3,16 117,16');
    const one = sparkline([{ t: 0, price: 5 }]);
    expect(one.points).toBe('');
    expect(one.last).not.toBeNull();
    expect(sparkline([]).last).toBeNull();
  });
});

describe('live page rendering', () => {
  const snap: LiveSnapshot = snapshotOf({
    now: new Date('2026-01-05T15:00:30Z'),
    timeZone: TZ,
    watchlist: [
      { symbol: 'ORCL', name: '<script>alert(1)</script>' },
      { symbol: 'CRWV', name: null },
      { symbol: 'NVDA', name: null },
    ],
    closes: new Map([
      ['ORCL', series([100, 80, 60], '2025-12-29')],
      ['CRWV', series([100, 70, 60], '2025-12-29')],
    ]),
    quotes: [quote('ORCL', '2026-01-05T14:59:00Z', 58), quote('ORCL', '2026-01-05T15:00:00Z', 57)],
    claimsConfig: withVerdictReading('index'), // the closes here have no 2000 or 2008 stock histories
    health: { status: 'ok', reasons: [] },
    alerts: [{ id: 1, rule: 'drawdown_level', symbol: 'ORCL', message: 'ORCL fell through -40 % <b>', status: 'provisional', firedAt: '2026-01-05T15:00:00Z' }],
    simulated: false,
  });

  it('escapes names and messages, loads only its own script, and carries the state id', () => {
    const page = renderLivePage(snap, 'en', 'e-3');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script>alert(1)&lt;/script>');
    expect(page).toContain('ORCL fell through -40 % &lt;b>');
    expect(page.match(/<script[^>]*>/g)).toEqual(['<script src="/live.js" defer>']);
    expect(page).not.toMatch(/<style|style="| on[a-z]+="/);
    expect(page).toContain('data-event-id="e-3"');
    expect(page).toMatch(/data-symbol="ORCL" data-kind="quote"/);
    expect(page).toMatch(/data-symbol="CRWV" data-kind="close"/);
    expect(page).toContain('No prices stored yet for NVDA.');
    expect(page).toMatch(/class="badge provisional">provisional</);
    expect(page).toContain("CRWV: 4.3% more to 'Comparable' with 2008 financial crisis (S&amp;P 500)");
  });

  it('speaks Traditional Chinese with ?lang=zh-Hant, and says what is missing when nothing is stored', () => {
    const zh = renderLiveMain(snap, 'zh-Hant');
    expect(zh).toContain('暫定');
    expect(zh).toContain('報導的說法：若現在收盤');
    expect(zh).toMatch(/CRWV：再跌 [\d.]+% 即與2008 年金融危機（標普 500 指數）「相當」/);
    const empty = snapshotOf({ ...{ now: new Date(0), timeZone: TZ, watchlist: [{ symbol: 'ORCL', name: null }], closes: new Map(), quotes: [] }, claimsConfig, health: { status: 'fail', reasons: ['no prices stored yet'] }, alerts: [], simulated: false });
    expect(renderLiveMain(empty, 'en')).toContain('No prices are stored yet.');
    expect(renderLiveMain(empty, 'zh-Hant')).toContain('尚未儲存任何價格');
  });

  it('writes each alert in the page’s language from its stored parts, and keeps the stored sentence for a row without them', () => {
    const withParts = {
      ...snap,
      alerts: [
        {
          id: 2,
          rule: 'drawdown_level',
          symbol: 'ORCL',
          claimId: null,
          message: 'ORCL fell through -40 % from its all-time high: -82.6 % at 57 (high 328.33 on 2025-09-10)',
          payload: { symbol: 'ORCL', price: 57, athClose: 328.33, athDate: '2025-09-10', drawdown: -0.8264, level: -0.4, direction: 'down', at: '2026-01-05T15:00:00Z' },
          status: 'provisional' as const,
          firedAt: '2026-01-05T15:00:00Z',
        },
        {
          id: 3,
          rule: 'verdict_change',
          symbol: null,
          claimId: snap.claims[0]!.id,
          message: `claim ${snap.claims[0]!.id}: the verdict changed from comparable to partly_comparable`,
          payload: { claimId: snap.claims[0]!.id, from: 'comparable', to: 'partly_comparable', at: '2026-01-02' },
          status: 'confirmed' as const,
          firedAt: '2026-01-02T22:00:00Z',
        },
        ...snap.alerts,
      ],
    };
    const zh = renderLiveMain(withParts, 'zh-Hant');
    expect(zh).toContain('ORCL 跌破距歷史高點 -40% 的關卡：57.00，距高點 -82.6%（高點 328.33，2025年9月10日）');
    expect(zh).toContain('說法 1 的判定已由「相當」變為「部分相當」');
    expect(zh).not.toContain('fell through -40 % from');
    expect(zh).not.toContain('the verdict changed');
    // The row stored without its parts keeps its sentence.
    expect(zh).toContain('ORCL fell through -40 % &lt;b>');
    const en = renderLiveMain(withParts, 'en');
    expect(en).toContain('ORCL fell through -40% from its all-time high: -82.6% at 57.00 (high 328.33 on Sep 10, 2025)');
    expect(en).toContain('Claim 1: the verdict changed from Comparable to Partly comparable');
  });

  it('names the market state in the page’s language', () => {
    const zh = renderLiveMain(snap, 'zh-Hant');
    expect(zh).toMatch(/報價 .*（東部標準時間），盤中/);
    expect(renderLiveMain(snap, 'en')).toMatch(/quote .*\(regular session\)/);
  });

  it('words a failed health check in the page’s language, with /healthz’s English as the fallback', () => {
    const stale = { ...snap, health: { status: 'fail' as const, reasons: ['data stale: newest bar 2026-01-02, expected 2026-01-05 or later'], problems: [{ kind: 'stale' as const, newest: '2026-01-02', expected: '2026-01-05' }] } };
    expect(renderLiveMain(stale, 'zh-Hant')).toContain('異常：資料過時：最新收盤為 2026年1月2日，應為 2026年1月5日 或更晚');
    expect(renderLiveMain(stale, 'en')).toContain('degraded: data stale: the newest close is of Jan 2, 2026, expected Jan 5, 2026 or later');
    const bare = { ...snap, health: { status: 'fail' as const, reasons: ['something new'] } };
    expect(renderLiveMain(bare, 'zh-Hant')).toContain('異常：something new');
  });
});

describe('the provisional judgement reads volumes for the claims that need them', () => {
  // The over-extended claim judged by its volume reading. Eight tickers on weekdays from 2021-01-04:
  // 100 / 101 alternating through 2024 (each year's run-up 1 %), then a climb to 200 in the first half
  // of 2025 and 199 / 200 alternating after it. 2025's run-up (100 %) is above all four earlier years'
  // (percentile 100): all eight are over-extended. Volume is 1,000 a day, except that in the last 21
  // sessions six of them trade 2,000 on down days: down-day ratio 2.0 against an up-day ratio of 1.0,
  // 2.0 >= 1.2. Six of eight count: 0.75, the 'supported' band.
  const tickers = ['AMZN', 'ORCL', 'CRWV', 'GOOGL', 'QCOM', 'INTC', 'NVDA', 'META'];
  const path = (i: number, n2024: number): number => {
    if (i < n2024) return i % 2 === 0 ? 100 : 101;
    const k = i - n2024;
    return k < 120 ? 101 + (99 * k) / 119 : k % 2 === 0 ? 199 : 200;
  };
  const dates = series(Array.from({ length: 1300 }, () => 1), '2021-01-04').map((p) => p.date).filter((d) => d <= '2026-01-06');
  const n2024 = dates.filter((d) => d < '2025-01-01').length;
  const closes = new Map(tickers.map((t) => [t, dates.map((date, i) => ({ date, close: path(i, n2024) }))]));
  const last = dates.length - 1;
  const volumes = new Map(
    tickers.map((t, k) => [
      t,
      closes.get(t)!.map((p, i) => ({ date: p.date, volume: k < 6 && i > last - 21 && i > 0 && p.close < closes.get(t)![i - 1]!.close ? 2000 : 1000 })),
    ]),
  );
  const json = JSON.parse(readFileSync(`${PROJECT_ROOT}/config/claims.json`, 'utf8'));
  const ox = json.claims.find((c: { id: string }) => c.id === 'overextended-selling');
  ox.metric = 'share_with_heavier_down_day_volume';
  ox.bands = [{ min: 0.75, verdict: 'supported' }, { min: 0.5, verdict: 'partly_supported' }];
  const byVolume = parseClaimsConfig(json);
  const overextended = (claims: ReturnType<typeof claimsAt>) => claims.find((c) => c.id === 'overextended-selling')!;

  it('judges the over-extended claim by its volume reading as the report does, and cannot without volumes', () => {
    const live = overextended(claimsAt(byVolume, closes, [], EVENING, volumes));
    expect(live.verdict).toBe('supported');
    const asOf = dates[last]!;
    const summaries = new Map([...closes].map(([s, pts]) => [s, summarizeSymbol(pts, asOf)!]));
    const report = evaluateClaims(byVolume, buildClaimContext({ asOf, summaries, series: closes, volumes, claimsConfig: byVolume }));
    const result = report.find((c) => c.id === 'overextended-selling')!;
    expect(result.verdict).toBe(live.verdict);
    expect(result.kind === 'overextended_selling' && [result.counted, result.judgedVolumes]).toEqual([6, 8]);
    expect(overextended(claimsAt(byVolume, closes, [], EVENING)).verdict).toBe('insufficient_data');
  });
});
