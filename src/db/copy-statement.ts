// Pure: the one statement shape that carries COPY data through Kysely (copy-from-stdin.ts) to the
// pool's client (pg-copy-client.ts). Apart from both so that the client, loaded by every process that
// opens the database, does not load Kysely with it (`sql` runs without Kysely: a fifth of its start).

/** `COPY <table> [(columns)] FROM STDIN`, nothing after: the only statement shape intercepted. */
export const COPY_FROM_STDIN = /^\s*copy\s[^;]*\sfrom\s+stdin\s*$/i;

/** The COPY input: text, or pieces of it sent as they come (streamed). */
export type CopyData = string | Iterable<string>;

/** The data of a copyFromStdin statement as a driver receives it, or null for any other query. */
export function copyData(text: unknown, values: unknown): CopyData | null {
  if (typeof text !== 'string' || !COPY_FROM_STDIN.test(text) || !Array.isArray(values) || values.length !== 1) return null;
  const data: unknown = values[0];
  if (typeof data === 'string') return data;
  return typeof data === 'object' && data !== null && Symbol.iterator in data ? (data as Iterable<string>) : null;
}
