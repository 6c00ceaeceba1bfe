// Pure formatting of query results for the terminal (table), spreadsheets (csv) and programs (json).
import { stringify } from 'csv-stringify/sync';
import type { QueryResult } from '../db/connect.js';

export type OutputFormat = 'table' | 'csv' | 'json';

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  return value;
}

function asText(value: unknown): string {
  const v = plain(value);
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function formatResult(result: QueryResult, format: OutputFormat): string {
  const columns = result.fields.map((f) => f.name);
  if (format === 'json') {
    const rows = result.rows.map((row) => Object.fromEntries(columns.map((c) => [c, plain(row[c]) ?? null])));
    return `${JSON.stringify(rows, null, 2)}\n`;
  }
  if (format === 'csv') {
    return stringify([columns, ...result.rows.map((row) => columns.map((c) => asText(row[c])))]);
  }
  return formatTable(columns, result.rows.map((row) => columns.map((c) => asText(row[c]))), result.rows.map((row) => columns.map((c) => typeof row[c] === 'number')));
}

function formatTable(columns: string[], cells: string[][], numeric: boolean[][]): string {
  if (columns.length === 0) return '';
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[], right: boolean[] = []) =>
    values.map((v, i) => (right[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ').trimEnd();
  const out = [line(columns), widths.map((w) => '-'.repeat(w)).join('-+-')];
  cells.forEach((r, i) => out.push(line(r, numeric[i])));
  out.push(`(${cells.length} row${cells.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}
