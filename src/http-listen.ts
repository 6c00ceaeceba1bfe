// Promise wrappers around node:http's listen and close, shared by the daemon's HTTP face and the sim.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** http://host:port as bound (IPv6 hosts in brackets). */
  url: string;
  port: number;
}

/** Listens on port/host (port 0: any free port); rejects if binding fails. */
export async function listen(server: Server, port: number, host: string): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const bound = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${bound}:${address.port}`, port: address.port };
}

/** Stops listening and drops open connections; rejects if the server was not running. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive sockets and hung requests would otherwise hold close() open.
    server.closeAllConnections();
  });
}
