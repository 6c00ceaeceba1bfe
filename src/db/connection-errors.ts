// Pure: telling a lost or refused database connection apart from a query's own error, and saying it in
// words a person can act on ("cannot connect to the database at 127.0.0.1:5999 (DATABASE_URL):
// connection refused") instead of pg's bare "connect ECONNREFUSED 127.0.0.1:5999".

/** Socket-level failures Node reports while connecting to or talking with the server. */
const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

// pg's own messages for a connection that went away (no code attached to them).
const LOST_MESSAGES = [
  /^Connection terminated/,
  /connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Connection terminated due to connection timeout/,
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The error itself, then its causes (sync wraps store errors in a StageError). */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  for (let e = err; e && typeof e === 'object' && out.length < 5; e = (e as ErrorLike).cause) out.push(e as ErrorLike);
  return out;
}

function isConnectionLevel(e: ErrorLike): boolean {
  const code = typeof e.code === 'string' ? e.code : '';
  // SQLSTATE class 08 (connection exception); 57P01-57P03: the server is shutting down or starting.
  if (code in SOCKET_REASONS || code.startsWith('08') || /^57P0[123]$/.test(code)) return true;
  return typeof e.message === 'string' && LOST_MESSAGES.some((re) => re.test(e.message as string));
}

/** True when the database connection failed or went away, as opposed to a statement failing. */
export function isConnectionError(err: unknown): boolean {
  return chain(err).some(isConnectionLevel);
}

/** Errors that mean "could not get in": the connection failed, or the server refused this login. */
export function isConnectFailure(err: unknown): boolean {
  return chain(err).some((e) => {
    const code = typeof e.code === 'string' ? e.code : '';
    // 28xxx: authentication; 3D000: no such database.
    return isConnectionLevel(e) || code.startsWith('28') || code === '3D000';
  });
}

/** A short reason: "connection refused", or the server's own words for a refused login. */
export function connectionFailureReason(err: unknown): string {
  for (const e of chain(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (code in SOCKET_REASONS) return SOCKET_REASONS[code]!;
  }
  const first = chain(err)[0];
  return typeof first?.message === 'string' && first.message ? first.message : String(err);
}

/** host:port of a postgres:// URL, never its credentials (the host may also come from ?host=). */
export function databaseEndpoint(url: string): string {
  try {
    const u = new URL(url);
    const host = u.searchParams.get('host') || u.hostname || 'localhost';
    return `${host}:${u.port || u.searchParams.get('port') || '5432'}`;
  } catch {
    return 'the configured server';
  }
}
