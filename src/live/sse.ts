// Pure: Server-Sent Events framing (the WHATWG event-stream format) and what a (re)connecting client
// is owed. Every event carries the whole live state, so a client that reconnects with the id of the
// state it shows needs nothing, and one with any other id (or none) needs the current state once.
// Ids are "<epoch>-<seq>": the epoch is the daemon's start, so an id from before a restart never
// matches a new state that happens to have the same sequence number.

export interface SseEvent {
  id?: string;
  event?: string;
  /** Sent as one `data:` line per line of text. */
  data: string;
  /** Reconnection delay the client should use, in ms. */
  retry?: number;
}

/** One event in the wire format; newlines in data become separate data lines, CRs are dropped from fields. */
export function formatSseEvent(e: SseEvent): string {
  const field = (value: string) => value.replace(/[\r\n]/g, '');
  let out = '';
  if (e.retry !== undefined) out += `retry: ${Math.max(0, Math.floor(e.retry))}\n`;
  if (e.id !== undefined) out += `id: ${field(e.id)}\n`;
  if (e.event !== undefined) out += `event: ${field(e.event)}\n`;
  for (const line of e.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** A comment line: keeps proxies and the browser from timing the stream out; clients ignore it. */
export function formatSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]/g, ' ')}\n\n`;
}

export function eventId(epoch: string, seq: number): string {
  return `${epoch}-${seq}`;
}

/**
 * On connect: 'none' when the client's Last-Event-ID is the current state's id (it reconnected after
 * a drop and missed nothing), else 'snapshot' (a new page, a missed change, or a restarted daemon).
 */
export function owedOnConnect(lastEventId: string | undefined | null, currentId: string): 'snapshot' | 'none' {
  return lastEventId && lastEventId === currentId ? 'none' : 'snapshot';
}
