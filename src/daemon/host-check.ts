// Pure: which host names the daemon's HTTP server answers for. A page on another site can make a
// browser send requests to 127.0.0.1:9464 under its own name (DNS rebinding: evil.example resolves to
// the loopback address), and a proxy can be asked for any host in an absolute-form request line. The
// daemon answers only when the request names the address it listens on, a loopback name when it
// listens on loopback, or a name the config allows (http.allowedHosts); anything else gets 421
// Misdirected Request. Ports are not compared: a name is what a rebinding attack can forge.
import { isIP } from 'node:net';

export interface HostPolicy {
  /** Host names answered for, lowercase, IPv6 in brackets. */
  names: ReadonlySet<string>;
  /** Listening on every address (0.0.0.0, ::): any IP literal names this server, no name does. */
  anyAddress: boolean;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const ANY_ADDRESS = new Set(['0.0.0.0', '[::]', '']);

/** "LocalHost." -> "localhost", "::1" -> "[::1]": the form URL#hostname gives. */
export function normalizeHostName(name: string): string {
  let n = name.trim().toLowerCase().replace(/\.$/, '');
  if (n.includes(':') && !n.startsWith('[')) n = `[${n}]`;
  return n;
}

function isLoopback(name: string): boolean {
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

export function hostPolicy(listenHost: string, allowed: readonly string[]): HostPolicy {
  const host = normalizeHostName(listenHost);
  const names = new Set(allowed.map(normalizeHostName));
  const anyAddress = ANY_ADDRESS.has(host);
  if (!anyAddress) names.add(host);
  // Every loopback name reaches a loopback listener (and one on every address) from this machine only.
  if (anyAddress || isLoopback(host)) for (const n of LOOPBACK_NAMES) names.add(n);
  return { names, anyAddress };
}

/** The host name of "name[:port]" (a Host header or a request target's authority), or null if it is none. */
function hostNameOf(authority: string): string | null {
  try {
    const url = new URL(`http://${authority}`);
    // Anything beyond a host and a port (a path, user info) is not a Host header.
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
    return normalizeHostName(url.hostname);
  } catch {
    return null;
  }
}

export type HostVerdict = 'ok' | 'bad-request' | 'misdirected';

/**
 * Whether to answer a request: `hostHeader` as sent (undefined for HTTP/1.0 without one: no browser
 * sends that), `target` the request line's target, whose authority wins over Host when it is in
 * absolute form (RFC 9112, 3.2.2).
 */
export function judgeHost(policy: HostPolicy, hostHeader: string | undefined, target: string): HostVerdict {
  let name: string | null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return 'bad-request';
    }
    name = normalizeHostName(url.hostname);
  } else if (hostHeader === undefined) {
    return 'ok';
  } else {
    name = hostNameOf(hostHeader);
  }
  if (name === null || name === '') return 'bad-request';
  if (policy.names.has(name)) return 'ok';
  if (policy.anyAddress && isIP(name.replace(/^\[|\]$/g, '')) !== 0) return 'ok';
  return 'misdirected';
}
