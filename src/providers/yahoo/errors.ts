// Every failure of a Yahoo call ends up as one ProviderError with a kind, decided here at the provider
// boundary: transient kinds are retried (and count towards the circuit breaker), permanent ones are
// not. yahoo-finance2 throws plain Errors for most of Yahoo's JSON errors, so besides err.name and
// err.code this has to match on messages (see shared/yahoo-finance2-notes.md, sections 2 and 4).

export type ProviderErrorKind =
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'bad_payload'
  | 'not_found'
  | 'validation'
  | 'bad_request'
  /** Not sent: the circuit breaker is open and the caller asked to fail rather than wait (one-shot runs). */
  | 'unreachable';

const TRANSIENT: ReadonlySet<ProviderErrorKind> = new Set(['rate_limited', 'server', 'network', 'timeout', 'bad_payload']);

export function isTransientKind(kind: ProviderErrorKind): boolean {
  return TRANSIENT.has(kind);
}

export interface ProviderErrorDetails {
  kind: ProviderErrorKind;
  /** HTTP status when one was seen. */
  status?: number;
  /** What was asked for: a symbol, or symbols joined by commas. */
  subject?: string;
  cause?: unknown;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly subject: string | undefined;
  /** The message without the "yahoo <kind> (<subject>)" head: for lines that already name the symbol. */
  readonly detail: string;

  constructor(message: string, details: ProviderErrorDetails & { detail?: string }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.status = details.status;
    this.subject = details.subject;
    this.detail = details.detail ?? message;
  }

  get transient(): boolean {
    return isTransientKind(this.kind);
  }
}

export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 404) return 'not_found';
  if (status >= 500 || status === 401 || status === 403 || status === 408) return 'server';
  return 'bad_request';
}

const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/** Failures to open a connection at all (no DNS, nothing listening, no route): the network is down, not Yahoo slow. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** True when the error (or what it wraps) says no connection could be made. */
export function isConnectFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = codeOf(e);
    if (typeof code === 'string' && CONNECT_CODES.has(code)) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

function codeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

/** Kind of any error thrown by a yahoo-finance2 call or our fetch. */
export function classifyError(err: unknown): ProviderErrorKind {
  if (err instanceof ProviderError) return err.kind;
  if (!(err instanceof Error)) return 'server';
  const { name, message } = err;
  const code = codeOf(err);
  if (name === 'TimeoutError') return 'timeout';
  if (name === 'AbortError') return 'timeout';
  if (name === 'HTTPError' && typeof code === 'number') return kindForStatus(code);
  if (name === 'BadRequestError' || name === 'InvalidOptionsError') return 'bad_request';
  if (name === 'FailedYahooValidationError') return 'validation';
  if (name === 'SyntaxError') return 'bad_payload';
  if (/No data found|symbol may be delisted|^Not Found$/i.test(message)) return 'not_found';
  const crumbStatus = /Failed to get crumb, status (\d+)/.exec(message);
  if (crumbStatus) return kindForStatus(Number(crumbStatus[1]));
  if (/Invalid Crumb|set-cookie header|Location header|consent/i.test(message)) return 'server';
  if (/where we expect JSON|not parsable|Unexpected result|Timestamp count mismatch|No timestamp with/i.test(message)) {
    return 'bad_payload';
  }
  if (/cannot share the same value|invalid date provided/i.test(message)) return 'bad_request';
  // undici: TypeError('fetch failed') with the socket error as cause; 'terminated' when a body is cut.
  const causeCode = codeOf(err.cause);
  if (typeof causeCode === 'string' && NETWORK_CODES.has(causeCode)) return 'network';
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'network';
  if (err.cause instanceof Error && err.cause.name === 'TimeoutError') return 'timeout';
  if (name === 'TypeError' && /fetch failed|terminated|network|socket/i.test(message)) return 'network';
  // A bug on our side (TypeError, RangeError...) will not heal by retrying.
  if (name === 'TypeError' || name === 'RangeError' || name === 'ReferenceError') return 'bad_request';
  return 'server';
}

const MAX_MESSAGE = 300;

/** Wraps any error as a ProviderError, keeping messages short: yahoo-finance2 quotes whole bodies. */
export function toProviderError(err: unknown, subject?: string): ProviderError {
  if (err instanceof ProviderError) return err;
  const kind = classifyError(err);
  const raw = err instanceof Error ? err.message : String(err);
  const short = raw.length > MAX_MESSAGE ? `${raw.slice(0, MAX_MESSAGE)}...` : raw;
  const status = err instanceof Error && err.name === 'HTTPError' && typeof codeOf(err) === 'number' ? (codeOf(err) as number) : undefined;
  // Keep the original as cause unless its message is a whole response body (it would flood the logs).
  const cause = raw.length > 2000 && err instanceof Error ? Object.assign(new Error(short), { name: err.name }) : err;
  return new ProviderError(`yahoo ${kind}${subject ? ` (${subject})` : ''}: ${short}`, {
    kind,
    cause,
    detail: short,
    ...(status !== undefined ? { status } : {}),
    ...(subject !== undefined ? { subject } : {}),
  });
}

/**
 * What a failed request says about the network, for the "cannot reach Yahoo" line: undici hides the
 * socket error in `cause` ("fetch failed: connect ECONNREFUSED 127.0.0.1:9").
 */
export function describeFailure(err: unknown): string {
  let e: unknown = err;
  // Unwrap our own wrapper to the error the transport threw.
  while (e instanceof ProviderError && e.cause !== undefined) e = e.cause;
  if (e instanceof ProviderError) return e.detail;
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause as { message?: string; code?: string } | undefined;
  const detail = cause?.message ?? cause?.code;
  return detail && detail !== e.message ? `${e.message}: ${detail}` : e.message;
}
