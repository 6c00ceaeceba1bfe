// The alert rules (pure): the facts an ingest just stored, plus the state the last evaluation left,
// in; the alerts that fire and the new state out. No clock, no database: `now` and every fact come in
// as arguments, so each rule is tested with plain values.
//
// Every rule compares the latest facts with the state last evaluated, never the history in between:
// a backfill, a re-fetch or a gap of weeks between two syncs fires at most once per level crossed,
// and a subject seen for the first time (no state) only has its state recorded.
import type { IsoDate } from '../domain.js';
import { alertText, money, percent } from './alert-text.js';

// The message of each alert is its parts in English (alert-text.ts), so the stored sentence and the
// live page's words in either language come from the same payload.
export { money, percent };

export type AlertRuleName = 'drawdown_level' | 'all_time_high' | 'verdict_change' | 'stale_data' | 'sync_failed' | 'verify_difference';
export type AlertBasis = 'provisional' | 'confirmed';

export interface RuleSettings {
  /** Drawdown levels as fractions, e.g. [-0.1, -0.2, -0.3, -0.4, -0.5]. */
  levels: readonly number[];
  /**
   * Hysteresis as a fraction (0.02 = 2 points): a level crossed downwards re-arms only once the
   * drawdown is back above level + hysteresis, and a level recovered upwards fires again only at the
   * level itself. A new all-time high re-arms once the price has fallen this far below the high.
   */
  hysteresis: number;
}

/** A symbol's latest price against its all-time high (closes), from a close or an intraday quote. */
export interface PriceFact {
  symbol: string;
  price: number;
  /** Highest stored close and its date. */
  athClose: number;
  athDate: IsoDate;
  /** The date of the last stored close (for a close, its own date). */
  closeDate: IsoDate;
  /** 'confirmed': the last close; 'provisional': an intraday quote. */
  basis: AlertBasis;
  /** When the price is from: the bar's date or the quote's ISO time (it makes the alert's dedupe key). */
  at: string;
}

export interface VerdictFacts {
  basis: AlertBasis;
  /** The date (or quote time) the verdicts are as of. */
  at: string;
  /** claimId -> verdict id (e.g. 'comparable_2008'). */
  byClaim: ReadonlyMap<string, string>;
}

export interface FreshnessFacts {
  /** The last session whose bar should be stored by now. */
  expected: IsoDate;
  /** symbol -> its last stored bar date (null: none). */
  lastBars: ReadonlyMap<string, IsoDate | null>;
}

export interface SyncFact {
  runId: number;
  status: 'ok' | 'partial' | 'failed' | 'aborted';
  failures: readonly { symbol: string; reason: string }[];
}

/** What a verify run found: its differing ranges (repaired or not). */
export interface VerifyFact {
  runId: number;
  ranges: readonly { symbol: string; firstDate: IsoDate; lastDate: IsoDate; fields: readonly string[]; kind: string; repaired: boolean }[];
}

export interface RuleFacts {
  prices?: readonly PriceFact[];
  verdicts?: VerdictFacts;
  freshness?: FreshnessFacts;
  sync?: SyncFact;
  verify?: VerifyFact;
}

export interface DrawdownAlertState {
  /** Levels currently crossed (the drawdown went at or below them and has not recovered past the band). */
  crossed: number[];
  athClose: number;
  athDate: IsoDate;
  /** False after a new-high alert, until the price falls `hysteresis` below the high. */
  athArmed: boolean;
  /** The last drawdown evaluated and when it was from. */
  drawdown: number;
  at: string;
  /** The last stored close evaluated: closes on or before it are history already seen. */
  closeDate: IsoDate;
}

export interface VerdictState {
  confirmed: string | null;
  /** The latest provisional verdict; reset to the confirmed one at each close. */
  provisional: string | null;
  at: string;
}

export interface FlagState {
  on: boolean;
  at: string;
}

/** The differences the last verify found, as one comparable string ('' when it found none). */
export interface VerifyState {
  signature: string;
  at: string;
}

/** alert_state rows: key -> state. Keys: drawdown:SYM, verdict:CLAIM, stale:SYM, sync, verify. */
export type AlertStateMap = ReadonlyMap<string, unknown>;

export interface NewAlert {
  rule: AlertRuleName;
  symbol: string | null;
  claimId: string | null;
  basis: AlertBasis;
  payload: Record<string, unknown>;
  message: string;
  /** The same transition seen by two writers makes the same key, so it is stored once. */
  dedupeKey: string;
}

export interface RulesResult {
  alerts: NewAlert[];
  /** Only the keys whose state changed (or was first recorded). */
  state: Map<string, unknown>;
}

export const stateKeys = {
  drawdown: (symbol: string) => `drawdown:${symbol}`,
  verdict: (claimId: string) => `verdict:${claimId}`,
  stale: (symbol: string) => `stale:${symbol}`,
  sync: 'sync',
  verify: 'verify',
} as const;

/** The English sentence of an alert from the parts it stores. */
function messageOf(rule: AlertRuleName, basis: AlertBasis, payload: Record<string, unknown>): string {
  return alertText({ rule, status: basis, payload }, 'en') ?? rule;
}

/** Rounding noise must not decide a crossing: -0.1 computed as -0.09999999999999998 is at the level. */
const EPS = 1e-9;

export function evaluateRules(settings: RuleSettings, state: AlertStateMap, facts: RuleFacts): RulesResult {
  const out: RulesResult = { alerts: [], state: new Map() };
  for (const p of facts.prices ?? []) evaluatePrice(settings, state.get(stateKeys.drawdown(p.symbol)) as DrawdownAlertState | undefined, p, out);
  if (facts.verdicts) evaluateVerdicts(state, facts.verdicts, out);
  if (facts.freshness) evaluateFreshness(state, facts.freshness, out);
  if (facts.sync) evaluateSync(state.get(stateKeys.sync) as FlagState | undefined, facts.sync, out);
  if (facts.verify) evaluateVerify(state.get(stateKeys.verify) as VerifyState | undefined, facts.verify, out);
  return out;
}

function evaluatePrice(settings: RuleSettings, prev: DrawdownAlertState | undefined, fact: PriceFact, out: RulesResult): void {
  const levels = [...settings.levels].sort((a, b) => b - a); // -0.1 first
  const h = settings.hysteresis;
  const drawdown = Math.min(0, fact.price / fact.athClose - 1);
  const key = stateKeys.drawdown(fact.symbol);
  const next = (crossed: readonly number[], athArmed: boolean): DrawdownAlertState => ({
    crossed: levels.filter((l) => crossed.includes(l)),
    athClose: fact.athClose,
    athDate: fact.athDate,
    athArmed,
    drawdown,
    at: fact.at,
    closeDate: fact.closeDate,
  });
  // A first sight of the symbol, or history changed under the state rather than the market moving,
  // only records where it now stands.
  if (!prev || historyRewritten(prev, fact)) {
    out.state.set(key, next(levels.filter((l) => drawdown <= l + EPS), drawdown <= -h + EPS));
    return;
  }
  const crossed = levelCrossings(levels, h, prev, fact, drawdown, out);
  let athArmed = prev.athArmed;
  if (athArmed && isNewHigh(prev, fact)) {
    athArmed = false;
    // A close above the stored high cannot happen (the high is the max of the closes); a quote can.
    const payload = { symbol: fact.symbol, price: Math.max(fact.athClose, fact.price), previousHigh: prev.athClose, previousHighDate: prev.athDate, at: fact.at };
    out.alerts.push(newAlert('all_time_high', fact.basis, payload, { symbol: fact.symbol }, `all_time_high:${fact.symbol}:${fact.at}`));
  }
  if (drawdown <= -h + EPS) athArmed = true;
  out.state.set(key, next(crossed, athArmed));
}

/**
 * The state's history is not the fact's: a split rewrote the closes (the high fell), or a backfill
 * or import brought in an older, higher close.
 */
function historyRewritten(prev: DrawdownAlertState, fact: PriceFact): boolean {
  return fact.athClose < prev.athClose * (1 - EPS) || (fact.athDate !== prev.athDate && fact.athDate <= prev.closeDate);
}

/**
 * The drawdown levels crossed since the state, each one alert, in the order the price passes them
 * (shallowest first on the way down, deepest first up); returns the levels crossed now. A level
 * crossed downwards re-arms only once the drawdown is back above level + hysteresis.
 */
function levelCrossings(levels: readonly number[], h: number, prev: DrawdownAlertState, fact: PriceFact, drawdown: number, out: RulesResult): number[] {
  const { symbol, price, basis, at } = fact;
  const base = { symbol, price, athClose: fact.athClose, athDate: fact.athDate, drawdown, at };
  const crossed = new Set(prev.crossed);
  const passing = drawdown < prev.drawdown ? levels : [...levels].reverse();
  for (const level of passing) {
    const was = crossed.has(level);
    const direction = !was && drawdown <= level + EPS ? 'down' : was && drawdown >= level + h - EPS ? 'up' : null;
    if (!direction) continue;
    if (direction === 'down') crossed.add(level);
    else crossed.delete(level);
    out.alerts.push(newAlert('drawdown_level', basis, { ...base, level, direction }, { symbol }, `drawdown_level:${symbol}:${level}:${direction}:${at}`));
  }
  return [...crossed];
}

/**
 * A new high: a close after the last one evaluated set it, or a quote went above it. A revised close
 * of the old high's own day (Yahoo revises recent bars) is no new high.
 */
function isNewHigh(prev: DrawdownAlertState, fact: PriceFact): boolean {
  return fact.basis === 'provisional'
    ? fact.price > prev.athClose * (1 + EPS)
    : fact.athDate > prev.closeDate && fact.athClose > prev.athClose * (1 + EPS);
}

/** An alert of a rule, its English sentence made from its parts. */
function newAlert(
  rule: AlertRuleName,
  basis: AlertBasis,
  payload: Record<string, unknown>,
  subject: { symbol?: string | null; claimId?: string | null },
  dedupeKey: string,
): NewAlert {
  return { rule, symbol: subject.symbol ?? null, claimId: subject.claimId ?? null, basis, payload, message: messageOf(rule, basis, payload), dedupeKey };
}

function evaluateVerdicts(state: AlertStateMap, facts: VerdictFacts, out: RulesResult): void {
  for (const [claimId, verdict] of facts.byClaim) {
    const key = stateKeys.verdict(claimId);
    const prev = state.get(key) as VerdictState | undefined;
    // Provisional verdicts compare with the latest provisional one (else the last close's), so an
    // intraday flip fires once, not once per quote; the close compares with the last close only.
    const before = facts.basis === 'confirmed' ? (prev?.confirmed ?? null) : (prev?.provisional ?? prev?.confirmed ?? null);
    const next: VerdictState =
      facts.basis === 'confirmed'
        ? { confirmed: verdict, provisional: verdict, at: facts.at }
        : { confirmed: prev?.confirmed ?? null, provisional: verdict, at: facts.at };
    if (before !== null && before !== verdict) {
      const payload = { claimId, from: before, to: verdict, at: facts.at };
      out.alerts.push(newAlert('verdict_change', facts.basis, payload, { claimId }, `verdict_change:${claimId}:${facts.basis}:${before}:${verdict}:${facts.at}`));
    }
    if (!prev || prev.confirmed !== next.confirmed || prev.provisional !== next.provisional) out.state.set(key, next);
  }
}

function evaluateFreshness(state: AlertStateMap, facts: FreshnessFacts, out: RulesResult): void {
  for (const [symbol, lastBar] of facts.lastBars) {
    const key = stateKeys.stale(symbol);
    const prev = state.get(key) as FlagState | undefined;
    const stale = lastBar === null || lastBar < facts.expected;
    if (prev?.on === stale) continue;
    out.state.set(key, { on: stale, at: facts.expected } satisfies FlagState);
    if (!prev) continue;
    const payload = { symbol, stale, lastBar, expected: facts.expected };
    out.alerts.push(newAlert('stale_data', 'confirmed', payload, { symbol }, `stale_data:${symbol}:${stale ? 'stale' : 'fresh'}:${facts.expected}`));
  }
}

function evaluateSync(prev: FlagState | undefined, fact: SyncFact, out: RulesResult): void {
  // An aborted run (Ctrl-C, shutdown) is no failure of the data source.
  if (fact.status === 'aborted') return;
  const failing = fact.status !== 'ok';
  const at = `run:${fact.runId}`;
  // Unlike the price rules, no state means "was fine": the first sync failing is worth telling.
  if ((prev?.on ?? false) !== failing) out.state.set(stateKeys.sync, { on: failing, at } satisfies FlagState);
  if (!failing || prev?.on === true) return;
  // The first 20 failures are kept; failedCount says how many there were.
  const payload = { runId: fact.runId, status: fact.status, failedCount: fact.failures.length, failures: fact.failures.slice(0, 20) };
  out.alerts.push(newAlert('sync_failed', 'confirmed', payload, {}, `sync_failed:${at}`));
}

/**
 * A verify that finds the stored history different from the source fires, unless the last one found
 * the very same ranges (an unrepaired difference is told once, not every week); one that finds none
 * clears the state, so the next difference fires again.
 */
function evaluateVerify(prev: VerifyState | undefined, fact: VerifyFact, out: RulesResult): void {
  const signature = fact.ranges.map((r) => `${r.symbol} ${r.kind} ${r.firstDate} ${r.lastDate} ${r.fields.join(',')}`).join('; ');
  const at = `run:${fact.runId}`;
  if ((prev?.signature ?? '') !== signature) out.state.set(stateKeys.verify, { signature, at } satisfies VerifyState);
  if (fact.ranges.length === 0 || prev?.signature === signature) return;
  const symbols = [...new Set(fact.ranges.map((r) => r.symbol))];
  const shown = fact.ranges
    .slice(0, 5)
    .map((r) => `${r.symbol} ${r.firstDate === r.lastDate ? r.firstDate : `${r.firstDate}..${r.lastDate}`} ${r.kind === 'changed' ? r.fields.join(',') : r.kind.replace(/_/g, ' ')}${r.repaired ? ' (repaired)' : ''}`);
  const more = fact.ranges.length > shown.length ? `, and ${fact.ranges.length - shown.length} more` : '';
  out.alerts.push({
    rule: 'verify_difference',
    symbol: symbols.length === 1 ? symbols[0]! : null,
    claimId: null,
    basis: 'confirmed',
    payload: { runId: fact.runId, symbols, ranges: fact.ranges.slice(0, 50) },
    message: `verify #${fact.runId}: the stored history differs from the source for ${symbols.join(', ')}: ${shown.join('; ')}${more}`,
    dedupeKey: `verify_difference:${at}`,
  });
}
