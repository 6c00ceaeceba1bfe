// Numbers and dates for a reader of one language (pure; Intl does the locale work). Fractions stay
// fractions everywhere else: only here does -0.4064 become "-40.6%".
import type { IsoDate } from '../../domain.js';
import { LOCALES, type Lang } from './i18n.js';

export interface Formatter {
  lang: Lang;
  locale: string;
  /** A fraction as a percentage: -0.4064 -> "-40.6%" (never "-0.0%"). */
  pct(value: number | null, digits?: number): string;
  /** A return with its sign: 0.052 -> "+5.2%". */
  change(value: number | null, digits?: number): string;
  /** A price or index level: 5048.62 -> "5,048.62". */
  price(value: number | null): string;
  /** A count: 12345 -> "12,345". */
  int(value: number | null): string;
  /** A plain number with at most `digits` decimals. */
  num(value: number | null, digits?: number): string;
  /** A plain number with exactly `digits` decimals (0.60, 1.20, 85.0), so a column of them lines up. */
  fixed(value: number | null, digits: number): string;
  /** Money, compact: 1.2e11 USD -> "$120.0B" / "US$1200億". */
  money(value: number | null, currency: string | null): string;
  /** A calendar date: "Dec 31, 2025" / "2025年12月31日". */
  date(value: IsoDate | null): string;
  /** A month on a chart axis: "Dec 2025" / "2025年12月". */
  month(value: IsoDate): string;
  /** A year on a chart axis. */
  year(value: IsoDate): string;
  /** An instant in a time zone, with the zone's name. */
  dateTime(value: Date | string, timeZone: string): string;
}

const DASH = '–';

/** Noon UTC: the calendar day of an IsoDate in any formatter set to UTC. */
function utcDay(date: IsoDate): Date {
  return new Date(`${date}T12:00:00Z`);
}

export function formatterFor(lang: Lang): Formatter {
  const locale = LOCALES[lang];
  const nf = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, options);
  const pctCache = new Map<string, Intl.NumberFormat>();
  const pctFormat = (digits: number, sign: 'negative' | 'exceptZero') => {
    const key = `${digits}${sign}`;
    let f = pctCache.get(key);
    if (!f) {
      f = nf({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: sign });
      pctCache.set(key, f);
    }
    return f;
  };
  const priceFormat = nf({ minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const intFormat = nf({ maximumFractionDigits: 0 });
  const dateFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
  const monthFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'short' });
  const yearFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric' });
  const ok = (v: number | null): v is number => v !== null && Number.isFinite(v);

  return {
    lang,
    locale,
    pct: (v, digits = 1) => (ok(v) ? pctFormat(digits, 'negative').format(v) : DASH),
    change: (v, digits = 1) => (ok(v) ? pctFormat(digits, 'exceptZero').format(v) : DASH),
    price: (v) => (ok(v) ? priceFormat.format(v) : DASH),
    int: (v) => (ok(v) ? intFormat.format(v) : DASH),
    num: (v, digits = 2) => (ok(v) ? nf({ maximumFractionDigits: digits }).format(v) : DASH),
    fixed: (v, digits) => (ok(v) ? nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v) : DASH),
    money: (v, currency) =>
      ok(v)
        ? nf({
            style: currency ? 'currency' : 'decimal',
            ...(currency ? { currency, currencyDisplay: 'symbol' } : {}),
            notation: 'compact',
            minimumFractionDigits: 0,
            maximumFractionDigits: 1,
          }).format(v)
        : DASH,
    date: (d) => (d ? dateFormat.format(utcDay(d)) : DASH),
    month: (d) => monthFormat.format(utcDay(d)),
    year: (d) => yearFormat.format(utcDay(d)),
    dateTime: (v, timeZone) => dateTimeIn(locale, lang, typeof v === 'string' ? new Date(v) : v, timeZone),
  };
}

/**
 * An instant with its zone's name. Traditional Chinese gets the zone's long name in full-width
 * parentheses (2026年12月7日 下午5:53（東部標準時間）): ICU's zh-Hant-TW pattern puts the short name in
 * square brackets ("[EST]"), which is English and turns into "\\[EST\\]" in the Markdown.
 */
function dateTimeIn(locale: string, lang: Lang, instant: Date, timeZone: string): string {
  const base = { timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' } as const;
  if (lang !== 'zh-Hant') return new Intl.DateTimeFormat(locale, { ...base, timeZoneName: 'short' }).format(instant);
  const zone = new Intl.DateTimeFormat(locale, { ...base, timeZoneName: 'long' }).formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value;
  const text = new Intl.DateTimeFormat(locale, base).format(instant);
  return zone ? `${text}（${zone}）` : text;
}
