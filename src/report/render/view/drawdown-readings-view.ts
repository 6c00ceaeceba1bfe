// The drawdown claim's three readings in words and as a table: how each is made, what it decides, the falls it
// rests on (each stock's own falls in the reference windows, the cohort and its median).
import type { DrawdownClaimResult } from '../../../analysis/claims/drawdown-claim.js';
import type { DrawdownReadingResult } from '../../../analysis/claims/drawdown-readings.js';
import { verdictLabel } from '../i18n.js';
import { cell, fallSize, joinList, joinSentences, referenceName, type ClaimViewContext } from './claim-view-kit.js';
import type { Badge, Table } from './types.js';

/**
 * Ratios to one decimal: at none, 99.9 % (comparable) would read "100%" beside the "as deep or deeper"
 * band's ">= 100%".
 */
const RATIO_DIGITS = 1;

/** The fall a reading set the ticker against in one window, signed. */
function referenceDepthOf(reading: DrawdownReadingResult, ticker: string, referenceId: string): number | null {
  return reading.comparisons.find((c) => c.ticker === ticker && c.referenceId === referenceId)?.referenceDepth ?? null;
}

function resultSentence(ctx: ClaimViewContext, claim: DrawdownClaimResult, r: DrawdownReadingResult): string {
  const { m, f } = ctx;
  const follows = r.reading === claim.verdictReading;
  const verdict = verdictLabel(m, r.verdict);
  const d = r.deciding;
  if (!d) return m.drawdownReadings.undecided({ reading: r.reading, unmeasured: joinList(f, r.unmeasured) || '–', verdict, follows });
  const depth = referenceDepthOf(r, d.ticker, d.referenceId)!;
  const against = m.drawdownReadings.against[r.reading]({
    reference: referenceName(ctx, d.referenceId),
    depth: f.pct(depth, 2),
    fall: fallSize(f, depth, 2),
  });
  return m.drawdownReadings.decided({ reading: r.reading, ticker: d.ticker, ratio: f.pct(d.ratio, RATIO_DIGITS), against, verdict, follows });
}

/** Each reading's rule and result, then the falls the second and third rest on. */
export function readingsSentences(ctx: ClaimViewContext, claim: DrawdownClaimResult): string[] {
  const { m, f } = ctx;
  const out: string[] = [];
  // One paragraph per reading: how it is made, then what it gives.
  for (const r of claim.readings) out.push(joinSentences(f, m.drawdownReadings.rule[r.reading], resultSentence(ctx, claim, r)));
  out.push(m.drawdownReadings.openFall);
  for (const t of claim.tickers) {
    const falls = t.windowFalls.filter((w) => w.episode !== null);
    if (falls.length === 0) out.push(m.drawdownReadings.noOwnFall(t.ticker));
    for (const w of falls) {
      const ep = w.episode!;
      out.push(
        m.drawdownReadings.ownFall({
          ticker: t.ticker,
          reference: referenceName(ctx, w.referenceId),
          from: f.date(w.from),
          to: f.date(w.to),
          depth: f.pct(ep.depth, 2),
          fall: fallSize(f, ep.depth, 2),
          peakDate: f.date(ep.peakDate),
          troughDate: f.date(ep.troughDate),
        }),
      );
    }
  }
  for (const c of claim.cohorts) {
    if (c.median === null) continue;
    const members = c.members.map((x) => m.drawdownReadings.cohortMember({ symbol: x.symbol, depth: f.pct(x.depth, 1), fall: fallSize(f, x.depth) }));
    const cohort =
      m.drawdownReadings.cohort({
        reference: referenceName(ctx, c.referenceId),
        from: f.date(c.from),
        to: f.date(c.to),
        count: f.int(c.members.length),
        members: joinList(f, members),
        median: f.pct(c.median, 2),
        medianFall: fallSize(f, c.median, 2),
      });
    out.push(c.notTrading.length ? joinSentences(f, cohort, m.drawdownReadings.notTrading(joinList(f, c.notTrading))) : cohort);
  }
  return out;
}

/** One row per stock and reading: the ratio to each window's fall, with that fall under it and its band. */
export function readingsTable(ctx: ClaimViewContext, claim: DrawdownClaimResult, verdictBadge: (id: string) => Badge): Table {
  const { m, f } = ctx;
  // Columns in the episodes' (config) order, whichever reading names a window first.
  const used = new Set(claim.readings.flatMap((r) => r.comparisons.map((c) => c.referenceId)));
  const refs = ctx.doc.model.episodes.map((e) => e.id).filter((id) => used.has(id));
  return {
    caption: m.drawdownReadings.caption,
    columns: [
      { label: m.symbols.colSymbol },
      { label: m.drawdownReadings.colReading },
      { label: m.symbols.colDrawdown, numeric: true },
      ...refs.map((id) => ({ label: m.drawdownClaim.colRatio(referenceName(ctx, id)), numeric: true })),
    ],
    rows: claim.tickers.flatMap((t) =>
      claim.readings.map((r) => [
        cell(t.ticker),
        cell(m.drawdownReadings.readingName[r.reading]),
        cell(f.pct(t.drawdown)),
        ...refs.map((id) => {
          const c = r.comparisons.find((x) => x.ticker === t.ticker && x.referenceId === id);
          return c ? cell(f.pct(c.ratio, RATIO_DIGITS), m.drawdownReadings.ofFall(f.pct(c.referenceDepth, 2), fallSize(f, c.referenceDepth, 2)), verdictBadge(c.band)) : cell('–');
        }),
      ]),
    ),
  };
}
