// 報告的繁體中文用語（合約見 messages.ts）。Traditional Chinese words of the report, as read in Taiwan.
import type { Messages } from './messages.js';


export const zhHant: Messages = {
  title: '泡沫觀察',
  subtitle: '以實際收盤價檢驗 2026 年 1 月一篇報導對 AI「泡沫」的說法',
  asOf: '資料截至',
  generatedAt: '產生時間',
  article: '報導',
  colon: '：',
  listSeparator: '；',
  articleInfo: {
    outlet: '發布單位',
    published: '發布時間',
    publishedAt: (a) => `${a.date}${a.time ? ` ${a.time}` : ''}${a.zone ? `（${a.zone}${a.note ? `；${a.note}` : ''}）` : ''}`,
    title: '標題',
    titleText: (a) => `「${a.title}」${a.note ? `（${a.note}）` : ''}`,
    saidBy: '說法出處',
    zones: { 'Asia/Taipei': '台北時間' },
  },
  glance: {
    heading: '判定摘要',
    andJoiner: ' 與 ',
    intro: '每項說法一行：判定結果、決定判定的數字，以及如何解讀。各項依據詳見下文。',
    drawdownFigure: (a) => `${a.ticker} 距高點下跌 ${a.fall}，跌幅為${a.basis}的 ${a.ratio}`,
    drawdownReadingBasis: {
      index: (ref) => ` ${ref}指數跌幅`,
      own_history: (ref) => `其自身在 ${ref}期間最大跌幅`,
      cohort: (ref) => `觀察清單同期股票在 ${ref}期間最大跌幅的中位數`,
    },
    swingFigure: (a) => `${a.measured} 檔股票中有 ${a.counted} 檔（${a.share}）擺盪次數高於自身歷年中位數`,
    chaseFigure: (a) => `${a.measured} 檔股票中有 ${a.counted} 檔（${a.share}）報酬率勝過 ${a.benchmarks}`,
    chaseBaselineFigure: (a) => `在自身之前 ${a.years} 個年度中位於百分位數 ${a.percentile}，p = ${a.p}`,
    overextendedFigure: (a) => `${a.n} 檔股票過度擴張程度與跌幅的等級相關係數 ρ = ${a.rho}，p = ${a.p}`,
    downVolumeFigure: (a) => `${a.measured} 檔過度擴張的股票中有 ${a.counted} 檔（${a.share}）下跌日的成交量增幅大於上漲日`,
    stale: (a) => `資料過時：${a.symbols} 的最新收盤為 ${a.date}，比報告日期早 ${a.sessions} 個交易日；${a.claims} 只讀到該日為止。`,
    newsEvent: (a) => `${a.ticker} ${a.reaction}${a.t ? `（t = ${a.t}）` : ''}`,
    bandsReading: (bands) => `判定門檻：${bands}。`,
    newsReading: (a) => `「異常」指超出 ${a.benchmark} 所能解釋的幅度（|t| ≥ ${a.criticalT}）；股價無法證實新聞本身。`,
  },
  provenance: {
    heading: '資料來源',
    dataSource: '來源',
    sources: { yahoo: 'Yahoo奇摩股市（Yahoo Finance）', import: '匯入的 CSV', sim: '模擬資料' },
    quoteSources: { yahoo: 'Yahoo奇摩股市（Yahoo Finance）', sim: '模擬資料' },
    lastBars: '最新日線',
    lastBarsAll: (date) => `所有代號皆為 ${date}`,
    lastBarsBehind: (a) => `${a.symbols}：${a.date}（落後 ${a.sessions} 個交易日）`,
    lastQuote: '最新報價',
    noQuotes: '此日期（含）以前沒有儲存的報價',
    basis: '價格基準',
    basisText: '每日收盤價，已調整股票分割，未調整股利（不計股利再投資）',
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
      event_window_return: '各股在新聞日期前後的異常報酬率（市場模型）',
      own_years_rank_p: '檢驗期間跑贏每一個指數的股票比例，與這些股票自身以往各年度同一比例相比（排名 p 值）',
      share_beating_benchmarks: '期間報酬率跑贏每一個指數的股票比例',
      median_excess_return: '期間相對指數的超額報酬中位數（取兩者中較低者）',
      overextension_fall_rank_p: '各股過度擴張程度（漲幅相對自身以往各年度）與高點後跌幅的等級相關係數，及其排列檢定 p 值',
      share_with_heavier_down_day_volume: '過度擴張的股票中，下跌日成交量增幅大於上漲日者的比例',
      not_measurable: '目前無可量測的數據',
    },
    bands: '判定門檻',
    underpowered: (a) => `即使數據最極端也無法達到 p < ${a.max} 時為「${a.verdict}」`,
    stale: (a) => `資料過時：本說法只讀到 ${a.symbols} 的最新收盤（${a.date}），比報告日期早 ${a.sessions} 個交易日。`,
    sensitivity: (a) =>
      a.whole
        ? `穩健性：${a.parameter}在試算的整個範圍內（${a.from} 至 ${a.to}，設定值 ${a.configured}），判定都不變。`
        : `穩健性：${a.parameter}在 ${a.from} 至 ${a.to} 之間（設定值 ${a.configured}）判定不變；${a.outside.join('；')}。`,
    sensitivityOutside: (a) => `為 ${a.at} 時判定為「${a.verdict}」`,
    sensitivityParameters: {
      band_edge: (band) => `「${band}」的門檻`,
      swing_threshold: () => '擺盪門檻',
      event_window_end: () => '事件期結束日',
      beat_margin: () => '跑贏的幅度門檻',
      significance: () => '顯著水準',
      min_volume_ratio: () => '下跌日相對上漲日的成交量門檻',
    },
  },
  verdicts: {
    as_deep_or_deeper: '跌幅相同或更深',
    comparable: '相當',
    partly_comparable: '部分相當',
    not_comparable: '不相當',
    supported: '有數據支持',
    partly_supported: '部分支持',
    not_supported: '數據不支持',
    abnormal_reactions: '皆有異常反應',
    some_abnormal_reactions: '部分有異常反應',
    no_abnormal_reaction: '無異常反應',
    reactions_measured: '已計算市場反應',
    partly_measured: '僅部分事件已可計算',
    insufficient_data: '資料不足',
    inconclusive: '無法判定',
    not_testable_yet: '尚無法檢驗',
  },
  drawdownClaim: {
    tickerFall: (a) =>
      `${a.ticker} 最新收盤價 ${a.lastClose}，較 ${a.peakDate} 的收盤高點 ${a.peakClose} 下跌 ${a.fall}（高點至今 ${a.sessions} 個交易日）。`,
    deciding: (a) => `判定依據為 ${a.ticker} 與 ${a.reference}的比較：${a.ticker} 的跌幅為後者的 ${a.ratio}，屬於「${a.verdict}」。`,
    rule: (a) =>
      `${a.tickers === 'all' ? '報導點名的每一檔股票' : '報導點名的至少一檔股票'}都須與${a.references === 'any' ? '任一參考事件' : '每一個參考事件'}相當。`,
    speed: (a) =>
      `跌勢速度：在各自高點後第 ${a.sessions} 個交易日，${a.reference}距高點 ${a.refDrawdown}` +
      (a.refSessions === null ? '；該次跌勢從未跌到這麼深。' : `；該次跌勢花了 ${a.refSessions} 個交易日才跌到同樣深度。`),
    marketValue: (a) =>
      `${a.ticker}：自高點以來市值約減少 ${a.lost}（當時 ${a.peak}，現在 ${a.now}；股數取自 ${a.quoteDate} 的報價，假設不變）。`,
    missing: (list) => `沒有 ${list} 的價格，無法判定此說法。`,
    colRatio: (reference) => `相對 ${reference}`,
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
    ofFall: (_depth, fall) => `參考跌幅 ${fall}`,
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
    earlierRule: (a) => `依先前規則（擺盪達到該次數即計入，不論該股平常的年度），此比例屬於「${a.verdict}」：一般年度也會符合。`,
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
      `股價無法證實新聞是否屬實，只能看出個股的漲跌是否超出大盤所能解釋的幅度。` +
      `市場模型：以新聞日當天或之後的第一個交易日為第 0 日，估計期為第 ${a.estimationFirst} 至 ${a.estimationLast} 日的 ${a.estimationReturns} 筆日報酬率，將個股報酬率對 ${a.benchmark} 報酬率做最小平方法迴歸，求得 α、β 與殘差標準差 s` +
      `（每筆報酬率為個股前一交易日至該日的漲跌幅，基準指數取同樣兩日，兩者在這兩日都須有收盤價）；事件期為第 ${a.windowFirst} 至 ${a.windowLast} 日，異常報酬率 AR = r − (α + β·r_m)，累積異常報酬率 CAR 為其總和，t = CAR / (s·√${a.windowReturns})：` +
      `t ≥ ${a.criticalT} 為「顯著上漲」，t ≤ −${a.criticalT} 為「顯著下跌」，其間為「無顯著反應」。`,
    noBenchmark: '股價無法證實新聞是否屬實；未設定基準指數，無法以市場模型做事件研究。',
    judged: (a) => `共 ${a.total} 則，已判定 ${a.judged} 則。`,
    power: (a) =>
      `檢定能看出多大的反應：判定為反應所需的最小累積異常報酬率 ${a.criticalT} × s × √${a.windowReturns}，${a.list}。` +
      '幅度更小的變動不論原因都判為「無顯著反應」，因此「無顯著反應」的意思是「沒有這麼大的反應」，而非「沒有反應」。',
    powerItem: (a) => `${a.ticker} 為 ±${a.mdc}`,
    completions: (a) =>
      `每則新聞以首次報導日衡量（市場最早能反應的時候）；交易另有完成日者，完成日也一併衡量並列出，但不作為判定依據：${a.list}。`,
    completionItem: (a) => `${a.ticker} 首次報導 ${a.first}、完成 ${a.completed}：${a.reaction}（t = ${a.t}）`,
    colEvent: '新聞',
    colWindow: '加總的報酬率',
    colReturn: '報酬率',
    firstReport: (date) => `首次報導 ${date}`,
    completed: (date) => `完成 ${date}`,
    windowSpan: (a) => `${a.returns} 筆日報酬率，自 ${a.base} 收盤起`,
    benchmarkReturn: (benchmark, value) => `${benchmark} ${value}`,
    detectable: (value) => `可偵測 ±${value}`,
    colModel: '市場模型',
    estimation: (from, to) => `估計期 ${from} – ${to}`,
    colCar: '累積異常報酬率',
    colReaction: '反應',
    reactions: { rallied: '顯著上漲', fell: '顯著下跌', muted: '無顯著反應', pending: '尚待觀察' },
    insufficient: {
      benchmark_missing: '資料不足：沒有基準指數價格',
      short_history: '資料不足：事件前的歷史太短',
      benchmark_gap: '資料不足：基準指數缺少收盤價',
      degenerate_fit: '資料不足：市場模型無法估計',
    },
  },
  episodes: {
    heading: '參考事件',
    intro: '報導用以比較的兩次大跌，自高點收盤價算到谷底收盤價。',
    colEpisode: '事件',
    colIndex: '指數',
    sources: { data: '以已儲存的收盤價計算', config: '官方公布值（未儲存指數歷史）' },
    published: '官方公布值',
    notYet: (a) => `${a.name}：尚未列出。此事件的觀察期至 ${a.windowEnd} 才結束，在此之前谷底尚未確定，而本報告不使用報告日期之後的資料。`,
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
    atHigh: '處於歷史高點',
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
    trough: '高點後最低收盤價',
    event: '新聞',
    events: '新聞事件',
    publishedOnly: '僅有官方公布的高點與谷底',
    logScale: '對數刻度',
    athKey: (a) => `歷史高點：${a.price}（${a.date}）`,
    troughKey: (a) => `高點後最低收盤價：${a.price}（${a.drawdown}，${a.date}）`,
    cohortLevel: (a) => `同期中位數 ${a.depth}`,
    cohortLegend: (a) => `觀察清單同期個股在 ${a.name}期間的跌幅中位數 ${a.depth}${a.deciding ? '（判定以此為準）' : ''}`,
    legendItem: (a) => `${a.name}，${a.date}${a.note ? `（${a.note}）` : ''}`,
  },
  notes: {
    heading: '閱讀說明',
    drawdown:
      '跌幅（回撤） = 收盤價 ÷ 先前最高收盤價 − 1。一段跌勢從低點之前的最後一個高點算起，到首次收回該高點為止；各段不重疊（依 pyfolio 的定義）。只使用報告日期（含）以前的價格。',
    noAdvice: '僅為數據，並非投資建議。',
  },
  saidBy: '出處',
  chaseClaim: {
    // Symbols are Latin: keep a space on each side of 及 (Intl gives "^GSPC和^IXIC"); 及, since the rule
    // already says 與 … 比較.
    list: (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join('、')} 及 ${items.at(-1)}`),
    rule: (a) =>
      `規則：各股報酬率自 ${a.from} 前最後一個收盤價算到 ${a.to}（含）以前最後一個收盤價，與 ${a.benchmarks} 同期報酬率比較；報酬率高於每一個指數，才算跑贏大盤。期間內才上市的股票列出但不計入（自上市價起算的報酬率是另一回事）。`,
    summary: (a) => `期間開始前已上市的 ${a.measured} 檔股票中，有 ${a.counted} 檔（${a.share}）跑贏 ${a.benchmarks}。`,
    baseline: (a) =>
      `與自身以往年度相比：以同一規則計算之前 ${a.years} 個年度（${a.first}–${a.last}，每次將同一期間往前移一年，只計當年開始前已上市的股票；至少須有 ${a.minStocks} 檔才計入）的同一比例。` +
      `其中位數為 ${a.median}；本期的 ${a.share} 位於百分位數 ${a.percentile}。排名 p 值：連同本期共 ${a.total} 個年度中，有 ${a.atLeast} 個年度的比例不低於本期，p = ${a.p}。` +
      (a.follows ? '判定依此 p 值。' : '僅供對照。'),
    noBaseline: (a) => `只有 ${a.years} 個以往年度有足夠的已上市股票；至少須有 ${a.min} 個年度才有基準。`,
    years: (list) => `以往各年度（由近至遠）：${list}。`,
    yearItem: (a) => `${a.year} 年 ${a.counted}/${a.measured}`,
    circular: (benchmarks) => `這些股票占 ${benchmarks} 的比重很大：跑贏這些指數，有一部分等於跑贏自己，因此判定改以各股自身以往年度為基準。`,
    independent: (a) =>
      `與不以這些股票為主的指數比較（${a.name}）：等權重報酬率 ${a.equalWeight}，該指數 ${a.index}，差距 ${a.excess}；${a.measured} 檔中有 ${a.counted} 檔跑贏。僅供對照。`,
    independentMissing: (a) =>
      `與不以這些股票為主的指數比較：未衡量。尚未儲存 ${a.name} 的價格（其中每檔股票約占 0.2%）；將 ${a.symbol} 加入觀察清單即可衡量。扣除這些股票的 ^GSPC 需要各股在指數中的權重，現有儲存的數列無法提供。`,
    earlierRule: (a) => `依先前規則（有報酬率的股票全數計入，期間內上市者自其第一個收盤價起算）：${a.measured} 檔中有 ${a.counted} 檔（${a.share}）。`,
    medianExcess: (a) => `單看 ${a.benchmark}：${a.measured} 檔中有 ${a.counted} 檔跑贏，超額報酬中位數 ${a.median}。`,
    partial: (a) => `期間至 ${a.to} 止；在此之前，報酬率計算至報告日期。`,
    listed: (a) => `${a.ticker} 於期間內上市：報酬率自其第一個收盤價（${a.date}）起算，指數亦自同日起算；不計入比例。`,
    missing: (list) => `${list} 在此期間沒有報酬率。`,
    colReturn: '報酬率',
    colVs: (benchmark) => `相對 ${benchmark}`,
    colBeats: '全數跑贏',
    notCounted: '不計入',
    yes: '是',
    no: '否',
  },
  overextendedClaim: {
    ruleOverextension: (a) =>
      `過度擴張，各股與自身歷史相比：漲幅自 ${a.from} 前最後一個收盤價算到 ${a.to}（報導前一日，之後的高點不計）以前的最高收盤價，與該股以往每年同一期間的漲幅排序（中位秩百分位數）；百分位數達 ${a.percentile} 以上者為過度擴張。以往年度不足 ${a.minYears} 年的股票列出但不判定。`,
    ruleFall: (a) =>
      '跌幅解讀：以 Spearman 等級相關係數（ρ）衡量該百分位數與自高點至最新收盤跌幅深度的關係，只計有基準的股票；若投資人拋售的是漲得最超出常態的股票，ρ 應大於 0。' +
      '單尾排列檢定 p 值：股票與跌幅的所有配對方式中，ρ 不低於實際值者所占的比例。' +
      (a.follows ? '判定依此解讀。' : '僅供對照。'),
    fall: (a) =>
      `${a.n} 檔股票的 ρ = ${a.rho}，p = ${a.p}（${a.exact ? `全部 ${a.permutations} 種配對` : `${a.permutations} 種隨機配對，固定亂數種子`}）` +
      (a.verdict ? `：「${a.verdict}」。` : '。'),
    rankUndefined: 'ρ 無法計算（有基準的股票少於三檔，或數據沒有差異）。',
    rawRunUps: (a) => `對照先前規則（原始漲幅，期間內上市者自其第一個收盤價起算，高點同樣截至報導前）：${a.n} 檔股票的 ρ = ${a.rho}，p = ${a.p}。`,
    ruleVolume: (a) =>
      `成交量解讀，只看過度擴張的股票：收盤價低於前一交易日者為下跌日，高於者為上漲日。下跌日比值 = 最近 ${a.recent} 個交易日中下跌日的平均成交量 ÷ 之前至多 ${a.baseline} 個交易日（至少 ${a.minBaseline} 個）中下跌日的平均成交量；上漲日比值同理。下跌日比值達上漲日比值的 ${a.ratio}以上者才計入：每天都放量並不代表賣壓。` +
      (a.follows ? '判定依此解讀。' : '僅供對照。'),
    volume: (a) => `${a.measured} 檔過度擴張的股票中有 ${a.counted} 檔計入${a.list ? `（${a.list}）` : ''}` + (a.verdict ? `：「${a.verdict}」。` : '。'),
    noneOverextended: '有基準的股票都沒有過度擴張：成交量解讀沒有可判定的股票。',
    unmeasured: (list) => `沒有基準（列出但不判定）：${list}。`,
    missing: (list) => `${list} 在漲幅期間沒有價格。`,
    captionRunUps: '過度擴張與跌幅',
    captionVolumes: '下跌日與上漲日的成交量',
    colRunUp: '至高點漲幅',
    colPercentile: '自身百分位數',
    colFall: '高點至今',
    colDownRatio: '下跌日比值',
    colUpRatio: '上漲日比值',
    colRelative: '下跌 ÷ 上漲',
    colHeavier: '計入',
    years: (n) => `共 ${n} 年`,
    noBaselineCell: '沒有基準',
    overextended: '過度擴張',
    notOverextended: '未過度擴張',
    notJudged: '不判定',
    times: (value) => `${value} 倍`,
  },
  forwardClaim: {
    whyNot: '這是對未來的陳述：報告日期（含）以前的股價無法證實或推翻。',
    wouldTestIt: (text) => `如何檢驗：${text}`,
  },
  history: {
    heading: '各項判定的變化',
    intro: (a) =>
      `自報導日期（${a.from}）至 ${a.to} 的 ${a.sessions} 個交易日，逐日以相同規則與門檻、僅用當日（含）以前儲存的收盤價重新判定每一項說法。圖表顯示各說法的判定數據，並以底色標出判定區間；表格列出判定改變的日期。`,
    notYet: (articleDate) => `報導發布於 ${articleDate}，晚於本報告日期，判定尚無變化可言。`,
    colClaim: '說法',
    colDate: '日期',
    colFrom: '原判定',
    colTo: '新判定',
    colFigure: '判定數據',
    atArticle: '報導發布時',
    unchanged: '報導發布後未改變',
    notTestable: '尚無法檢驗（對未來的陳述）',
    chart: (claim) => `${claim}：逐日判定數據`,
    figure: '判定數據',
  },
};
