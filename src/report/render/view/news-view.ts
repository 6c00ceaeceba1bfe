// The news claim in words and as a table: the market-model method, what the test can see (its
// smallest detectable CAR per event), which date of each event decides, and per event and date the
// exact returns the CAR sums, the stock's and the benchmark's return over that same span, alpha and
// beta, the CAR with t and the detectable CAR, and the reaction.
import type { EventReaction, EventStudyAt, NewsClaimResult } from '../../../analysis/claims/news-claim.js';
import type { Formatter } from '../number-format.js';
import { pick, type Messages } from '../i18n.js';
import type { ClaimViewParts } from './article-claim-views.js';
import { cell, joinList, type ClaimViewContext } from './claim-view-kit.js';
import type { Badge, Cell, Table } from './types.js';

/** Session offsets as the method text writes them: a true minus sign, a plus on positive ones. */
function offset(f: Formatter, n: number): string {
  return n > 0 ? `+${f.int(n)}` : n < 0 ? `−${f.int(-n)}` : f.int(0);
}

const REACTION_TONES = { rallied: 'holds', fell: 'fails', muted: 'neutral', pending: 'unknown' } as const;

function reactionBadge(m: Messages, e: Pick<EventStudyAt, 'reaction' | 'marketModelInsufficient'>): Badge {
  if (e.reaction === 'insufficient_data') {
    return { text: e.marketModelInsufficient ? m.newsClaim.insufficient[e.marketModelInsufficient] : m.verdicts.insufficient_data, tone: 'unknown' };
  }
  return { text: m.newsClaim.reactions[e.reaction], tone: REACTION_TONES[e.reaction] };
}

export function reactionWord(m: Messages, reaction: EventStudyAt['reaction']): string {
  return reaction === 'insufficient_data' ? m.verdicts.insufficient_data : m.newsClaim.reactions[reaction];
}

/** One table row: an event measured from one of its dates. */
function studyRow(m: Messages, f: Formatter, benchmark: string, e: EventReaction, study: EventStudyAt, kind: 'first' | 'completed'): Cell[] {
  const mm = study.marketModel;
  const when = kind === 'first' ? m.newsClaim.firstReport(f.date(study.date)) : m.newsClaim.completed(f.date(study.date));
  return [
    // Six columns, not nine: the table must fit a page (and a phone) without hiding the reaction.
    cell(pick(e.headline, f.lang), `${e.ticker} · ${when}`),
    mm
      ? cell(`${f.date(mm.windowFrom)} – ${f.date(mm.windowTo)}`, m.newsClaim.windowSpan({ returns: f.int(mm.windowReturns), base: f.date(mm.windowBaseDate) }))
      : cell('–'),
    mm ? cell(f.change(mm.stockReturn), m.newsClaim.benchmarkReturn(benchmark, f.change(mm.benchmarkReturn))) : cell('–'),
    mm ? cell(`α ${f.change(mm.alpha, 2)} · β ${f.num(mm.beta, 2)}`, m.newsClaim.estimation(f.date(mm.estimationFrom), f.date(mm.estimationTo))) : cell('–'),
    mm ? cell(f.change(mm.car), `t = ${f.num(mm.t, 2)} · ${m.newsClaim.detectable(f.pct(mm.minDetectableCar))}`) : cell('–'),
    cell('', undefined, reactionBadge(m, study)),
  ];
}

function firstStudy(e: EventReaction): EventStudyAt {
  return { date: e.date, marketModel: e.marketModel, reaction: e.reaction, marketModelInsufficient: e.marketModelInsufficient };
}

export function newsParts({ m, f }: ClaimViewContext, claim: NewsClaimResult, benchmark: string | null): ClaimViewParts {
  const spec = claim.eventStudy;
  const judged = claim.events.filter((e) => e.marketModel !== null).length;
  const windowReturns = f.int(spec.windowLast - spec.windowFirst + 1);
  const sentences = [
    benchmark
      ? m.newsClaim.method({
          benchmark,
          estimationReturns: f.int(spec.estimationLast - spec.estimationFirst + 1),
          estimationFirst: offset(f, spec.estimationFirst),
          estimationLast: offset(f, spec.estimationLast),
          windowFirst: offset(f, spec.windowFirst),
          windowLast: offset(f, spec.windowLast),
          windowReturns,
          criticalT: f.num(spec.criticalT, 2),
        })
      : m.newsClaim.noBenchmark,
    m.newsClaim.judged({ judged: f.int(judged), total: f.int(claim.events.length) }),
  ];
  const powered = claim.events.flatMap((e) => (e.marketModel ? [m.newsClaim.powerItem({ ticker: e.ticker, mdc: f.pct(e.marketModel.minDetectableCar) })] : []));
  if (powered.length) sentences.push(m.newsClaim.power({ list: joinList(f, powered), criticalT: f.num(spec.criticalT, 2), windowReturns }));
  const completions = claim.events.flatMap((e) =>
    e.completion
      ? [
          m.newsClaim.completionItem({
            ticker: e.ticker,
            first: f.date(e.date),
            completed: f.date(e.completion.date),
            reaction: reactionWord(m, e.completion.reaction),
            t: e.completion.marketModel ? f.num(e.completion.marketModel.t, 2) : '–',
          }),
        ]
      : [],
  );
  if (completions.length) sentences.push(m.newsClaim.completions({ list: joinList(f, completions) }));
  const table: Table = {
    columns: [
      { label: m.newsClaim.colEvent },
      { label: m.newsClaim.colWindow },
      { label: m.newsClaim.colReturn, numeric: true },
      { label: m.newsClaim.colModel, numeric: true },
      { label: m.newsClaim.colCar, numeric: true },
      { label: m.newsClaim.colReaction },
    ],
    rows: claim.events.flatMap((e) => [
      studyRow(m, f, benchmark ?? '', e, firstStudy(e), 'first'),
      ...(e.completion ? [studyRow(m, f, benchmark ?? '', e, e.completion, 'completed')] : []),
    ]),
  };
  return { sentences, table, comparison: null };
}
