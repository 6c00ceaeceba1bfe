// Pure: a stored history against the source's, field by field (prices within rounding, volume
// exactly: tolerance.ts), as ranges of consecutive sessions that differ the same way, which is how
// people read them: "ORCL 2024-01-02..2025-12-31, every price x2" is one line, not 500.
import type { IsoDate } from '../domain.js';
import { adjCloseFactor, priceFactor, sameFactor, type PricedBar } from './common-factor.js';
import { samePrice } from './tolerance.js';

export type BarField = 'open' | 'high' | 'low' | 'close' | 'adj_close' | 'volume';

export type DifferenceKind =
  /** Both have the session, with other values. */
  | 'changed'
  /** The source has the session, the table does not. */
  | 'not_stored'
  /** The table has the session, the source does not. */
  | 'not_in_source';

export interface DifferingRange {
  kind: DifferenceKind;
  firstDate: IsoDate;
  lastDate: IsoDate;
  /** Sessions in the range. */
  rows: number;
  /** Fields that differ in at least one of its sessions (every field for rows on one side only). */
  fields: BarField[];
  /** source = factor x stored for open, high, low and close of every session in the range; null when not one factor. */
  factor: number | null;
  /** The same for the adjusted close; null when not one factor (or missing). */
  adjCloseFactor: number | null;
  /** The range's first session as stored and as the source has it (null on the side without it). */
  stored: PricedBar | null;
  source: PricedBar | null;
}

const ALL_FIELDS: BarField[] = ['open', 'high', 'low', 'close', 'adj_close', 'volume'];

/** The fields of two bars of the same session that differ. */
export function differingFields(stored: PricedBar, source: PricedBar): BarField[] {
  const price = (a: number | null, b: number | null) => (a === null || b === null ? a === b : samePrice(a, b));
  const fields: BarField[] = [];
  if (!price(stored.open, source.open)) fields.push('open');
  if (!price(stored.high, source.high)) fields.push('high');
  if (!price(stored.low, source.low)) fields.push('low');
  if (!price(stored.close, source.close)) fields.push('close');
  if (!price(stored.adjClose, source.adjClose)) fields.push('adj_close');
  if (stored.volume !== source.volume) fields.push('volume');
  return fields;
}

interface Session {
  date: IsoDate;
  kind: DifferenceKind;
  fields: BarField[];
  stored: PricedBar | null;
  source: PricedBar | null;
  /** For 'changed': the session's own price and adj-close factors (1 = unchanged, null = not one factor). */
  factor: number | null;
  adjCloseFactor: number | null;
}

/** Two factors that let their sessions share a range: both missing, or the same factor. */
function joinable(a: number | null, b: number | null): boolean {
  return a === null || b === null ? a === b : sameFactor(a, b);
}

/**
 * Every difference between `stored` and `source` (each in date order, one bar per date), as maximal
 * runs of consecutive differing sessions of the same kind; a run of changed sessions is also cut where
 * the factor its prices (or adjusted closes) share changes. Equal sessions separate ranges.
 */
export function compareHistories(stored: readonly PricedBar[], source: readonly PricedBar[]): DifferingRange[] {
  const ranges: DifferingRange[] = [];
  let open: { range: DifferingRange; factor: number | null; adj: number | null } | null = null;
  const close = () => {
    if (open) ranges.push({ ...open.range, factor: open.factor === 1 ? null : open.factor, adjCloseFactor: open.adj === 1 ? null : open.adj });
    open = null;
  };
  const add = (s: Session) => {
    const fits =
      open !== null && open.range.kind === s.kind && (s.kind !== 'changed' || (joinable(open.factor, s.factor) && joinable(open.adj, s.adjCloseFactor)));
    if (!fits || !open) {
      close();
      open = {
        range: { kind: s.kind, firstDate: s.date, lastDate: s.date, rows: 1, fields: [...s.fields], factor: null, adjCloseFactor: null, stored: s.stored, source: s.source },
        factor: s.factor,
        adj: s.adjCloseFactor,
      };
      return;
    }
    open.range.lastDate = s.date;
    open.range.rows++;
    for (const f of s.fields) if (!open.range.fields.includes(f)) open.range.fields.push(f);
  };

  let i = 0;
  let j = 0;
  while (i < stored.length || j < source.length) {
    const a = stored[i];
    const b = source[j];
    if (a && b && a.tradeDate === b.tradeDate) {
      i++;
      j++;
      const fields = differingFields(a, b);
      if (fields.length === 0) close();
      else add({ date: a.tradeDate, kind: 'changed', fields, stored: a, source: b, factor: priceFactor(a, b), adjCloseFactor: adjCloseFactor(a, b) });
    } else if (a && (!b || a.tradeDate < b.tradeDate)) {
      i++;
      add({ date: a.tradeDate, kind: 'not_in_source', fields: ALL_FIELDS, stored: a, source: null, factor: null, adjCloseFactor: null });
    } else {
      j++;
      add({ date: b!.tradeDate, kind: 'not_stored', fields: ALL_FIELDS, stored: null, source: b!, factor: null, adjCloseFactor: null });
    }
  }
  close();
  // Sort fields in their column order, whatever session brought them in.
  return ranges.map((r) => ({ ...r, fields: ALL_FIELDS.filter((f) => r.fields.includes(f)) }));
}
