// What the claim views share: the document with the language's words and number formats, and small
// builders of cells and names. Kept apart so that each claim's view file can use them without a cycle.
import type { ReportDocument } from '../../document.js';
import type { Formatter } from '../number-format.js';
import { pick, type Messages } from '../i18n.js';
import type { Badge, Cell } from './types.js';

export interface ClaimViewContext {
  doc: ReportDocument;
  m: Messages;
  f: Formatter;
}

export const cell = (text: string, sub?: string, badge?: Badge): Cell => ({ text, ...(sub ? { sub } : {}), ...(badge ? { badge } : {}) });

/** A reference episode's name in the report's language (its id when the episode is not resolved). */
export function referenceName({ doc, f }: ClaimViewContext, id: string): string {
  const ref = doc.model.episodes.find((e) => e.id === id);
  return ref ? pick(ref.name, f.lang) : id;
}

/** A fall's size without its sign, for languages that say "fell 40.6%" rather than "-40.6%". */
export function fallSize(f: Formatter, depth: number, digits = 1): string {
  return f.pct(Math.abs(depth), digits);
}

/** Sentences run on in one paragraph: a space after an English full stop, none after a Chinese 。. */
export function joinSentences(f: Formatter, ...sentences: string[]): string {
  return sentences.join(f.lang === 'zh-Hant' ? '' : ' ');
}

/** A list inside a sentence: "A, B" in English, 「A、B」 in Chinese. */
export function joinList(f: Formatter, items: readonly string[]): string {
  return items.join(f.lang === 'zh-Hant' ? '、' : ', ');
}

/** How close to a band edge a figure must be to get one more decimal: 0.7492 reads 74.9 %, not 75 %. */
const EDGE_PROXIMITY = 0.02;

/** A fraction as a percent, with one more decimal when it lies within two points of any `edges`. */
export function pctNearEdges(f: Formatter, value: number | null, edges: readonly number[], digits = 0): string {
  if (value === null) return f.pct(null);
  const near = edges.some((e) => Math.abs(value - e) < EDGE_PROXIMITY);
  return f.pct(value, near ? digits + 1 : digits);
}

/** A p-value: two decimals from 0.10 (0.68, 0.12), three below (0.066), "< 0.001" below that. */
export function pValue(f: Formatter, p: number | null): string {
  if (p === null) return '–';
  if (p < 0.001) return '< 0.001';
  const digits = p >= 0.1 ? 2 : 3;
  return f.fixed(p, digits);
}

/** "A and B", "A, B and C"; 「A 與 B」, 「A、B 與 C」: the last two joined by a word, not a comma. */
export function joinAnd(f: Formatter, items: readonly string[]): string {
  if (items.length < 2) return items.join('');
  if (f.lang === 'zh-Hant') {
    // Taiwanese typesetting: a space between Chinese and Latin letters or digits, none between Chinese.
    const latin = /[A-Za-z0-9^%]/;
    const head = items.slice(0, -1).join('、');
    const tail = items.at(-1)!;
    return `${head}${latin.test(head.at(-1)!) ? ' ' : ''}與${latin.test(tail[0]!) ? ' ' : ''}${tail}`;
  }
  return new Intl.ListFormat('en-US', { style: 'long', type: 'conjunction' }).format(items);
}

/** A correlation: always two decimals (0.60, not 0.6), so readings line up. */
export function rhoText(f: Formatter, rho: number): string {
  return f.fixed(rho, 2);
}

/** A percentile or similar figure with exactly one decimal (85.0, 25.9), so a column of them lines up. */
export function oneDecimal(f: Formatter, value: number): string {
  return f.fixed(value, 1);
}
