// The live page's words in English and Traditional Chinese (Taiwan). Verdict names come from the
// report's messages (verdictLabel), so a verdict reads the same on the page and in the report.
import type { DrawdownReading } from '../../analysis/claims/config.js';
import type { Lang } from '../../report/render/i18n.js';

export interface LiveMessages {
  title: string;
  subtitle: string;
  otherLanguage: { label: string; lang: Lang };
  reportsLink: string;
  connection: { live: string; reconnecting: string; static: string };
  noData: string;
  missing: (list: string) => string;
  simulated: string;
  prices: string;
  columns: { symbol: string; price: string; change: string; drawdown: string; today: string };
  quoteAt: (time: string, state: string | null) => string;
  /** Yahoo's market states in words (REGULAR, PRE, POST, CLOSED ...); an unknown one is shown as sent. */
  marketStates: Record<string, string>;
  closeOn: (date: string) => string;
  athNote: (price: string, date: string) => string;
  noIntraday: string;
  claims: string;
  claimsAtClose: string;
  provisional: string;
  provisionalNote: (date: string) => string;
  confirmedNote: (date: string) => string;
  /** What a distance is measured against: the reference fall of the verdict's reading (`name`: the reference's). */
  readingReference: (reading: DrawdownReading, name: string) => string;
  nextBand: (ticker: string, fall: string, verdict: string, reference: string) => string;
  deepestBand: (ticker: string, verdict: string, reference: string) => string;
  recovery: (rise: string, verdict: string) => string;
  freshness: string;
  lastQuote: string;
  lastBar: string;
  none: string;
  health: string;
  healthOk: string;
  healthFail: string;
  problem: {
    db: (error: string) => string;
    noData: string;
    stale: (newest: string, expected: string) => string;
    yahoo: string;
    lock: (error: string) => string;
  };
  updatedAt: string;
  alerts: string;
  noAlerts: string;
  alertStatus: { provisional: string; confirmed: string };
}

const en: LiveMessages = {
  title: 'bubblewatch live',
  subtitle: 'Prices, drawdowns and the article\'s claims as they stand now',
  otherLanguage: { label: '中文', lang: 'zh-Hant' },
  reportsLink: 'Daily reports',
  connection: { live: 'live', reconnecting: 'reconnecting…', static: 'not live (reload for news)' },
  noData: 'No prices are stored yet. The first sync may still be running; this page fills in as soon as prices arrive.',
  missing: (list) => `No prices stored yet for ${list}.`,
  simulated: 'SIMULATED prices (demo): not market data.',
  prices: 'Prices',
  columns: { symbol: 'Symbol', price: 'Price', change: 'Today', drawdown: 'From all-time high', today: 'Intraday' },
  quoteAt: (time, state) => `quote ${time}${state ? ` (${state})` : ''}`,
  marketStates: { REGULAR: 'regular session', PRE: 'pre-market', PREPRE: 'pre-market', POST: 'after hours', POSTPOST: 'after hours', CLOSED: 'closed' },
  closeOn: (date) => `close ${date}`,
  athNote: (price, date) => `high ${price} on ${date}`,
  noIntraday: 'no quotes this session',
  claims: 'The article\'s claims, if the session closed now',
  claimsAtClose: 'The article\'s claims, as of the last close',
  provisional: 'provisional',
  provisionalNote: (date) => `With today's quotes as closes (${date}); final after the close.`,
  confirmedNote: (date) => `From closes through ${date}.`,
  readingReference: (reading, name) =>
    reading === 'own_history' ? `its own fall in the ${name}` : reading === 'cohort' ? `the cohort's median fall in the ${name}` : name,
  nextBand: (ticker, fall, verdict, reference) => `${ticker}: ${fall} more to '${verdict}' with ${reference}`,
  deepestBand: (ticker, verdict, reference) => `${ticker}: '${verdict}' with ${reference} (the deepest band)`,
  recovery: (rise, verdict) => `a ${rise} rise takes it back to '${verdict}'`,
  freshness: 'Data and daemon',
  lastQuote: 'Last quote',
  lastBar: 'Last daily close',
  none: 'none',
  health: 'Health',
  healthOk: 'ok',
  healthFail: 'degraded',
  problem: {
    db: (error) => `database unreachable (${error})`,
    noData: 'no prices stored yet',
    stale: (newest, expected) => `data stale: the newest close is of ${newest}, expected ${expected} or later`,
    yahoo: 'Yahoo Finance is failing or unreachable (circuit breaker open)',
    lock: (error) => `single-instance lock lost (${error})`,
  },
  updatedAt: 'Page state from',
  alerts: 'Latest alerts',
  noAlerts: 'No alerts yet.',
  alertStatus: { provisional: 'provisional', confirmed: 'confirmed' },
};

const zhHant: LiveMessages = {
  title: '泡沫觀察 即時',
  subtitle: '目前的價格、跌幅，以及報導說法的即時判定',
  otherLanguage: { label: 'English', lang: 'en' },
  reportsLink: '每日報告',
  connection: { live: '即時更新中', reconnecting: '重新連線中…', static: '未即時更新（請重新整理）' },
  noData: '尚未儲存任何價格。首次同步可能仍在進行；價格一到，本頁就會顯示。',
  missing: (list) => `以下代號尚無價格：${list}。`,
  simulated: '模擬價格（示範）：並非真實市場資料。',
  prices: '價格',
  columns: { symbol: '代號', price: '價格', change: '今日', drawdown: '距歷史高點', today: '盤中走勢' },
  quoteAt: (time, state) => `報價 ${time}${state ? `，${state}` : ''}`,
  marketStates: { REGULAR: '盤中', PRE: '盤前', PREPRE: '盤前', POST: '盤後', POSTPOST: '盤後', CLOSED: '休市' },
  closeOn: (date) => `收盤 ${date}`,
  athNote: (price, date) => `高點 ${price}（${date}）`,
  noIntraday: '本交易日尚無報價',
  claims: '報導的說法：若現在收盤',
  claimsAtClose: '報導的說法：依最新收盤',
  provisional: '暫定',
  provisionalNote: (date) => `以今日報價作為收盤價（${date}）；收盤後確定。`,
  confirmedNote: (date) => `依據截至 ${date} 的收盤價。`,
  readingReference: (reading, name) =>
    reading === 'own_history' ? `自身在${name}期間的跌幅` : reading === 'cohort' ? `同期股票在${name}期間跌幅的中位數` : name,
  nextBand: (ticker, fall, verdict, reference) => `${ticker}：再跌 ${fall} 即與${reference}「${verdict}」`,
  deepestBand: (ticker, verdict, reference) => `${ticker}：與${reference}「${verdict}」（最深一級）`,
  recovery: (rise, verdict) => `回升 ${rise} 則回到「${verdict}」`,
  freshness: '資料與服務狀態',
  lastQuote: '最新報價',
  lastBar: '最新收盤',
  none: '無',
  health: '健康狀態',
  healthOk: '正常',
  healthFail: '異常',
  problem: {
    db: (error) => `無法連線資料庫（${error}）`,
    noData: '尚未儲存任何價格',
    stale: (newest, expected) => `資料過時：最新收盤為 ${newest}，應為 ${expected} 或更晚`,
    yahoo: 'Yahoo 財經連線失敗或無法連線（斷路器已開啟）',
    lock: (error) => `失去單一實例鎖（${error}）`,
  },
  updatedAt: '頁面資料時間',
  alerts: '最新警示',
  noAlerts: '目前沒有警示。',
  alertStatus: { provisional: '暫定', confirmed: '確定' },
};

export function liveMessagesFor(lang: Lang): LiveMessages {
  return lang === 'zh-Hant' ? zhHant : en;
}
