// 報告的繁體中文用語（合約見 messages.ts）。Traditional Chinese words of the report, as read in Taiwan.
import type { Messages } from './messages.js';


export const zhHant: Messages = {
  title: '泡沫觀察',
  subtitle: '以實際收盤價檢驗 2026 年 1 月一篇報導對 AI「泡沫」的說法',
  asOf: '資料截至',
  generatedAt: '產生時間',
  article: '報導',
  provenance: {
    heading: '資料',
    dataSource: '來源',
    sources: { yahoo: 'Yahoo 財經', import: '匯入的 CSV', sim: '模擬資料' },
    quoteSources: { yahoo: 'Yahoo 財經', sim: '模擬資料' },
    lastBars: '最新日線',
    lastBarsAll: (date) => `所有代號皆為 ${date}`,
    lastQuote: '最新報價',
    noQuotes: '此日期（含）以前沒有儲存的報價',
    basis: '價格基準',
    basisText: '每日收盤價，已調整分割，未調整股利（不計股利再投入）',
    simulatedBanner: '本報告含有示範用的模擬價格，並非真實市場資料。標示「模擬」的數字與判定不代表真實市場。',
    simulatedBadge: '模擬',
    simulatedClaim: '部分依據模擬價格。',
    missingSymbols: (list) => `以下代號在此日期（含）以前沒有價格資料：${list}。`,
  },
  claims: {
    heading: '報導的說法',
    claim: (n) => `說法 ${n}`,
    articleSays: '報導原文',
    translation: '英文翻譯',
    verdict: '判定',
    metric: '衡量方式',
    metrics: {
      drawdown_from_ath: '自歷史收盤高點的跌幅，相對於參考事件跌幅的比例',
      drawdown_from_52w_high: '自 52 週收盤高點的跌幅，相對於參考事件跌幅的比例',
      share_with_min_swings: '過去一年反覆大幅擺盪的股票比例',
      share_with_elevated_volatility: '過去一年波動高於自身歷史的股票比例',
      share_above_own_median_swings: '檢驗年度擺盪次數高於自身歷年中位數的股票比例',
      share_above_own_median_volatility: '檢驗年度波動率高於自身歷年中位數的股票比例',
      event_window_return: '各股在新聞日期前後的異常報酬（市場模型）',
    },
    bands: '判定門檻',
    below: '低於',
  },
  verdicts: {
    as_deep_or_deeper: '一樣深或更深',
    comparable: '相當',
    partly_comparable: '部分相當',
    not_comparable: '不相當',
    supported: '有數據支持',
    partly_supported: '部分支持',
    not_supported: '數據不支持',
    abnormal_reactions: '皆有異常反應',
    some_abnormal_reactions: '部分有異常反應',
    no_abnormal_reaction: '無異常反應',
    reactions_measured: '已量測市場反應',
    partly_measured: '部分已量測',
    insufficient_data: '資料不足',
  },
  drawdownClaim: {
    tickerFall: (a) =>
      `${a.ticker} 收在 ${a.lastClose}，較 ${a.peakDate} 的收盤高點 ${a.peakClose} 下跌 ${a.fall}（已過 ${a.sessions} 個交易日）。`,
    deciding: (a) => `判定依據 ${a.ticker} 對比${a.reference}：跌幅為其 ${a.ratio}，屬於「${a.verdict}」。`,
    rule: (a) =>
      `${a.tickers === 'all' ? '報導點名的每一檔股票' : '報導點名的至少一檔股票'}都須與${a.references === 'any' ? '任一參考事件' : '每一個參考事件'}相當。`,
    speed: (a) =>
      `速度：在自身高點後第 ${a.sessions} 個交易日，${a.reference}為 ${a.refDrawdown}` +
      (a.refSessions === null ? '；它從未跌到這麼深。' : `；它花了 ${a.refSessions} 個交易日才跌到同樣深度。`),
    marketValue: (a) =>
      `${a.ticker}：自高點以來市值約減少 ${a.lost}（當時 ${a.peak}，現在 ${a.now}；股數取自 ${a.quoteDate} 的報價，假設不變）。`,
    missing: (list) => `沒有 ${list} 的價格，無法判定此說法。`,
    colRatio: (reference) => `對比${reference}`,
    colMarketValueLost: '市值減少',
  },
  drawdownReadings: {
    rule: {
      index: '解讀（一）指數跌幅：各股自歷史收盤高點的跌幅，除以參考事件中指數自高點到谷底的跌幅。',
      own_history: '解讀（二）自身跌幅：除以該股在每個參考期間內（須全程有交易）自身的最大跌幅（只用期間內的收盤價，自高點到谷底）。',
      cohort: '解讀（三）同期個股：除以觀察清單中全程在參考期間內交易的個股，其期間內最大跌幅的中位數（個數為偶數時取中間兩者的平均）。',
    },
    against: {
      index: (a) => `參考事件「${a.reference}」的跌幅（${a.fall}）`,
      own_history: (a) => `自身在「${a.reference}」期間的跌幅（${a.fall}）`,
      cohort: (a) => `同期個股在「${a.reference}」期間的跌幅中位數（${a.fall}）`,
    },
    decided: (a) =>
      `由 ${a.ticker} 決定：其跌幅為${a.against}的 ${a.ratio}，屬於「${a.verdict}」。` + (a.follows ? '判定依此解讀。' : '僅供對照。'),
    undecided: (a) => `「${a.verdict}」：${a.unmeasured} 無法以此方式衡量。` + (a.follows ? '判定依此解讀。' : '僅供對照。'),
    ownFall: (a) => `${a.ticker} 在 ${a.reference}期間（${a.from} – ${a.to}）自身的最大跌幅：下跌 ${a.fall}，自 ${a.peakDate} 至 ${a.troughDate}。`,
    noOwnFall: (ticker) => `${ticker} 在任何參考期間都未全程交易，沒有自身跌幅可供比較。`,
    cohort: (a) =>
      `${a.reference}期間（${a.from} – ${a.to}）的同期個股：觀察清單中有 ${a.count} 檔全程交易（${a.members}）；跌幅中位數 ${a.medianFall}。`,
    cohortMember: (a) => `${a.symbol} 下跌 ${a.fall}`,
    notTrading: (list) => `未全程交易：${list}。`,
    openFall: '各股的跌幅算到最新收盤價，可能尚未結束；參考跌幅則都是已結束、自高點到谷底的跌幅。',
    colReading: '比較基準',
    readingName: { index: '（一）指數跌幅', own_history: '（二）自身跌幅', cohort: '（三）同期個股中位數' },
    ofFall: (_depth, fall) => `相對跌幅 ${fall}`,
    caption: '三種解讀',
  },
  swingBaseline: {
    judgedYear: (a) =>
      `檢驗年度：${a.after} 之後至 ${a.asOf} 的交易日（截至報告日期的一年）。` +
      `基準：各股在 ${a.lastEnd}（含）以前結束的完整日曆年（該股在年初與年底一週內都有收盤價才算）；不足 ${a.minYears} 年者沒有基準。`,
    method: (a) =>
      `擺盪沿用同一套鋸齒規則（自上一個轉折點起漲或跌 ${a.threshold} 以上，計入完成該幅度的交易日所在年度）；波動率為每日對數報酬的年化標準差。` +
      '中位數：各年數值排序後居中者（偶數年時取中間兩者的平均）。百分位數：基準年數值低於檢驗年度者所占比例，相等者算一半（中位秩）。檢驗年度高於自身中位數的股票才計入。',
    shareSwings: (a) =>
      `有基準的 ${a.measured} 檔股票中，${a.counted} 檔（${a.share}）檢驗年度的擺盪次數多於自身的中位數年度：「${a.verdict}」。` +
      (a.follows ? '判定依此比例。' : '僅供對照。'),
    shareVolatility: (a) =>
      `有基準的 ${a.measured} 檔股票中，${a.counted} 檔（${a.share}）檢驗年度的波動率高於自身的中位數年度：「${a.verdict}」。` +
      (a.follows ? '判定依此比例。' : '僅供對照。'),
    noBaseline: (a) => `沒有基準（檢驗年度之前的完整日曆年不足 ${a.minYears} 年），不計入上述比例：${a.list}。`,
    coverage: (a) => `報導點名的 ${a.named} 檔股票中只有 ${a.measured} 檔有基準；至少須有 ${a.min} 檔才能判定。`,
    earlierRule: (a) => `依舊規則（擺盪達到該次數即計入，不論該股平常的年度），此比例屬於「${a.verdict}」：一般年度也會符合。`,
    colYears: '完整年數',
    yearsRange: (from, to) => `${from}–${to}`,
    colSwings: '檢驗年度擺盪次數',
    colSwingsMedian: '擺盪次數中位數',
    colVolatility: '檢驗年度波動率',
    colVolatilityMedian: '波動率中位數',
    percentile: (p) => `百分位數 ${p}`,
    noBaselineCell: '沒有基準',
  },
  swingClaim: {
    summary: (a) =>
      `${a.measured} 檔股票中有 ${a.counted} 檔（${a.share}）在 ${a.after} 之後的一年內，出現至少 ${a.minSwings} 次 ${a.threshold} 以上的擺盪（自上一個轉折點起的漲或跌）。`,
    summaryVolatility: (a) => `${a.measured} 檔股票中有 ${a.counted} 檔（${a.share}）過去一年的波動高於自身整段歷史。`,
    colSwingsLastYear: '過去一年擺盪次數',
    colSwingsPerYear: '歷史每年擺盪次數',
    colVolLastYear: '過去一年波動率',
    colVolHistory: '歷史波動率',
    colCounts: '計入',
    yes: '是',
    no: '否',
    missing: (list) => `沒有 ${list} 的價格。`,
  },
  newsClaim: {
    method: (a) =>
      `股價無法證實新聞是否發生，只能看出個股的漲跌是否超出大盤所能解釋的幅度。` +
      `市場模型：以新聞日當天或之後的第一個交易日為第 0 日，估計期為第 ${a.estimationFirst} 至 ${a.estimationLast} 日的 ${a.estimationReturns} 筆日報酬，將個股報酬對 ${a.benchmark} 報酬做最小平方法迴歸，求得 α、β 與殘差標準差 s` +
      `（每筆報酬為個股前一交易日至該日的漲跌，基準指數取同樣兩日，兩者在這兩日都須有收盤價）；事件窗為第 ${a.windowFirst} 至 ${a.windowLast} 日，異常報酬 AR = r − (α + β·r_m)，累積異常報酬 CAR 為其總和，t = CAR / (s·√${a.windowReturns})：` +
      `t ≥ ${a.criticalT} 為「上漲」，t ≤ −${a.criticalT} 為「下跌」，其間為「平淡」。`,
    noBenchmark: '股價無法證實新聞是否發生；未設定基準指數，無法以市場模型做事件研究。',
    judged: (a) => `共 ${a.total} 則，已判定 ${a.judged} 則。`,
    colEvent: '新聞',
    colWindow: '區間',
    colReturn: '報酬',
    netOf: (benchmark, value) => `相對 ${benchmark} ${value}`,
    colModel: '市場模型',
    estimation: (from, to) => `估計期 ${from} – ${to}`,
    colCar: '累積異常報酬',
    colReaction: '反應',
    reactions: { rallied: '上漲', fell: '下跌', muted: '平淡', pending: '待定' },
    insufficient: {
      benchmark_missing: '資料不足：沒有基準指數價格',
      short_history: '資料不足：事件前的歷史太短',
      benchmark_gap: '資料不足：基準指數缺少收盤價',
      degenerate_fit: '資料不足：市場模型無法估計',
    },
  },
  episodes: {
    heading: '參考事件',
    intro: '報導拿來比較的兩次大跌，自高點收盤到谷底收盤。',
    colEpisode: '事件',
    colIndex: '指數',
    sources: { data: '以儲存的收盤價量測', config: '公開數據（未儲存指數歷史）' },
    published: '公開數據',
  },
  symbols: {
    heading: '個股與指數',
    colSymbol: '代號',
    colName: '名稱',
    colLastDate: '最新日線',
    colLastClose: '最新收盤',
    colAthDate: '高點日期',
    colAthClose: '歷史高點',
    colDrawdown: '距高點',
    colMaxDrawdown: '最大跌幅',
    colSource: '來源',
    periodsHeading: '歷來最大跌幅',
    colPeak: '高點',
    colTrough: '谷底',
    colRecovery: '收復',
    colDepth: '跌幅',
    colSessions: '跌至谷底的交易日數',
    notRecovered: '尚未收復',
    noDrawdown: '從未收在先前高點之下',
    atHigh: '位於高點',
    chartsLimited: (charted, listed) => `代號眾多，圖表與歷來最大跌幅只列出 ${charted} 個說法標的與基準；其餘 ${listed} 個代號僅列於上表。`,
  },
  charts: {
    price: (symbol) => `${symbol}：收盤價`,
    underwater: (symbol) => `${symbol}：距歷史高點`,
    comparison: '目前的跌勢與參考事件比較（以高點對齊）',
    comparisonNote: 'X 軸：高點收盤後的交易日數；Y 軸：收盤價低於高點的幅度。',
    close: '收盤價',
    drawdown: '距高點',
    sessionsSincePeak: '高點後交易日數',
    ath: '歷史高點',
    trough: '高點後最低收盤',
    event: '新聞',
    events: '新聞事件',
    publishedOnly: '僅有公開的高點與谷底',
    logScale: '對數刻度',
  },
  notes: {
    heading: '閱讀說明',
    drawdown:
      '跌幅（回撤）＝收盤價 ÷ 先前最高收盤價 − 1。一段跌勢從低點之前的最後一個高點算起，到首次收回該高點為止；各段不重疊（依 pyfolio 的定義）。只使用報告日期（含）以前的價格。',
    noAdvice: '僅為數據，並非投資建議。',
  },
};
