// The live page as HTML (pure): the whole page for the first paint (readable with JavaScript off) and
// its <main> alone, which the SSE events carry so the client swaps in exactly what the server would
// render. preact escapes every text and attribute. The page loads only /live.css and /live.js from
// the daemon itself: no inline script or style, so the CSP forbids both (and anything external).
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { messagesFor, pick, verdictLabel, type Lang } from '../../report/render/i18n.js';
import { formatterFor, type Formatter } from '../../report/render/number-format.js';
import type { LiveClaim, LiveSnapshot, LiveSymbol } from '../live-model.js';
import { sparkline } from '../sparkline.js';
import { liveMessagesFor, type LiveMessages } from './live-messages.js';
import { alertText, type AlertFormat } from '../../alerts/alert-text.js';
import type { LiveAlert } from '../live-model.js';

/** The page's policy, in its <meta> (a saved copy keeps it) and as a header with frame-ancestors (which a <meta> cannot carry). */
export const LIVE_CSP_META =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";
export const LIVE_CSP = `${LIVE_CSP_META}; frame-ancestors 'none'`;

interface Ctx {
  lang: Lang;
  f: Formatter;
  m: LiveMessages;
  tz: string;
}

/** A distance in percent: two decimals below 1 % (so a near miss does not read "0.0%"). */
const distance = (f: Formatter, v: number) => f.pct(v, Math.abs(v) < 0.01 ? 2 : 1);

const trendClass = (v: number | null) => (v === null || v === 0 ? 'flat' : v > 0 ? 'up' : 'down');

function Spark({ s, c }: { s: LiveSymbol; c: Ctx }): VNode {
  const g = sparkline(s.intraday);
  if (!g.last) return html`<p class="spark-empty">${c.m.noIntraday}</p>`;
  const label = `${s.symbol} ${c.m.columns.today}: ${s.intraday.length}`;
  return html`<svg class=${`spark ${g.trend}`} viewBox=${`0 0 ${g.width} ${g.height}`} width=${g.width} height=${g.height} role="img" aria-label=${label}>
    ${g.points ? html`<polyline points=${g.points} />` : null}
    <circle cx=${g.last.x} cy=${g.last.y} r="2.5" />
  </svg>`;
}

function SymbolCard({ s, c }: { s: LiveSymbol; c: Ctx }): VNode {
  const state = s.marketState === null ? null : (c.m.marketStates[s.marketState] ?? s.marketState);
  const when = s.kind === 'quote' && s.at ? c.m.quoteAt(c.f.dateTime(s.at, c.tz), state) : c.m.closeOn(c.f.date(s.date));
  return html`<article class="sym" data-symbol=${s.symbol} data-kind=${s.kind}>
    <header><h3>${s.symbol}</h3>${s.name ? html`<span class="name">${s.name}</span>` : null}</header>
    <p class="price"><span class="value" data-price=${String(s.price)}>${c.f.price(s.price)}</span>
      <span class=${`change ${trendClass(s.change)}`}>${c.f.change(s.change, 2)}</span></p>
    <p class=${`when ${s.kind}`}>${when}</p>
    <p class="dd"><span class="label">${c.m.columns.drawdown}</span> <strong class=${trendClass(s.drawdown)}>${c.f.pct(s.drawdown)}</strong></p>
    <p class="ath">${c.m.athNote(c.f.price(s.athClose), c.f.date(s.athDate))}</p>
    ${Spark({ s, c })}
  </article>`;
}

function ClaimCard({ claim, c }: { claim: LiveClaim; c: Ctx }): VNode {
  const words = messagesFor(c.lang);
  return html`<article class="claim" data-claim=${claim.id} data-verdict=${claim.verdict} data-provisional=${String(claim.provisional)}>
    <p class="quote" lang=${c.lang}>${pick(claim.text, c.lang)}</p>
    <p class="verdict-line">
      <span class=${`badge verdict v-${claim.verdict}`}>${verdictLabel(words, claim.verdict)}</span>
      ${claim.provisional ? html`<span class="badge provisional">${c.m.provisional}</span>` : null}
    </p>
    <p class="note">${claim.provisional ? c.m.provisionalNote(c.f.date(claim.asOf)) : c.m.confirmedNote(c.f.date(claim.asOf))}</p>
    ${claim.distances.length
      ? html`<ul class="distances">${claim.distances.map((d) => {
          const reference = c.m.readingReference(d.reading, pick(d.referenceName, c.lang));
          const head = d.next
            ? c.m.nextBand(d.ticker, distance(c.f, d.next.fall), verdictLabel(words, d.next.verdict), reference)
            : c.m.deepestBand(d.ticker, verdictLabel(words, d.verdict), reference);
          const back = d.recovery ? `; ${c.m.recovery(distance(c.f, d.recovery.rise), verdictLabel(words, d.recovery.verdict))}` : '';
          return html`<li data-ticker=${d.ticker} data-reference=${d.referenceId}>${head}${back}</li>`;
        })}</ul>`
      : null}
  </article>`;
}

/** The part of the page that changes: what the SSE events replace. */
function LiveMain({ snap, c }: { snap: LiveSnapshot; c: Ctx }): VNode {
  const { m, f } = c;
  return html`<div class="live-body">
    ${snap.simulated ? html`<p class="banner" data-simulated="true">${m.simulated}</p>` : null}
    ${snap.symbols.length === 0 ? html`<p class="card empty" data-empty="true">${m.noData}</p>` : null}
    ${snap.symbols.length > 0
      ? html`<section aria-labelledby="h-prices"><h2 id="h-prices">${m.prices}</h2>
          <div class="grid">${snap.symbols.map((s) => SymbolCard({ s, c }))}</div>
          ${snap.missing.length && snap.symbols.length ? html`<p class="missing">${m.missing(snap.missing.join(', '))}</p>` : null}
        </section>`
      : null}
    ${snap.claims.length
      ? html`<section aria-labelledby="h-claims"><h2 id="h-claims">${snap.claims.some((c) => c.provisional) ? m.claims : m.claimsAtClose}</h2>${snap.claims.map((claim) => ClaimCard({ claim, c }))}</section>`
      : null}
    <section aria-labelledby="h-alerts"><h2 id="h-alerts">${m.alerts}</h2>
      ${snap.alerts.length
        ? html`<ul class="alerts">${snap.alerts.map(
            (a) => html`<li data-alert=${String(a.id)} data-rule=${a.rule}>
              <time datetime=${a.firedAt}>${f.dateTime(a.firedAt, c.tz)}</time>
              <span class=${`badge ${a.status}`}>${m.alertStatus[a.status]}</span>
              <span class="msg">${alertWords(a, snap, c)}</span>
            </li>`,
          )}</ul>`
        : html`<p class="muted">${m.noAlerts}</p>`}
    </section>
    <section aria-labelledby="h-fresh" class="fresh"><h2 id="h-fresh">${m.freshness}</h2>
      <dl>
        <dt>${m.lastQuote}</dt><dd data-field="last-quote">${snap.freshness.lastQuoteAt ? f.dateTime(snap.freshness.lastQuoteAt, c.tz) : m.none}</dd>
        <dt>${m.lastBar}</dt><dd data-field="last-bar">${snap.freshness.lastBarDate ? f.date(snap.freshness.lastBarDate) : m.none}</dd>
        <dt>${m.health}</dt><dd data-field="health" class=${`health ${snap.health.status}`}>${snap.health.status === 'ok' ? m.healthOk : c.lang === 'zh-Hant' ? `${m.healthFail}：${healthWords(snap.health, c).join('；')}` : `${m.healthFail}: ${healthWords(snap.health, c).join('; ')}`}</dd>
        <dt>${m.updatedAt}</dt><dd data-field="generated">${f.dateTime(snap.generatedAt, c.tz)}</dd>
      </dl>
    </section>
  </div>`;
}

/**
 * An alert in the page's language, from the parts it was stored with: numbers and dates as the page
 * writes them, verdicts by name, a claim by its place ("Claim 5"). A row without those parts (stored
 * by an older version) keeps its stored English sentence.
 */
function alertWords(a: LiveAlert, snap: LiveSnapshot, c: Ctx): string {
  if (!a.payload) return a.message;
  const words = messagesFor(c.lang);
  const format: AlertFormat = {
    pct: (v, digits) => c.f.pct(v, digits),
    money: (v) => c.f.price(v),
    date: (d) => c.f.date(d),
    verdict: (id) => verdictLabel(words, id),
    claim: (id) => {
      const i = snap.claims.findIndex((claim) => claim.id === id);
      return i >= 0 ? words.claims.claim(i + 1) : null;
    },
  };
  return alertText({ rule: a.rule, status: a.status, payload: a.payload }, c.lang, format) ?? a.message;
}

/** The failed checks in the page's language; /healthz's English reasons when the checks are not given. */
function healthWords(h: LiveSnapshot['health'], c: Ctx): string[] {
  if (!h.problems || h.problems.length === 0) return h.reasons;
  const p = c.m.problem;
  return h.problems.map((x) => {
    switch (x.kind) {
      case 'db':
        return p.db(x.error);
      case 'no_data':
        return p.noData;
      case 'stale':
        return p.stale(c.f.date(x.newest), c.f.date(x.expected));
      case 'yahoo':
        return p.yahoo;
      case 'lock':
        return p.lock(x.error);
    }
  });
}

function ctxFor(lang: Lang, snap: LiveSnapshot): Ctx {
  return { lang, f: formatterFor(lang), m: liveMessagesFor(lang), tz: snap.timeZone };
}

/** The inner HTML of <main id="live">. */
export function renderLiveMain(snap: LiveSnapshot, lang: Lang): string {
  return render(LiveMain({ snap, c: ctxFor(lang, snap) }));
}

export function renderLivePage(snap: LiveSnapshot, lang: Lang, eventId: string): string {
  const c = ctxFor(lang, snap);
  const { m } = c;
  const other = m.otherLanguage;
  const page = html`<html lang=${lang}>
    <head>
      <meta charset="utf-8" />
      <meta http-equiv="Content-Security-Policy" content=${LIVE_CSP_META} />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${m.title}</title>
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href="/live.css" />
      <script src="/live.js" defer></script>
      <noscript><meta http-equiv="refresh" content="60" /></noscript>
    </head>
    <body>
      <header class="top">
        <h1>${m.title}</h1>
        <p class="subtitle">${m.subtitle}</p>
        <nav>
          <a href=${other.lang === 'en' ? '/' : `/?lang=${other.lang}`} lang=${other.lang} hreflang=${other.lang}>${other.label}</a>
          <a href=${lang === 'en' ? '/reports/' : `/reports/?lang=${lang}`}>${m.reportsLink}</a>
          <span id="conn" class="conn static" data-live=${m.connection.live} data-reconnecting=${m.connection.reconnecting}>${m.connection.static}</span>
        </nav>
      </header>
      <main id="live" data-event-id=${eventId} data-lang=${lang} dangerouslySetInnerHTML=${{ __html: renderLiveMain(snap, lang) }}></main>
    </body>
  </html>`;
  return `<!doctype html>\n${render(page)}\n`;
}
