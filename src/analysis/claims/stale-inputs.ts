// Inputs that stopped updating (pure). When the indexes' last stored close is weeks older than the
// stocks', a claim that sets the stocks against them is judged on a partial picture; the report must
// say so where the claim is read, not hide it in a "last bar: May 11 - May 29" range. A symbol is
// stale when its last close is more than STALE_AFTER_SESSIONS NYSE sessions before the report date.
import type { ClosePoint, IsoDate } from '../../domain.js';
import { addDays } from '../../market/iso-date.js';
import { sessionsBetween } from '../../market/calendar.js';

/** A sync runs after each close, so one session behind is normal and two is a missed run. */
export const STALE_AFTER_SESSIONS = 2;

export interface StaleInput {
  symbol: string;
  lastDate: IsoDate;
  /** NYSE sessions after lastDate up to and including asOf. */
  sessionsBehind: number;
}

/** The symbols among `symbols` whose last close is stale on asOf, by symbol. */
export function staleInputs(closes: ReadonlyMap<string, readonly ClosePoint[]>, symbols: readonly string[], asOf: IsoDate): StaleInput[] {
  return [...new Set(symbols)].sort().flatMap((symbol) => {
    const last = closes.get(symbol)?.at(-1)?.date;
    if (!last) return [];
    const sessionsBehind = sessionsBetween(addDays(last, 1), asOf).length;
    return sessionsBehind > STALE_AFTER_SESSIONS ? [{ symbol, lastDate: last, sessionsBehind }] : [];
  });
}
