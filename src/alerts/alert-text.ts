// An alert in words, in either language, from its stored parts (pure): the rule, its basis and the
// payload the rule stored with it (symbol, level, prices, dates, verdicts). The English text is the
// `message` column the rules write (rules.ts calls this), the one webhooks and `bubblewatch alerts`
// show; the live page renders the same parts in its own language, so a Chinese page never shows an
// English sentence. An older row whose payload lacks a part gets null: the caller shows its message.
export type AlertLang = 'en' | 'zh-Hant';

export interface AlertParts {
  /** The rule that fired (rules.ts AlertRuleName), or 'test'. */
  rule: string;
  /** The alert's basis (stored as its status). */
  status: 'provisional' | 'confirmed';
  payload: Readonly<Record<string, unknown>>;
}

/** How the numbers and dates inside the sentence are written: the stored message's plain forms by default. */
export interface AlertFormat {
  /** A fraction as a percent with `digits` decimals: -0.1 -> "-10 %". */
  pct: (fraction: number, digits: number) => string;
  money: (value: number) => string;
  /** A YYYY-MM-DD date. */
  date: (date: string) => string;
  /** A verdict id in words (the stored message keeps the id). */
  verdict: (id: string) => string;
  /** A claim id in words: its place in the report ("說法 5"), else null for the id itself. */
  claim: (id: string) => string | null;
}

/** "-10 %" from -0.1 */
export function percent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A price for a message: at most two decimals (194.910004 -> 194.91); the payload keeps it whole. */
export function money(value: number): string {
  return String(Number(value.toFixed(2)));
}

export const PLAIN_FORMAT: AlertFormat = { pct: percent, money, date: (d) => d, verdict: (id) => id, claim: () => null };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

interface Words {
  fellThrough: (a: { symbol: string; level: string; drawdown: string; price: string; high: string; highDate: string }) => string;
  recovered: (a: { symbol: string; level: string; drawdown: string; price: string }) => string;
  newHigh: (a: { symbol: string; price: string; previous: string; previousDate: string }) => string;
  verdict: (a: { claim: string; provisional: boolean; from: string; to: string }) => string;
  stale: (a: { symbol: string; lastBar: string | null; expected: string }) => string;
  fresh: (a: { symbol: string; lastBar: string }) => string;
  sync: (a: { runId: string; status: string; failed: number; symbols: string; reason: string | null }) => string;
}

const EN: Words = {
  fellThrough: (a) => `${a.symbol} fell through ${a.level} from its all-time high: ${a.drawdown} at ${a.price} (high ${a.high} on ${a.highDate})`,
  recovered: (a) => `${a.symbol} recovered above ${a.level} from its all-time high: ${a.drawdown} at ${a.price}`,
  newHigh: (a) => `${a.symbol} made a new all-time high: ${a.price} (previous ${a.previous} on ${a.previousDate})`,
  verdict: (a) => `${a.claim}: the verdict ${a.provisional ? 'would change (provisional, intraday)' : 'changed'} from ${a.from} to ${a.to}`,
  stale: (a) => `${a.symbol} data is stale: the last bar is ${a.lastBar ?? 'none'}, expected ${a.expected} or later`,
  fresh: (a) => `${a.symbol} data is fresh again: last bar ${a.lastBar}`,
  sync: (a) => `sync #${a.runId} ${a.status}: ${a.failed} symbol(s) failed (${a.symbols})${a.reason ? `: ${a.reason}` : ''}`,
};

const SYNC_STATUS_ZH: Record<string, string> = { partial: '部分失敗', failed: '失敗', aborted: '中止', ok: '完成' };

const ZH: Words = {
  fellThrough: (a) => `${a.symbol} 跌破距歷史高點 ${a.level} 的關卡：${a.price}，距高點 ${a.drawdown}（高點 ${a.high}，${a.highDate}）`,
  recovered: (a) => `${a.symbol} 回升至距歷史高點 ${a.level} 以內：${a.price}，距高點 ${a.drawdown}`,
  newHigh: (a) => `${a.symbol} 創歷史新高：${a.price}（前高 ${a.previous}，${a.previousDate}）`,
  verdict: (a) => `${a.claim} 的判定${a.provisional ? '若現在收盤將' : '已'}由「${a.from}」變為「${a.to}」${a.provisional ? '（盤中暫定）' : ''}`,
  stale: (a) => `${a.symbol} 資料過時：最新日線為 ${a.lastBar ?? '無'}，應為 ${a.expected} 或更晚`,
  fresh: (a) => `${a.symbol} 資料已恢復更新：最新日線 ${a.lastBar}`,
  // The failure reason is the provider's English error text: the page shows the symbols, the log the reason.
  sync: (a) => `第 ${a.runId} 次同步${SYNC_STATUS_ZH[a.status] ?? a.status}：${a.failed} 個代號失敗（${a.symbols}）`,
};

/** The alert's sentence in `lang`; null when the payload lacks a part the sentence needs. */
export function alertText(alert: AlertParts, lang: AlertLang, format: AlertFormat = PLAIN_FORMAT): string | null {
  const w = lang === 'zh-Hant' ? ZH : EN;
  const p = alert.payload;
  const symbol = str(p.symbol);
  switch (alert.rule) {
    case 'drawdown_level': {
      const [level, drawdown, price, high] = [num(p.level), num(p.drawdown), num(p.price), num(p.athClose)];
      if (!symbol || level === null || drawdown === null || price === null) return null;
      const parts = { symbol, level: format.pct(level, 0), drawdown: format.pct(drawdown, 1), price: format.money(price) };
      if (p.direction === 'up') return w.recovered(parts);
      const highDate = str(p.athDate);
      return high === null || !highDate ? null : w.fellThrough({ ...parts, high: format.money(high), highDate: format.date(highDate) });
    }
    case 'all_time_high': {
      const [price, previous, previousDate] = [num(p.price), num(p.previousHigh), str(p.previousHighDate)];
      if (!symbol || price === null || previous === null || !previousDate) return null;
      return w.newHigh({ symbol, price: format.money(price), previous: format.money(previous), previousDate: format.date(previousDate) });
    }
    case 'verdict_change': {
      const [claimId, from, to] = [str(p.claimId), str(p.from), str(p.to)];
      if (!claimId || !from || !to) return null;
      // The stored message names the claim by its id; a page by its place in the report.
      const claim = format.claim(claimId) ?? (lang === 'en' ? `claim ${claimId}` : claimId);
      return w.verdict({ claim, provisional: alert.status === 'provisional', from: format.verdict(from), to: format.verdict(to) });
    }
    case 'stale_data': {
      const expected = str(p.expected);
      const lastBar = p.lastBar === null ? null : str(p.lastBar);
      if (!symbol || !expected || typeof p.stale !== 'boolean') return null;
      if (p.stale) return w.stale({ symbol, lastBar: lastBar === null ? null : format.date(lastBar), expected: format.date(expected) });
      return lastBar === null ? null : w.fresh({ symbol, lastBar: format.date(lastBar) });
    }
    case 'sync_failed': {
      const failures = Array.isArray(p.failures) ? (p.failures as { symbol?: unknown; reason?: unknown }[]) : null;
      const runId = num(p.runId);
      const status = str(p.status);
      if (!failures || runId === null || !status) return null;
      // The payload keeps the first 20 failures; failedCount (when stored) counts them all.
      const failed = num(p.failedCount) ?? failures.length;
      const symbols = failures.slice(0, 10).flatMap((f) => (typeof f.symbol === 'string' ? [f.symbol] : []));
      const reason = typeof failures[0]?.reason === 'string' ? failures[0].reason : null;
      return w.sync({ runId: String(runId), status, failed, symbols: symbols.join(', '), reason });
    }
    default:
      return null;
  }
}
