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
