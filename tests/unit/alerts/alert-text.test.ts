// An alert's sentence from its stored parts, in English (the stored message, the same as before this
// change, written out here from the rules' wording) and in Traditional Chinese (what the live page
// shows), and the stored message equal to the English one for every rule.
import { describe, expect, it } from 'vitest';
import { alertText, type AlertFormat } from '../../../src/alerts/alert-text.js';
import { evaluateRules, stateKeys, type RuleFacts } from '../../../src/alerts/rules.js';
import { formatterFor } from '../../../src/report/render/number-format.js';
import { messagesFor, verdictLabel } from '../../../src/report/render/i18n.js';

const settings = { levels: [-0.1, -0.2], hysteresis: 0.02 };

/** Every rule fired once, from a state that makes it fire. */
function everyRule() {
  const state = new Map<string, unknown>([
    [stateKeys.drawdown('ORCL'), { crossed: [], athClose: 328.33, athDate: '2025-09-10', athArmed: true, drawdown: -0.05, at: '2025-12-30', closeDate: '2025-12-30' }],
    [stateKeys.drawdown('NVDA'), { crossed: [-0.1], athClose: 200, athDate: '2025-10-29', athArmed: true, drawdown: -0.15, at: '2025-12-30', closeDate: '2025-12-30' }],
    [stateKeys.drawdown('META'), { crossed: [], athClose: 700, athDate: '2025-08-12', athArmed: true, drawdown: -0.05, at: '2025-12-30', closeDate: '2025-12-30' }],
    [stateKeys.verdict('overextended-selling'), { confirmed: 'partly_supported', provisional: 'partly_supported', at: '2025-12-30' }],
    [stateKeys.stale('^GSPC'), { on: false, at: '2025-12-30' }],
    [stateKeys.stale('^IXIC'), { on: true, at: '2025-12-30' }],
  ]);
  const facts: RuleFacts = {
    prices: [
      { symbol: 'ORCL', price: 194.91, athClose: 328.33, athDate: '2025-09-10', closeDate: '2025-12-31', basis: 'confirmed', at: '2025-12-31' },
      { symbol: 'NVDA', price: 190, athClose: 200, athDate: '2025-10-29', closeDate: '2025-12-31', basis: 'confirmed', at: '2025-12-31' },
      { symbol: 'META', price: 720.5, athClose: 720.5, athDate: '2025-12-31', closeDate: '2025-12-31', basis: 'confirmed', at: '2025-12-31' },
    ],
    verdicts: { basis: 'confirmed', at: '2025-12-31', byClaim: new Map([['overextended-selling', 'not_supported']]) },
    freshness: { expected: '2025-12-31', lastBars: new Map([['^GSPC', '2025-12-24'], ['^IXIC', '2025-12-31']]) },
    sync: { runId: 7, status: 'partial', failures: [{ symbol: 'CRWV', reason: 'HTTP 503' }] },
  };
  return evaluateRules(settings, state, facts).alerts;
}

describe('alert sentences from their parts', () => {
  const alerts = everyRule();

  it('fires each rule once here (the fixture is not vacuous)', () => {
    expect(alerts.map((a) => `${a.rule}:${a.symbol ?? a.claimId ?? ''}`).sort()).toEqual([
      'all_time_high:META',
      'drawdown_level:NVDA',
      'drawdown_level:ORCL',
      'drawdown_level:ORCL',
      'stale_data:^GSPC',
      'stale_data:^IXIC',
      'sync_failed:',
      'verdict_change:overextended-selling',
    ]);
  });

  it('stores the English sentence the rules have always written', () => {
    expect(alerts.map((a) => a.message).sort()).toEqual(
      [
        'ORCL fell through -10 % from its all-time high: -40.6 % at 194.91 (high 328.33 on 2025-09-10)',
        'ORCL fell through -20 % from its all-time high: -40.6 % at 194.91 (high 328.33 on 2025-09-10)',
        'NVDA recovered above -10 % from its all-time high: -5.0 % at 190',
        'META made a new all-time high: 720.5 (previous 700 on 2025-08-12)',
        'claim overextended-selling: the verdict changed from partly_supported to not_supported',
        '^GSPC data is stale: the last bar is 2025-12-24, expected 2025-12-31 or later',
        '^IXIC data is fresh again: last bar 2025-12-31',
        'sync #7 partial: 1 symbol(s) failed (CRWV): HTTP 503',
      ].sort(),
    );
    for (const a of alerts) expect(alertText({ rule: a.rule, status: a.basis, payload: a.payload }, 'en')).toBe(a.message);
  });

  it('writes the same parts in Traditional Chinese, numbers and dates as the page does, verdicts and claims by name', () => {
    const f = formatterFor('zh-Hant');
    const m = messagesFor('zh-Hant');
    const format: AlertFormat = {
      pct: (v, d) => f.pct(v, d),
      money: (v) => f.price(v),
      date: (d) => f.date(d),
      verdict: (id) => verdictLabel(m, id),
      claim: (id) => (id === 'overextended-selling' ? m.claims.claim(5) : null),
    };
    const zh = alerts.map((a) => alertText({ rule: a.rule, status: a.basis, payload: a.payload }, 'zh-Hant', format)!).sort();
    expect(zh).toEqual(
      [
        'ORCL 跌破距歷史高點 -10% 的關卡：194.91，距高點 -40.6%（高點 328.33，2025年9月10日）',
        'ORCL 跌破距歷史高點 -20% 的關卡：194.91，距高點 -40.6%（高點 328.33，2025年9月10日）',
        'NVDA 回升至距歷史高點 -10% 以內：190.00，距高點 -5.0%',
        'META 創歷史新高：720.50（前高 700.00，2025年8月12日）',
        '說法 5 的判定已由「部分支持」變為「數據不支持」',
        '^GSPC 資料過時：最新日線為 2025年12月24日，應為 2025年12月31日 或更晚',
        '^IXIC 資料已恢復更新：最新日線 2025年12月31日',
        '第 7 次同步部分失敗：1 個代號失敗（CRWV）',
      ].sort(),
    );
    // No English word in any of them: only tickers.
    for (const line of zh) expect(line.replace(/\^?[A-Z]{2,5}\b/g, ''), line).not.toMatch(/[A-Za-z]{2,}/);
  });

  it('says a provisional verdict would change, and gives null for a payload without its parts (an older row)', () => {
    const payload = { claimId: 'c1', from: 'comparable', to: 'partly_comparable', at: '2026-01-05T15:00:00Z' };
    expect(alertText({ rule: 'verdict_change', status: 'provisional', payload }, 'en')).toBe(
      'claim c1: the verdict would change (provisional, intraday) from comparable to partly_comparable',
    );
    expect(alertText({ rule: 'verdict_change', status: 'provisional', payload }, 'zh-Hant')).toBe('c1 的判定若現在收盤將由「comparable」變為「partly_comparable」（盤中暫定）');
    expect(alertText({ rule: 'drawdown_level', status: 'confirmed', payload: { symbol: 'ORCL' } }, 'zh-Hant')).toBeNull();
    expect(alertText({ rule: 'test', status: 'confirmed', payload: {} }, 'en')).toBeNull();
  });

  it('counts every failed symbol of a sync, not only the 20 the payload keeps', () => {
    const failures = Array.from({ length: 25 }, (_, i) => ({ symbol: `S${i}`, reason: 'timeout' }));
    const [a] = evaluateRules(settings, new Map(), { sync: { runId: 9, status: 'failed', failures } }).alerts;
    expect(a!.payload).toMatchObject({ failedCount: 25 });
    expect((a!.payload.failures as unknown[]).length).toBe(20);
    expect(a!.message).toBe('sync #9 failed: 25 symbol(s) failed (S0, S1, S2, S3, S4, S5, S6, S7, S8, S9): timeout');
  });
});
