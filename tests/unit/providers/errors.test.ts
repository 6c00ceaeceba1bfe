import { describe, expect, it } from 'vitest';
import { ProviderError, classifyError, isConnectFailure, toProviderError } from '../../../src/providers/yahoo/errors.js';

// yahoo-finance2 3.15 does not export its error classes; they are told apart by name, as here.
function named(name: string, message: string, extra: object = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}
const httpError = (code: number, body = 'x') => named('HTTPError', body, { code });

describe(classifyError.name, () => {
  it.each([
    ['429 HTTPError', httpError(429, 'Edge: Too Many Requests'), 'rate_limited'],
    ['502 HTTPError', httpError(502), 'server'],
    ['404 HTTPError', httpError(404), 'not_found'],
    ['400 HTTPError', httpError(400), 'bad_request'],
    ['chart 404 JSON (plain Error)', new Error('No data found, symbol may be delisted'), 'not_found'],
    ['BadRequestError', named('BadRequestError', 'Invalid input - interval=1x'), 'bad_request'],
    ['InvalidOptionsError', named('InvalidOptionsError', 'bad option'), 'bad_request'],
    ['FailedYahooValidationError', named('FailedYahooValidationError', 'Failed Yahoo Schema validation'), 'validation'],
    ['crumb 429', new Error('Failed to get crumb, status 429, statusText: Too Many Requests'), 'rate_limited'],
    ['crumb 401', new Error('Failed to get crumb, status 401, statusText: Unauthorized'), 'server'],
    ['no set-cookie', new Error("No set-cookie header present in Yahoo's response.  Something must have changed, please report."), 'server'],
    ['Invalid Crumb', new Error('Invalid Crumb'), 'server'],
    ['truncated JSON', new Error('Response.ok where we expect JSON, but the response was not parsable.  Response: "{"chart'), 'bad_payload'],
    ['timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timeout'],
    ['reset', new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }), 'network'],
    ['socket closed', new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), 'network'],
    ['body cut', new TypeError('terminated'), 'network'],
    ['our bug', new TypeError("Cannot read properties of undefined (reading 'x')"), 'bad_request'],
    ['unknown', new Error('something odd'), 'server'],
    ['already classified', new ProviderError('x', { kind: 'timeout' }), 'timeout'],
  ] as const)('%s -> %s', (_name, err, kind) => {
    expect(classifyError(err)).toBe(kind);
  });
});

describe(toProviderError.name, () => {
  it('keeps kind, status, subject and cause', () => {
    const original = httpError(429, 'Edge: Too Many Requests');
    const err = toProviderError(original, 'NVDA');
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ name: 'ProviderError', kind: 'rate_limited', status: 429, subject: 'NVDA', transient: true });
    expect(err.cause).toBe(original);
    expect(err.message).toBe('yahoo rate_limited (NVDA): Edge: Too Many Requests');
  });

  it('shortens messages that quote a whole response body', () => {
    const huge = new Error(`Response.ok where we expect JSON, but the response was not parsable.  Response: "${'x'.repeat(100_000)}"`);
    const err = toProviderError(huge);
    expect(err.kind).toBe('bad_payload');
    expect(err.message.length).toBeLessThan(400);
    expect((err.cause as Error).message.length).toBeLessThan(400);
  });

  it('marks not_found, validation and bad_request as permanent', () => {
    for (const kind of ['not_found', 'validation', 'bad_request'] as const) {
      expect(new ProviderError('x', { kind }).transient).toBe(false);
    }
  });
});

describe(isConnectFailure.name, () => {
  const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
  // What undici throws, and how the client wraps it.
  const fetchFailed = (code: string) => new TypeError('fetch failed', { cause: withCode(code) });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])('is true when no connection was made (%s), wrapped or not', (code) => {
    expect(isConnectFailure(fetchFailed(code))).toBe(true);
    expect(isConnectFailure(toProviderError(fetchFailed(code), 'AMZN'))).toBe(true);
  });

  it.each(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT'])('is false when a connection was made and then broke (%s)', (code) => {
    expect(isConnectFailure(toProviderError(fetchFailed(code)))).toBe(false);
  });

  it('is false for answers and for anything without a code', () => {
    expect(isConnectFailure(new ProviderError('yahoo server: 503', { kind: 'server', status: 503 }))).toBe(false);
    expect(isConnectFailure(new TypeError('fetch failed'))).toBe(false);
    expect(isConnectFailure('ECONNREFUSED')).toBe(false);
  });
});
