// The hand-written Kysely types (src/db/schema.ts) must match what the migrations create. COLUMNS is
// typed from the Database interface, so a column added to schema.ts without a line here fails type
// checking, and a column the migrations create without a line here fails this test.
import type { SelectType } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

// `unknown` (a jsonb column read as any JSON value) is not "nullable" in the SQL sense.
type Nullable<T> = unknown extends T ? false : null extends T ? true : false;
type Columns = {
  [Table in keyof Database]: {
    [Column in keyof Database[Table]]-?: { nullable: Nullable<SelectType<Database[Table][Column]>>; type: string };
  };
};

const n = (type: string) => ({ nullable: true as const, type });
const nn = (type: string) => ({ nullable: false as const, type });

// Views report every column as nullable in information_schema; the types say what the view guarantees.
const COLUMNS: Columns = {
  symbols: {
    symbol: nn('text'), name: n('text'), kind: nn('text'), currency: nn('text'), exchange_tz: nn('text'),
    first_trade_date: n('date'), active: nn('boolean'), last_full_fetch_at: n('timestamp with time zone'),
    created_at: nn('timestamp with time zone'), updated_at: nn('timestamp with time zone'),
  },
  daily_bars: {
    symbol: nn('text'), trade_date: nn('date'), open: n('numeric'), high: n('numeric'), low: n('numeric'),
    close: nn('numeric'), adj_close: n('numeric'), volume: n('bigint'), quality: nn('ARRAY'), source: nn('text'),
    fetched_at: nn('timestamp with time zone'),
  },
  quotes: {
    symbol: nn('text'), ts: nn('timestamp with time zone'), price: nn('numeric'), market_cap: n('numeric'),
    volume: n('bigint'), market_state: n('text'), currency: n('text'), source: nn('text'),
    fetched_at: nn('timestamp with time zone'),
  },
  corporate_actions: {
    symbol: nn('text'), trade_date: nn('date'), kind: nn('text'), numerator: n('numeric'), denominator: n('numeric'),
    amount: n('numeric'), source: nn('text'), fetched_at: nn('timestamp with time zone'),
  },
  ingest_runs: {
    id: nn('bigint'), job: nn('text'), started_at: nn('timestamp with time zone'), finished_at: n('timestamp with time zone'),
    status: nn('text'), symbols: nn('ARRAY'), rows_inserted: nn('integer'), rows_updated: nn('integer'),
    rows_rejected: nn('integer'), rows_revised: nn('integer'), rebased: nn('jsonb'), rows: nn('integer'), requests: nn('integer'), failures: nn('jsonb'), error: n('text'), pid: n('integer'),
    host: n('text'),
    rejections: nn('jsonb'),
  },
  reports: {
    as_of: nn('date'), generated_at: nn('timestamp with time zone'), data_source: nn('text'), json: nn('jsonb'),
    markdown: n('text'), html: n('text'),
  },
  alerts: {
    id: nn('bigint'), rule: nn('text'), symbol: n('text'), claim_id: n('text'), payload: nn('jsonb'), message: nn('text'),
    status: nn('text'), fired_at: nn('timestamp with time zone'), dedupe_key: nn('text'),
  },
  alert_deliveries: {
    alert_id: nn('bigint'), channel: nn('text'), status: nn('text'), attempts: nn('integer'),
    next_attempt_at: nn('timestamp with time zone'), last_error: n('text'), delivered_at: n('timestamp with time zone'),
  },
  alert_state: { key: nn('text'), state: nn('jsonb'), updated_at: nn('timestamp with time zone') },
  symbol_state: {
    symbol: nn('text'), version: nn('integer'), last_date: nn('date'), sessions: nn('integer'), sources: nn('ARRAY'),
    state: nn('jsonb'), last_change: nn('text'), updated_at: nn('timestamp with time zone'),
  },
  symbol_state_untracked_writes: { txid: nn('bigint'), marked_at: nn('timestamp with time zone') },
  verify_differences: {
    run_id: nn('bigint'), symbol: nn('text'), first_date: nn('date'), last_date: nn('date'), kind: nn('text'), rows: nn('integer'),
    fields: nn('ARRAY'), factor: n('numeric'), adj_close_factor: n('numeric'), stored: n('jsonb'), source: n('jsonb'), repaired: nn('boolean'),
  },
  bar_jumps: {
    symbol: nn('text'), trade_date: nn('date'), previous_date: nn('date'), previous_close: nn('numeric'), close: nn('numeric'),
    found_at: nn('timestamp with time zone'),
  },
  schema_migrations: { id: nn('text'), checksum: nn('text'), applied_at: nn('timestamp with time zone') },
  v_drawdowns: { symbol: nn('text'), trade_date: nn('date'), close: nn('numeric'), peak_close: nn('numeric'), drawdown: nn('numeric') },
  v_latest: {
    symbol: nn('text'), name: n('text'), kind: nn('text'), last_date: n('date'), last_close: n('numeric'),
    ath_date: n('date'), ath_close: n('numeric'), drawdown: n('numeric'), high_52w: n('numeric'), low_52w: n('numeric'),
    quote_price: n('numeric'), quote_ts: n('timestamp with time zone'), quote_market_cap: n('numeric'),
    days_since_last_bar: n('integer'), last_fetched_at: n('timestamp with time zone'), drawdown_52w: n('numeric'),
  },
  v_returns: {
    symbol: nn('text'), trade_date: nn('date'), close: nn('numeric'), prev_close: n('numeric'), return_1d: n('numeric'),
    return_1w: n('numeric'), return_1m: n('numeric'), return_3m: n('numeric'), return_1y: n('numeric'), return_ytd: n('numeric'),
  },
  v_episodes: {
    symbol: nn('text'), peak_date: nn('date'), peak_close: nn('numeric'), trough_date: nn('date'), trough_close: nn('numeric'),
    recovery_date: n('date'), depth: nn('numeric'), sessions_to_trough: nn('bigint'), sessions_to_recovery: n('bigint'),
    depth_rank: nn('bigint'),
  },
  reference_episodes: {
    id: nn('text'), symbol: nn('text'), peak_date: nn('date'), trough_date: nn('date'), label: nn('text'),
    peak_close: n('numeric'), trough_close: n('numeric'),
  },
  v_crash_alignment: {
    symbol: nn('text'), symbol_peak_date: nn('date'), reference_id: nn('text'), reference_symbol: nn('text'), session: nn('bigint'),
    symbol_date: nn('date'), symbol_drawdown: nn('numeric'), reference_date: n('date'), reference_drawdown: n('numeric'),
  },
};

describe('schema', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.drop());

  it('has exactly the tables, views and columns that schema.ts declares', async () => {
    const rows = await db.withSession((s) =>
      s.query(
        `select c.table_name, c.column_name, c.data_type, c.is_nullable, t.table_type
           from information_schema.columns c
           join information_schema.tables t using (table_schema, table_name)
          where c.table_schema = current_schema()
          order by c.table_name, c.ordinal_position`,
      ),
    );
    const actual: Record<string, Record<string, { nullable: boolean; type: string }>> = {};
    for (const r of rows.rows) {
      const table = String(r.table_name);
      const isView = r.table_type === 'VIEW';
      const expected = (COLUMNS as Record<string, Record<string, { nullable: boolean }>>)[table]?.[String(r.column_name)];
      (actual[table] ??= {})[String(r.column_name)] = {
        // information_schema can't tell a view column's nullability; take the declared one.
        nullable: isView ? (expected?.nullable ?? true) : r.is_nullable === 'YES',
        type: String(r.data_type),
      };
    }
    expect(actual).toEqual(COLUMNS);
  });

  it('returns the runtime types the code is written for (DATE as text, NUMERIC and BIGINT as numbers)', async () => {
    await db.db
      .insertInto('symbols')
      .values({ symbol: 'TYPE', kind: 'equity' })
      .execute();
    await db.db
      .insertInto('daily_bars')
      .values({ symbol: 'TYPE', trade_date: '2024-01-02', open: 1.5, high: 2.25, low: 1.25, close: 2.125, adj_close: 2, volume: 9_007_199_254, source: 'import' })
      .execute();
    const row = await db.db.selectFrom('daily_bars').selectAll().where('symbol', '=', 'TYPE').executeTakeFirstOrThrow();
    expect(row.trade_date).toBe('2024-01-02');
    expect(row.close).toBe(2.125);
    expect(row.volume).toBe(9_007_199_254);
    expect(row.quality).toEqual([]);
    expect(row.fetched_at).toBeInstanceOf(Date);
    const count = await db.db.selectFrom('daily_bars').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it.each([
    ['a negative close', { close: -1 }],
    ['a zero open', { open: 0 }],
    ['an infinite high', { high: Infinity }],
    ['a NaN close', { close: NaN }],
    ['high below low', { high: 1, low: 2 }],
    ['a negative volume', { volume: -5 }],
    ['an unknown quality flag', { quality: ['made_up'] }],
    ['an unknown source', { source: 'other' as 'yahoo' }],
  ])('rejects a bar with %s', async (_label, patch) => {
    await db.db.insertInto('symbols').values({ symbol: 'BAD' }).onConflict((oc) => oc.doNothing()).execute();
    const bar = { symbol: 'BAD', trade_date: '2024-01-03', open: 10, high: 11, low: 9, close: 10.5, volume: 100, source: 'import' as const, ...patch };
    await expect(db.db.insertInto('daily_bars').values(bar).execute()).rejects.toThrow(/violates check constraint/);
  });

  it('rejects a malformed symbol and an unknown kind', async () => {
    await expect(db.db.insertInto('symbols').values({ symbol: '<script>' }).execute()).rejects.toThrow(/check constraint/);
    await expect(db.db.insertInto('symbols').values({ symbol: 'OK', kind: 'bond' as 'equity' }).execute()).rejects.toThrow(/check constraint/);
  });
});
