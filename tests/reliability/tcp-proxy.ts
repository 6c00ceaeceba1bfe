// A TCP relay between clients and Postgres that a test can cut and restore: cut() resets the open
// connections and stops listening (new connections are refused, as when the server is down), restore()
// listens again on the same port. It can spare chosen connections, recognised by their startup message
// (the client speaks first in the Postgres protocol; application_name travels in it). Used to take "the
// database" away from a daemon without touching the shared Postgres other suites are using.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
  /** The client's first packet as latin1 text (for Postgres: the startup message). */
  startup: string;
}

export interface TcpProxy {
  readonly port: number;
  /** baseUrl with its host and port replaced by the proxy's. */
  urlFor(baseUrl: string): string;
  /** Connections currently relayed. */
  open(): number;
  /** Resets every open connection (except the spared ones) and refuses new ones. */
  cut(options?: { spare?: (startup: string) => boolean }): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  // Accepted, first packet not read yet: a cut must reset these too, or one accepted just before the
  // cut is relayed after it (seen on a loaded machine: the daemon's probe got through a "stopped" database).
  const waiting = new Set<Socket>();
  let listening = true;
  const server = createServer((client) => {
    waiting.add(client);
    client.once('close', () => waiting.delete(client));
    client.once('data', (first: Buffer) => {
      waiting.delete(client);
      if (!listening) return void client.resetAndDestroy();
      const upstream = connect(target.port, target.host);
      const pair: Pair = { client, upstream, startup: first.toString('latin1') };
      pairs.add(pair);
      const end = () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    client.on('error', () => client.destroy());
  });
  await listen(server, 0);
  const { port } = server.address() as AddressInfo;
  const drop = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.upstream.destroy();
  };
  return {
    port,
    urlFor(baseUrl) {
      const url = new URL(baseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    open: () => pairs.size,
    async cut(options = {}) {
      for (const pair of [...pairs]) if (!options.spare?.(pair.startup)) drop(pair);
      for (const client of [...waiting]) client.resetAndDestroy();
      if (!listening) return;
      listening = false;
      // Spared connections keep the server's close() waiting; the listening socket is closed at once.
      await new Promise<void>((resolve) => {
        server.close();
        setImmediate(resolve);
      });
    },
    async restore() {
      if (listening) return;
      await listen(server, port);
      listening = true;
    },
    async close() {
      for (const pair of [...pairs]) drop(pair);
      if (listening) server.close();
      listening = false;
    },
  };
}

/**
 * A URL through the proxy whose password a test can look for in the client's output: the server's own
 * password when the URL has one (the bundled test server checks it), else `fallback` (a trust-auth
 * server, as on CI, ignores it). User and database stay as they are.
 */
export function proxiedWithSecret(proxy: TcpProxy, url: string, fallback: string): { url: string; secret: string } {
  const proxied = new URL(proxy.urlFor(url));
  if (!proxied.password) proxied.password = fallback;
  return { url: proxied.toString(), secret: decodeURIComponent(proxied.password) };
}

/** Host and port of a database URL, for startTcpProxy. */
export function serverOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5432) };
}
