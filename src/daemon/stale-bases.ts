// Which symbols' close bases the live feed must read again (pure): a small state machine over the
// stored changes. Bars or an import of named symbols make those symbols stale; a change that names
// none, or a lost listener (it may have missed anything), makes every symbol stale. Quotes and alerts
// are not tracked: the feed reads them at every refresh. A read that fails puts back what it was to
// read, together with whatever went stale while it ran.

/** A stored change as src/db/changes.ts announces it ('reconnect': the listener was lost and is back). */
export interface Change {
  kind: string;
  /** The symbols written; empty when unknown or too many to list. */
  symbols: readonly string[];
}

export type StaleBases = { readonly kind: 'all' } | { readonly kind: 'some'; readonly symbols: ReadonlySet<string> };

/** At start: nothing has been read yet. */
export const ALL_STALE: StaleBases = { kind: 'all' };
export const NONE_STALE: StaleBases = { kind: 'some', symbols: new Set() };

/** The stale set after a stored change. */
export function afterChange(stale: StaleBases, change: Change): StaleBases {
  if (change.kind === 'reconnect') return ALL_STALE;
  if (change.kind !== 'bars' && change.kind !== 'import') return stale;
  if (change.symbols.length === 0) return ALL_STALE;
  return union(stale, { kind: 'some', symbols: new Set(change.symbols) });
}

/** Both stale sets at once (a failed read's and what went stale meanwhile). */
export function union(a: StaleBases, b: StaleBases): StaleBases {
  if (a.kind === 'all' || b.kind === 'all') return ALL_STALE;
  return { kind: 'some', symbols: new Set([...a.symbols, ...b.symbols]) };
}

/** The symbols to read again, in `symbols`' order; null when none is stale. */
export function staleAmong(stale: StaleBases, symbols: readonly string[]): string[] | null {
  if (stale.kind === 'all') return [...symbols];
  if (stale.symbols.size === 0) return null;
  return symbols.filter((s) => stale.symbols.has(s));
}
