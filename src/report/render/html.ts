// The report as one self-contained HTML page (pure): preact components written with htm, rendered to a
// string. Every piece of text goes in as a child or attribute value, which preact escapes, so a symbol
// or headline can never become markup. Nothing is loaded from elsewhere: inline CSS and SVG only, and
// a Content-Security-Policy that forbids any request should a future change add one by mistake.
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import type { FallComparison } from './chart-data.js';
import type { ReportDocument } from '../document.js';
import { formatterFor, type Formatter } from './number-format.js';
import { messagesFor, pick, type Lang, type Messages } from './i18n.js';
import { ComparisonChart, PriceChart, UnderwaterChart, atBothWidths, fallColor } from './html/charts.js';
import { CSS } from './html/styles.js';
import { HISTORY_CSS, HistoryChart } from './html/history-chart.js';
import { buildReportView } from './view/build.js';
import type { Badge, Cell, ClaimView, GlanceRow, HistoryView, ReportView, SymbolView, Table } from './view/types.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function BadgeTag({ badge, verdict = false }: { badge: Badge; verdict?: boolean }): VNode {
  return html`<span class=${`badge ${badge.tone}${verdict ? ' verdict' : ''}`}>${badge.text}</span>`;
}

/**
 * A cell carries its column's label (data-label): on a phone each row is drawn as a small card, every
 * value beside its label, so no table scrolls sideways and no text is cut off at the screen's edge.
 */
function CellTag({ cell, column }: { cell: Cell; column: Table['columns'][number] | undefined }): VNode {
  const cls = [column?.numeric ? 'num' : '', column?.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ');
  return html`<td class=${cls || undefined} data-label=${column?.label}><span class="cell">
    ${cell.text}${cell.badge ? BadgeTag({ badge: cell.badge }) : null}
    ${cell.sub ? html`<span class="sub">${cell.sub}</span>` : null}
  </span></td>`;
}

function TableTag({ table }: { table: Table }): VNode {
  return html`<div class="table-wrap"><table>
    <thead><tr>${table.columns.map((c) => html`<th class=${c.numeric ? 'num' : undefined}>${c.label}</th>`)}</tr></thead>
    <tbody>${table.rows.map((r) => html`<tr>${r.map((cell, i) => CellTag({ cell, column: table.columns[i] }))}</tr>`)}</tbody>
  </table></div>`;
}

function Comparison({ comparison, f, m }: { comparison: FallComparison; f: Formatter; m: Messages }): VNode {
  return html`<figure>
    ${atBothWidths((at) => ComparisonChart({ comparison, f, m, at }))}
    <ul class="legend">
      ${comparison.lines.map((l) => {
        const name = l.name ? pick(l.name, f.lang) : l.symbol;
        const note = l.source === 'config' ? m.charts.publishedOnly : null;
        return html`<li><span class="swatch" style=${{ background: fallColor(comparison.lines, l) }}></span>${m.charts.legendItem({ name, date: f.date(l.peakDate), note })}</li>`;
      })}
      ${comparison.levels.map(
        (level) =>
          html`<li><span class="swatch level"></span>${m.charts.cohortLegend({ name: level.name ? pick(level.name, f.lang) : level.referenceId, depth: f.pct(level.depth), deciding: level.deciding })}</li>`,
      )}
    </ul>
    <figcaption>${m.charts.comparisonNote}</figcaption>
  </figure>`;
}

function Glance({ rows }: { rows: GlanceRow[] }): VNode {
  return html`<ul class="glance">
    ${rows.map(
      (g) => html`<li data-claim=${g.claimId}>
        <span class="glance-head">${g.heading}</span>
        ${BadgeTag({ badge: g.verdict, verdict: true })}
        ${g.figure ? html`<span class="figure">${g.figure}</span>` : null}
        <span class="glance-claim">${g.claim}</span>
        ${g.reading ? html`<span class="reading">${g.reading}</span>` : null}
      </li>`,
    )}
  </ul>`;
}

function ClaimCard({ claim, f, m }: { claim: ClaimView; f: Formatter; m: Messages }): VNode {
  return html`<article class="card claim" id=${`claim-${claim.id}`} data-claim=${claim.id} data-verdict=${claim.verdictId}>
    <div class="claim-head">
      <h3>${claim.heading}</h3>
      ${BadgeTag({ badge: claim.verdict, verdict: true })}
      ${claim.simulated ? BadgeTag({ badge: claim.simulated }) : null}
    </div>
    <blockquote lang="zh-Hant">${claim.quote}</blockquote>
    ${claim.translation ? html`<p class="translation">${claim.translation}</p>` : null}
    ${claim.saidBy ? html`<p class="said-by">${`${m.articleInfo.saidBy}${m.colon}${claim.saidBy}`}</p>` : null}
    <dl class="facts">${claim.facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
    <div class="sentences">${claim.sentences.map((s) => html`<p>${s}</p>`)}</div>
    ${claim.comparison ? Comparison({ comparison: claim.comparison, f, m }) : null}
    ${claim.table ? TableTag({ table: claim.table }) : null}
    ${(claim.extraTables ?? []).map((table) => html`${table.caption ? html`<h4>${table.caption}</h4>` : null}${TableTag({ table })}`)}
  </article>`;
}

function History({ history, f }: { history: HistoryView; f: Formatter }): VNode {
  return html`<section class="history" id="verdict-history">
    <h2>${history.heading}</h2>
    <p>${history.intro}</p>
    ${history.charts.length || history.table
      ? html`<div class="card">
          ${history.charts.map(
            (chart) => html`<figure>
              ${atBothWidths((at) => HistoryChart({ chart, f, at }))}
              <figcaption>${chart.title}</figcaption>
              <ul class="legend">
                ${chart.bands.map((band) => html`<li><span class=${`swatch band ${band.tone}${band.strong ? ' strong' : ''}`}></span>${`${band.range} ${band.label}`}</li>`)}
              </ul>
            </figure>`,
          )}
          ${history.table ? TableTag({ table: history.table }) : null}
        </div>`
      : null}
  </section>`;
}

function SymbolCard({ card, periodsHeading, f, m }: { card: SymbolView; periodsHeading: string; f: Formatter; m: Messages }): VNode {
  const chart = card.chart;
  return html`<section class="card symbol" id=${`symbol-${card.symbol}`} data-symbol=${card.symbol}>
    <div class="symbol-head">
      <h3>${card.symbol}</h3>
      ${card.name ? html`<span class="name">${card.name}</span>` : null}
      ${card.simulated ? BadgeTag({ badge: card.simulated }) : null}
    </div>
    ${chart
      ? html`<div class="charts">
          <figure>
            ${atBothWidths((at) => PriceChart({ chart, f, m, at }))}
            <figcaption class="chart-key">
              <span class="key ath">${m.charts.athKey({ price: f.price(chart.ath.close), date: f.date(chart.ath.date) })}</span>
              ${chart.trough
                ? html`<span class="key trough">${m.charts.troughKey({ price: f.price(chart.trough.close), drawdown: f.pct(chart.trough.drawdown), date: f.date(chart.trough.date) })}</span>`
                : null}
            </figcaption>
          </figure>
          ${chart.events.length
            ? html`<ol class="events" aria-label=${m.charts.events}>
                ${chart.events.map((e) => html`<li>${`${f.date(e.date)}${m.colon}${pick(e.headline, f.lang)}`}</li>`)}
              </ol>`
            : null}
          <figure>${atBothWidths((at) => UnderwaterChart({ chart, f, m, at }))}</figure>
        </div>`
      : null}
    ${card.periods ? html`<h4>${periodsHeading}</h4>${TableTag({ table: card.periods })}` : null}
    ${card.note ? html`<p>${card.note}</p>` : null}
  </section>`;
}

function Page({ v, f, m }: { v: ReportView; f: Formatter; m: Messages }): VNode {
  return html`<html lang=${v.lang}>
    <head>
      <meta charset="utf-8" />
      <meta http-equiv="Content-Security-Policy" content=${CSP} />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${`${v.title}${m.colon}${v.asOf}`}</title>
      <style dangerouslySetInnerHTML=${{ __html: CSS + HISTORY_CSS }}></style>
    </head>
    <body>
      <header>
        <h1>${v.title}</h1>
        <p class="asof">${v.asOf}</p>
        <p class="subtitle">${v.subtitle}</p>
        ${v.simulatedBanner ? html`<div class="banner" role="alert" data-simulated="true">${v.simulatedBanner}</div>` : null}
        <section class="card" aria-label=${v.headerHeading}>
          <dl class="provenance">${v.header.map(([k, val]) => html`<dt>${k}</dt><dd>${val}</dd>`)}</dl>
          ${v.missing ? html`<p class="missing">${v.missing}</p>` : null}
        </section>
      </header>
      <main>
        <section class="card" aria-labelledby="glance">
          <h2 id="glance" class="glance-title">${v.glanceHeading}</h2>
          <p class="subtitle">${v.glanceIntro}</p>
          ${v.glanceStale.map((line) => html`<p class="stale" role="note">${line}</p>`)}
          ${Glance({ rows: v.glance })}
        </section>
        <h2>${v.articleHeading}</h2>
        <dl class="provenance article">${v.articleFacts.map(([k, val]) => html`<dt>${k}</dt><dd>${val}</dd>`)}</dl>
        <p>${v.article}</p>
        <h2>${v.claimsHeading}</h2>
        ${v.claims.map((claim) => ClaimCard({ claim, f, m }))}
        ${History({ history: v.history, f })}
        <h2>${v.episodesHeading}</h2>
        <p>${v.episodesIntro}</p>
        ${v.episodesPending.map((p) => html`<p class="pending">${p}</p>`)}
        ${v.episodes.rows.length ? html`<div class="card">${TableTag({ table: v.episodes })}</div>` : null}
        <h2>${v.symbolsHeading}</h2>
        <div class="card">${TableTag({ table: v.symbols })}</div>
        ${v.chartsNote ? html`<p class="charts-note">${v.chartsNote}</p>` : null}
        ${v.symbolCards.map((card) => SymbolCard({ card, periodsHeading: v.periodsHeading, f, m }))}
        <section class="notes">
          <h2>${v.notesHeading}</h2>
          ${v.notes.map((n) => html`<p>${n}</p>`)}
        </section>
      </main>
    </body>
  </html>`;
}

export function renderHtml(doc: ReportDocument, lang: Lang): string {
  const v = buildReportView(doc, lang);
  return `<!doctype html>\n${render(Page({ v, f: formatterFor(lang), m: messagesFor(lang) }))}\n`;
}
