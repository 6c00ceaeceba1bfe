// What tests/global-setup.ts hands every test file: the run's PostgreSQL server and its template.
import pg from 'pg';
import { inject } from 'vitest';

export interface TestServer {
  /** A superuser URL on the server (any database). */
  baseUrl: string;
  /** The migrated database every test database is cloned from. */
  template: string;
  /** Prefix of this run's databases (dropped at the end, or by the next run if this one was killed). */
  runId: string;
  /** True for the bundled server started for this run; false for TEST_DATABASE_URL's. */
  bundled: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testServer: TestServer;
  }
}

export function testServer(): TestServer {
  return inject('testServer');
}

/** The server's URL with another database. */
export function databaseUrl(server: TestServer, database: string): string {
  const url = new URL(server.baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** One statement on its own connection (create or drop a database: outside any transaction). */
export async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
