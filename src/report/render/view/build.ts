// ReportDocument -> ReportView for one language: every label looked up, every figure formatted.
import type { ReportDocument } from '../../document.js';
import { formatterFor, type Formatter } from '../number-format.js';
import { messagesFor, pick, type Lang, type Messages } from '../i18n.js';
import type { Provenance } from '../../provenance.js';
import { sessionsBetween } from '../../../market/calendar.js';
import { addDays } from '../../../market/iso-date.js';

/** NYSE sessions after `date` up to and including `asOf`. */
const sessionsAfter = (date: string, asOf: string) => sessionsBetween(addDays(date, 1), asOf).length;
import { claimViews } from './claim-views.js';
import { historyView } from './history-view.js';
import { glanceRows, glanceStale } from './glance.js';
import { joinAnd } from './claim-view-kit.js';
import type { Badge, Cell, ReportView, SymbolView, Table } from './types.js';

function header(doc: ReportDocument, m: Messages, f: Formatter): [string, string][] {
  const p: Provenance = doc.provenance;
  const sources = p.dataSource === 'none' ? [] : (p.dataSource.split(',') as (keyof Messages['provenance']['sources'])[]);
  const lastBar = !p.lastBar ? '–' : p.lastBar.min === p.lastBar.max ? m.provenance.lastBarsAll(f.date(p.lastBar.max)) : lastBarsBehind(doc, m, f);
  const lastQuote = p.lastQuote
    ? `${f.dateTime(p.lastQuote.ts, doc.exchangeTimeZone)} (${p.lastQuote.symbol}, ${m.provenance.quoteSources[p.lastQuote.source]})`
    : m.provenance.noQuotes;
  return [
    [m.provenance.dataSource, sources.map((s) => m.provenance.sources[s] ?? s).join(', ') || '–'],
    [m.provenance.lastBars, lastBar],
    [m.provenance.lastQuote, lastQuote],
    [m.provenance.basis, m.provenance.basisText],
    [m.generatedAt, f.dateTime(doc.generatedAt, doc.exchangeTimeZone)],
  ];
}

/**
 * The newest last bar, then every older one with its symbols and how many sessions it is behind the
 * report date: "May 29, 2026 · ^GSPC, ^IXIC: May 11, 2026 (13 sessions behind)", so a stale index is
 * named, not hidden in a range.
 */
function lastBarsBehind(doc: ReportDocument, m: Messages, f: Formatter): string {
  const p = doc.provenance;
  const newest = p.lastBar!.max;
  const byDate = new Map<string, string[]>();
  for (const s of p.symbols) if (s.lastDate && s.lastDate < newest) byDate.set(s.lastDate, [...(byDate.get(s.lastDate) ?? []), s.symbol]);
  const behind = [...byDate]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([date, symbols]) =>
      m.provenance.lastBarsBehind({ symbols: joinAnd(f, symbols), date: f.date(date), sessions: f.int(sessionsAfter(date, doc.model.asOf)) }),
    );
  return [f.date(newest), ...behind].join(m.listSeparator);
}

/** The citation in the report's language where the config gives one (the published figures stay English). */
function citation(doc: ReportDocument, id: string, english: string, f: Formatter): string {
  const ref = doc.claimsConfig.referenceEpisodes.find((r) => r.id === id);
  return (f.lang === 'zh-Hant' ? ref?.citationTranslations?.['zh-Hant'] : undefined) ?? english;
}

/** Reference episodes left out because their window ends after the report date, each with why. */
function episodesPending(doc: ReportDocument, m: Messages, f: Formatter): string[] {
  const shown = new Set(doc.model.episodes.map((e) => e.id));
  return doc.claimsConfig.referenceEpisodes
    .filter((r) => !shown.has(r.id))
    .map((r) => m.episodes.notYet({ name: pick(r.name, f.lang), windowEnd: f.date(r.window.to) }));
}

/** Who published the article, when, under which title. */
function articleFacts(doc: ReportDocument, m: Messages, f: Formatter): [string, string][] {
  const a = doc.model.article;
  const facts: [string, string][] = [];
  if (a.outlet) facts.push([m.articleInfo.outlet, pick(a.outlet, f.lang)]);
  facts.push([
    m.articleInfo.published,
    m.articleInfo.publishedAt({
      date: f.date(a.date),
      time: a.time ?? null,
      zone: a.timeZone ? (m.articleInfo.zones[a.timeZone] ?? a.timeZone) : null,
      note: a.timeNote ? pick(a.timeNote, f.lang) : null,
    }),
  ]);
  if (a.title) {
    facts.push([
      m.articleInfo.title,
      m.articleInfo.titleText({
        title: a.title,
        translation: f.lang === 'zh-Hant' ? null : (a.titleTranslation ?? null),
        note: a.titleNote ? pick(a.titleNote, f.lang) : null,
      }),
    ]);
  }
  return facts;
}

function episodesTable(doc: ReportDocument, m: Messages, f: Formatter): Table {
  return {
    columns: [
      { label: m.episodes.colEpisode },
      { label: m.episodes.colIndex },
      { label: m.symbols.colPeak, numeric: true },
      { label: m.symbols.colTrough, numeric: true },
      { label: m.symbols.colDepth, numeric: true },
      { label: m.symbols.colSessions, numeric: true },
      { label: m.symbols.colSource },
    ],
    rows: doc.model.episodes.map((e): Cell[] => [
      { text: pick(e.name, f.lang), sub: citation(doc, e.id, e.citation, f) },
      { text: e.symbol },
      { text: f.price(e.peakClose), sub: f.date(e.peakDate) },
      { text: f.price(e.troughClose), sub: f.date(e.troughDate) },
      { text: f.pct(e.depth, 2), ...(e.source === 'data' ? { sub: `${m.episodes.published} ${f.pct(e.published.depth, 2)}` } : {}) },
      { text: f.int(e.sessionsToTrough) },
      { text: m.episodes.sources[e.source] },
    ]),
  };
}

function simBadge(m: Messages, simulated: boolean): Badge | null {
  return simulated ? { text: m.provenance.simulatedBadge, tone: 'sim' } : null;
}

function symbolsTable(doc: ReportDocument, m: Messages, f: Formatter): Table {
  const prov = new Map(doc.provenance.symbols.map((s) => [s.symbol, s]));
  return {
    columns: [
      { label: m.symbols.colSymbol },
      { label: m.symbols.colName },
      { label: m.symbols.colLastClose, numeric: true },
      { label: m.symbols.colAthClose, numeric: true },
      { label: m.symbols.colDrawdown, numeric: true },
      { label: m.symbols.colMaxDrawdown, numeric: true },
      { label: m.symbols.colSource },
    ],
    rows: doc.model.symbols.map((s): Cell[] => {
      const p = prov.get(s.symbol);
      const badge = simBadge(m, p?.simulated ?? false);
      const mdd = s.maxDrawdown;
      return [
        { text: s.symbol, ...(badge ? { badge } : {}) },
        { text: p?.name ?? '' },
        { text: f.price(s.lastClose), sub: f.date(s.lastDate) },
        { text: f.price(s.athClose), sub: f.date(s.athDate) },
        { text: s.drawdown === 0 ? m.symbols.atHigh : f.pct(s.drawdown) },
        { text: f.pct(mdd.depth), ...(mdd.depth < 0 ? { sub: `${f.date(mdd.peakDate)} – ${f.date(mdd.troughDate)}` } : {}) },
        { text: (p?.sources ?? []).map((src) => m.provenance.sources[src]).join(', ') },
      ];
    }),
  };
}

function symbolCards(doc: ReportDocument, m: Messages, f: Formatter): SymbolView[] {
  const prov = new Map(doc.provenance.symbols.map((s) => [s.symbol, s]));
  const charts = new Map(doc.charts.symbols.map((c) => [c.symbol, c]));
  // A symbol left uncharted because the report is large is listed in the summary table only.
  const uncharted = new Set(doc.charts.uncharted);
  return doc.model.symbols.filter((s) => !uncharted.has(s.symbol)).map((s) => {
    const periods: Table | null = s.periods.length
      ? {
          columns: [
            { label: m.symbols.colPeak, numeric: true },
            { label: m.symbols.colTrough, numeric: true },
            { label: m.symbols.colRecovery },
            { label: m.symbols.colDepth, numeric: true },
            { label: m.symbols.colSessions, numeric: true },
          ],
          rows: s.periods.map((e) => [
            { text: f.price(e.peakClose), sub: f.date(e.peakDate) },
            { text: f.price(e.troughClose), sub: f.date(e.troughDate) },
            { text: e.recoveryDate ? f.date(e.recoveryDate) : m.symbols.notRecovered },
            { text: f.pct(e.depth) },
            { text: f.int(e.sessionsToTrough) },
          ]),
        }
      : null;
    return {
      symbol: s.symbol,
      name: prov.get(s.symbol)?.name ?? null,
      simulated: simBadge(m, prov.get(s.symbol)?.simulated ?? false),
      periods,
      note: periods ? null : m.symbols.noDrawdown,
      chart: charts.get(s.symbol) ?? null,
    };
  });
}

export function buildReportView(doc: ReportDocument, lang: Lang): ReportView {
  const m = messagesFor(lang);
  const f = formatterFor(lang);
  const { model, provenance } = doc;
  const claims = claimViews(doc, m, f);
  return {
    lang,
    title: m.title,
    subtitle: m.subtitle,
    asOf: `${m.asOf} ${f.date(model.asOf)}`,
    headerHeading: m.provenance.heading,
    header: header(doc, m, f),
    simulatedBanner: provenance.simulated ? m.provenance.simulatedBanner : null,
    missing: model.missingSymbols.length ? m.provenance.missingSymbols(model.missingSymbols.join(', ')) : null,
    articleHeading: m.article,
    article: pick(model.article.summary, lang),
    articleFacts: articleFacts(doc, m, f),
    glanceHeading: m.glance.heading,
    glanceIntro: m.glance.intro,
    glanceStale: glanceStale(doc, m, f),
    glance: glanceRows(doc, claims, m, f),
    claimsHeading: m.claims.heading,
    claims,
    history: historyView(model, m, f),
    episodesHeading: m.episodes.heading,
    episodesIntro: m.episodes.intro,
    episodes: episodesTable(doc, m, f),
    episodesPending: episodesPending(doc, m, f),
    symbolsHeading: m.symbols.heading,
    symbols: symbolsTable(doc, m, f),
    symbolCards: symbolCards(doc, m, f),
    chartsNote: doc.charts.uncharted.length
      ? m.symbols.chartsLimited(model.symbols.length - doc.charts.uncharted.length, doc.charts.uncharted.length)
      : null,
    periodsHeading: m.symbols.periodsHeading,
    notesHeading: m.notes.heading,
    notes: [m.notes.drawdown, m.notes.noAdvice],
  };
}
