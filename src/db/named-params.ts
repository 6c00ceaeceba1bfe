// Named parameters for user SQL (pure). Query files say `where symbol = :symbol`; Postgres only knows
// `$1`, so the text is rewritten to positional placeholders and the values travel separately, bound by
// the server (extended protocol): a value is never spliced into SQL, whatever quotes it contains.
// Only real placeholders are rewritten: string literals (incl. E'' escapes), quoted identifiers,
// -- and nested /* */ comments, $tag$ dollar quotes and `::type` casts are copied as they are.

export class NamedParamsError extends Error {
  override name = 'NamedParamsError';
}

export interface BoundQuery {
  /** The SQL with `:name` replaced by `$1..$n`, numbered by first appearance. */
  text: string;
  /** Values in placeholder order ($1 first). */
  values: string[];
  /** Placeholder names in the same order. */
  names: string[];
}

export interface ParamSpec {
  name: string;
  /** Null when the header names the parameter without a default (it must then be given). */
  default: string | null;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
// Postgres identifiers may contain $ and any non-ASCII letter; a `:` or `$` right after one of these
// belongs to the word (array slices `a[lo:hi]`, identifiers like `x$1`), not to a placeholder.
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

interface Placeholder {
  name: string;
  start: number;
  end: number;
}

/** The end (exclusive) of the quoted run starting at `start` (a `'` or `"`), doubled quotes escaped. */
function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  throw new NamedParamsError(`unterminated ${quote === "'" ? 'string literal' : 'quoted identifier'} starting at character ${start + 1}`);
}

/** Block comments nest in Postgres: `/* a /* b *\/ c *\/` is one comment. */
function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  throw new NamedParamsError(`unterminated /* comment starting at character ${start + 1}`);
}

/** Finds `:name` placeholders outside literals, identifiers and comments; notes any `$n` ones. */
function scan(sql: string): { placeholders: Placeholder[]; positional: boolean } {
  const placeholders: Placeholder[] = [];
  let positional = false;
  let i = 0;
  // The character before the current token, as far as word boundaries go.
  let afterWord = false;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? sql.length : eol + 1;
      afterWord = false;
    } else if (c === '/' && sql[i + 1] === '*') {
      i = skipBlockComment(sql, i);
      afterWord = false;
    } else if (c === "'") {
      // E'...' (also e'...') allows backslash escapes: E'it\'s' must not end at the \'.
      const prefix = sql[i - 1];
      const escaped = (prefix === 'E' || prefix === 'e') && !WORD_CHAR.test(sql[i - 2] ?? ' ');
      i = skipQuoted(sql, i, "'", escaped);
      afterWord = false;
    } else if (c === '"') {
      i = skipQuoted(sql, i, '"', false);
      afterWord = true;
    } else if (c === '$' && !afterWord) {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 64))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        if (close === -1) throw new NamedParamsError(`unterminated dollar-quoted string ${tag} starting at character ${i + 1}`);
        i = close + tag.length;
        afterWord = false;
      } else {
        if (/[0-9]/.test(sql[i + 1] ?? '')) positional = true;
        i++;
        afterWord = true;
      }
    } else if (c === ':') {
      if (sql[i + 1] === ':') {
        // A cast: the type name that follows is a word, never a placeholder.
        i += 2;
        afterWord = false;
      } else if (!afterWord && NAME_START.test(sql[i + 1] ?? '')) {
        let end = i + 2;
        while (end < sql.length && NAME_CHAR.test(sql[end]!)) end++;
        placeholders.push({ name: sql.slice(i + 1, end), start: i, end });
        i = end;
        afterWord = true;
      } else {
        i++;
        afterWord = false;
      }
    } else {
      afterWord = WORD_CHAR.test(c);
      i++;
    }
  }
  return { placeholders, positional };
}

/** The distinct placeholder names of a query, in order of first appearance. */
export function placeholderNames(sql: string): string[] {
  return [...new Set(scan(sql).placeholders.map((p) => p.name))];
}

/**
 * Parameters declared in the query's leading comment lines, e.g.
 * `-- params: symbol (default ORCL), threshold (default 0.10)`. A name without `(default ...)` has no
 * default and must be given; `-- params: none` declares none. Several `-- params:` lines add up.
 */
export function headerParams(sql: string): ParamSpec[] {
  const specs: ParamSpec[] = [];
  for (const rawLine of sql.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) break; // the header ends at the first line of SQL
    const m = /^--\s*params?\s*:\s*(.*)$/i.exec(line);
    if (!m || /^none\b/i.test(m[1]!.trim())) continue;
    for (const item of splitTopLevel(m[1]!)) {
      const spec = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?$/s.exec(item.trim());
      if (!spec) throw new NamedParamsError(`cannot read the parameter "${item.trim()}" in the header line: ${line}`);
      const inside = spec[2]?.trim();
      const dflt = inside === undefined ? null : /^default\s+(.*)$/is.exec(inside)?.[1]?.trim() ?? null;
      specs.push({ name: spec[1]!, default: dflt === null ? null : unquote(dflt) });
    }
  }
  return specs;
}

/** A default may be quoted to keep spaces or to be empty: (default 'New York'), (default ''). */
function unquote(value: string): string {
  return /^'.*'$/s.test(value) ? value.slice(1, -1).replaceAll("''", "'") : value;
}

/** Splits "a (default 1, 2), b" on the commas outside parentheses. */
function splitTopLevel(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      items.push(list.slice(start, i));
      start = i + 1;
    }
  }
  items.push(list.slice(start));
  return items.filter((s) => s.trim() !== '');
}

/**
 * Rewrites `:name` placeholders to `$1..$n` and orders the values: `given` (from --param) first, then
 * the header's defaults. Throws NamedParamsError for a given name the query doesn't use, a placeholder
 * without a value, or a query that mixes `:name` with `$1` placeholders.
 */
export function bindNamedParams(sql: string, given: Readonly<Record<string, string>> = {}): BoundQuery {
  const { placeholders, positional } = scan(sql);
  const names = [...new Set(placeholders.map((p) => p.name))];
  const unknown = Object.keys(given).filter((n) => !names.includes(n));
  if (unknown.length) {
    const uses = names.length ? `it uses ${names.map((n) => `:${n}`).join(', ')}` : 'it has no :name parameters';
    throw new NamedParamsError(`unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: ${uses}`);
  }
  if (names.length === 0) return { text: sql, values: [], names: [] };
  if (positional) {
    throw new NamedParamsError('the query mixes :name and $1-style parameters; use one kind');
  }

  const defaults = new Map(headerParams(sql).map((s) => [s.name, s.default]));
  const values: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const value = Object.hasOwn(given, name) ? given[name]! : defaults.get(name) ?? null;
    if (value === null) missing.push(name);
    values.push(value ?? '');
  }
  if (missing.length) {
    throw new NamedParamsError(
      `missing value for ${missing.map((n) => `:${n}`).join(', ')}: pass ${missing.map((n) => `--param ${n}=VALUE`).join(' ')}`,
    );
  }

  let text = '';
  let from = 0;
  for (const p of placeholders) {
    text += `${sql.slice(from, p.start)}$${names.indexOf(p.name) + 1}`;
    from = p.end;
  }
  text += sql.slice(from);
  return { text, values, names };
}
