// Every word the report shows, in the two languages it is written in (the contract is messages.ts).
// Sentences that carry figures are functions of already formatted strings, so word order stays the
// translator's choice and number formatting stays in number-format.ts.
import { en } from './i18n-en.js';
import { zhHant } from './i18n-zh-hant.js';
import { KNOWN_VERDICTS, type KnownVerdict, type Lang, type Messages, type MetricId } from './messages.js';

export { KNOWN_VERDICTS, LANGS, LOCALES } from './messages.js';
export type { KnownVerdict, Lang, Messages, MetricId, Reaction } from './messages.js';

const MESSAGES: Record<Lang, Messages> = { en, 'zh-Hant': zhHant };

export function messagesFor(lang: Lang): Messages {
  return MESSAGES[lang];
}

export function isKnownVerdict(id: string): id is KnownVerdict {
  return (KNOWN_VERDICTS as readonly string[]).includes(id);
}

/** A verdict id in words; a verdict a custom config invented is shown as its id, spaced. */
export function verdictLabel(m: Messages, id: string): string {
  return isKnownVerdict(id) ? m.verdicts[id] : id.replaceAll('_', ' ');
}

/** The metric ids the claims config allows, in words. */
export function metricLabel(m: Messages, id: string): string {
  return id in m.claims.metrics ? m.claims.metrics[id as MetricId] : id;
}

/** The language's entry of a { en, zh-Hant } pair from config/claims.json. */
export function pick(words: { readonly en: string; readonly 'zh-Hant': string }, lang: Lang): string {
  return words[lang];
}
