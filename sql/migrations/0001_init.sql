-- bubblewatch schema, version 1.
-- Prices are NUMERIC (exact, as Yahoo sends them), trading dates are DATE (the exchange-local session
-- date), instants are timestamptz. Every primary key starts with symbol, so the big tables can later be
-- distributed by symbol (Citus) or partitioned by time without changing keys (docs/SCALING.md).

create table symbols (
  symbol             text primary key
                     check (symbol ~ '^[A-Z0-9^][A-Z0-9.=^-]{0,19}$'),
  name               text,
  kind               text not null default 'equity' check (kind in ('equity', 'index')),
  currency           text not null default 'USD',
  exchange_tz        text not null default 'America/New_York',
  first_trade_date   date,
  active             boolean not null default true,
  -- When the whole history was last fetched: a split newer than this forces a full re-fetch,
  -- because Yahoo rewrites split-adjusted history retroactively.
  last_full_fetch_at timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);

create table daily_bars (
  symbol     text not null references symbols (symbol),
  trade_date date not null,
  open       numeric,
  high       numeric,
  low        numeric,
  -- Yahoo's close: split-adjusted, not dividend-adjusted. adj_close also adjusts for dividends.
  close      numeric not null,
  adj_close  numeric,
  volume     bigint,
  -- Odd-but-possible rows are kept as they came and flagged here (e.g. an index's open above its high).
  quality    text[] not null default '{}'
             check (quality <@ array['open_outside_range', 'close_outside_range']::text[]),
  source     text not null check (source in ('yahoo', 'import', 'sim')),
  fetched_at timestamptz not null default now(),
  primary key (symbol, trade_date),
  -- numeric accepts NaN and Infinity since PostgreSQL 14; 'NaN' sorts above 'Infinity', so "< Infinity"
  -- rejects both.
  constraint daily_bars_prices_valid check (
        close > 0 and close < 'Infinity'
    and (open is null or (open > 0 and open < 'Infinity'))
    and (high is null or (high > 0 and high < 'Infinity'))
    and (low is null or (low > 0 and low < 'Infinity'))
    and (adj_close is null or (adj_close > 0 and adj_close < 'Infinity'))
  ),
  constraint daily_bars_high_low check (high is null or low is null or high >= low),
  constraint daily_bars_volume check (volume is null or volume >= 0)
);

-- The all-time high of a symbol is the first entry of this index: v_latest reads it instead of
-- scanning the symbol's whole history.
create index daily_bars_symbol_close_idx on daily_bars (symbol, close desc, trade_date desc);

create table quotes (
  symbol       text not null references symbols (symbol),
  ts           timestamptz not null,
  price        numeric not null check (price > 0 and price < 'Infinity'),
  market_cap   numeric check (market_cap is null or (market_cap >= 0 and market_cap < 'Infinity')),
  volume       bigint check (volume is null or volume >= 0),
  market_state text,
  currency     text,
  source       text not null check (source in ('yahoo', 'sim')),
  fetched_at   timestamptz not null default now(),
  primary key (symbol, ts)
);

create table corporate_actions (
  symbol      text not null references symbols (symbol),
  trade_date  date not null,
  kind        text not null check (kind in ('split', 'dividend')),
  numerator   numeric check (numerator is null or numerator > 0),
  denominator numeric check (denominator is null or denominator > 0),
  amount      numeric check (amount is null or amount >= 0),
  source      text not null check (source in ('yahoo', 'import', 'sim')),
  fetched_at  timestamptz not null default now(),
  primary key (symbol, trade_date, kind),
  check ((kind = 'split' and numerator is not null and denominator is not null)
      or (kind = 'dividend' and amount is not null))
);

create table ingest_runs (
  id            bigint generated always as identity primary key,
  job           text not null check (job in ('sync', 'quotes', 'import', 'report')),
  started_at    timestamptz not null default now(),
  finished_at   timestamptz,
  -- running: in flight (or died: the next start marks it 'aborted'); partial: some symbols failed.
  status        text not null default 'running'
                check (status in ('running', 'ok', 'partial', 'failed', 'aborted')),
  symbols       text[] not null default '{}',
  rows_inserted integer not null default 0,
  rows_updated  integer not null default 0,
  rows_rejected integer not null default 0,
  requests      integer not null default 0,
  -- [{symbol, kind, reason}] for each symbol that failed; the others were stored.
  failures      jsonb not null default '[]',
  error         text,
  pid           integer,
  host          text
);
create index ingest_runs_job_started_idx on ingest_runs (job, started_at desc);

create table reports (
  as_of        date primary key,
  generated_at timestamptz not null default now(),
  -- Where the prices came from: 'yahoo', 'sim', 'import' or a mix such as 'import,yahoo'.
  data_source  text not null,
  json         jsonb not null,
  markdown     text,
  html         text
);

-- Running peak and drawdown (a fraction, -0.25 = 25 % below the peak) of every bar, by close.
-- Filter on symbol: the predicate is pushed below the window, so one symbol reads one index range.
create view v_drawdowns as
select symbol,
       trade_date,
       close,
       peak_close,
       close / peak_close - 1 as drawdown
  from (select symbol,
               trade_date,
               close,
               max(close) over (partition by symbol order by trade_date
                                rows between unbounded preceding and current row) as peak_close
          from daily_bars) as running;

-- One row per symbol: the latest close, the all-time high, the current drawdown, the 52-week range
-- and the latest quote. Each piece is an index lookup per symbol, not a scan of the history.
create view v_latest as
select s.symbol,
       s.name,
       s.kind,
       last_bar.trade_date                      as last_date,
       last_bar.close                           as last_close,
       ath.trade_date                           as ath_date,
       ath.close                                as ath_close,
       last_bar.close / ath.close - 1           as drawdown,
       year_range.high_52w,
       year_range.low_52w,
       q.price                                  as quote_price,
       q.ts                                     as quote_ts,
       q.market_cap                             as quote_market_cap
  from symbols s
  left join lateral (select b.trade_date, b.close from daily_bars b
                      where b.symbol = s.symbol order by b.trade_date desc limit 1) last_bar on true
  left join lateral (select b.trade_date, b.close from daily_bars b
                      where b.symbol = s.symbol order by b.close desc, b.trade_date desc limit 1) ath on true
  left join lateral (select max(b.close) as high_52w, min(b.close) as low_52w from daily_bars b
                      where b.symbol = s.symbol
                        and b.trade_date > last_bar.trade_date - interval '1 year') year_range on true
  left join lateral (select q.price, q.ts, q.market_cap from quotes q
                      where q.symbol = s.symbol order by q.ts desc limit 1) q on true;
