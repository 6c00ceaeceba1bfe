// A scripted session for the demo (pure): one symbol's generated path is bent so that its previous
// session closes clearly below its high and the replayed session closes above it. The alert rules
// fire only on a change from the state last evaluated, so a replay only shows an alert when its
// quotes cross something; this makes the crossing certain, whatever date the demo replays.
//
// The bend is two PriceMoves on top of the random walk (universe.ts): a dip into the previous
// session (only when the close is not already far enough below the high) and the rally of the
// session itself. Both are kept afterwards (revertBy null); bars before them are untouched.
import type { IsoDate } from '../domain.js';
import { createGeneratedSource } from './generator.js';
import type { SymbolSpec } from './universe.js';

export interface NewHighScenario {
  /** The candidate's spec with the scenario's moves added: serve this one instead. */
  spec: SymbolSpec;
  symbol: string;
  /** The highest close from the history start through the previous session, and its date. */
  previousHigh: number;
  previousHighDate: IsoDate;
  /** Where the previous session closes and where the session closes, as served. */
  previousClose: number;
  sessionClose: number;
}

export interface NewHighScenarioInput {
  /** Symbols that may play the part; the one needing the smallest push is chosen. */
  candidates: readonly { spec: SymbolSpec; historyStart: IsoDate | null }[];
  seed: number;
  session: IsoDate;
  isTradingDay: (date: IsoDate) => boolean;
  nullRowRate?: number;
  /** The previous close ends at least this far below the high (0.05 = 5 %), so the high is re-armed. */
  dipBelowHigh: number;
  /** The session closes this far above the high (0.03 = 3 %): well clear of the intraday swings. */
  closeAboveHigh: number;
}

interface Plan {
  scenario: NewHighScenario;
  push: number;
}

function planFor(spec: SymbolSpec, historyStart: IsoDate | null, input: NewHighScenarioInput): Plan | null {
  const source = createGeneratedSource({
    seed: input.seed,
    isTradingDay: input.isTradingDay,
    symbols: [spec],
    ...(input.nullRowRate !== undefined ? { nullRowRate: input.nullRowRate } : {}),
  });
  const bars = (source.series(spec.symbol, input.session)?.bars ?? []).filter((b) => b.close !== null);
  const n = bars.length;
  // The session, the previous session and at least one bar before them, each with a close.
  if (n < 3 || bars[n - 1]!.tradeDate !== input.session) return null;
  const [before, previous, session] = [bars[n - 3]!, bars[n - 2]!, bars[n - 1]!];
  let high = -Infinity;
  let highDate: IsoDate = before.tradeDate;
  for (const bar of bars.slice(0, n - 2)) {
    if (historyStart !== null && bar.tradeDate < historyStart) continue;
    if (bar.close! > high) [high, highDate] = [bar.close!, bar.tradeDate];
  }
  if (!Number.isFinite(high)) return null;
  // Log sizes: the dip applies from the previous session on, the rally on top of it at the session.
  const dip = Math.min(0, Math.log(((1 - input.dipBelowHigh) * high) / previous.close!));
  const rally = Math.log(((1 + input.closeAboveHigh) * high) / session.close!) - dip;
  const moves = [
    ...(spec.moves ?? []),
    ...(dip < 0 ? [{ id: 'demo-dip', from: before.tradeDate, to: previous.tradeDate, change: Math.expm1(dip), revertBy: null }] : []),
    { id: 'demo-new-high', from: previous.tradeDate, to: session.tradeDate, change: Math.expm1(rally), revertBy: null },
  ];
  return {
    push: Math.abs(dip) + Math.abs(rally),
    scenario: {
      spec: { ...spec, moves },
      symbol: spec.symbol,
      previousHigh: high,
      previousHighDate: highDate,
      previousClose: previous.close! * Math.exp(dip),
      sessionClose: (1 + input.closeAboveHigh) * high,
    },
  };
}

/** The scenario for the candidate that needs the smallest push, or null when none has the history for it. */
export function newHighScenario(input: NewHighScenarioInput): NewHighScenario | null {
  let best: Plan | null = null;
  for (const { spec, historyStart } of input.candidates) {
    const plan = planFor(spec, historyStart, input);
    if (plan && (!best || plan.push < best.push)) best = plan;
  }
  return best?.scenario ?? null;
}
