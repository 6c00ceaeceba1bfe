// Text tables for the bench's output: aligned plain text for the terminal, or markdown for the docs.

/** A number for a table: grouped thousands, `digits` decimals; '-' when there is none. */
export const fmt = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export type Row = [string, ...string[]];

/** First column left-aligned, the others right-aligned (numbers) unless `left` says otherwise. */
export function table(header: Row, body: Row[], markdown: boolean, left = 1): string {
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const pad = (c: string, i: number) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!));
  const line = (r: Row) => (markdown ? `| ${r.map(pad).join(' | ')} |` : r.map(pad).join('  '));
  const sep = markdown
    ? `|${widths.map((w, i) => (i < left ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`
    : widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), sep, ...body.map(line)].join('\n');
}
