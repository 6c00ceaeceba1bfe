-- Issue 21: data that checks itself. A sync counts the recent bars the source revised apart from the
-- rows it wrote, and names the symbols whose whole history it re-fetched because the overlap showed
-- another basis (a split, a reverse split, a silent re-basing). `bubblewatch verify` is a run of its
-- own whose differences are kept, so `status` and the daemon's /healthz can say what the last audit
-- found. Unexplained jumps between consecutive closes are kept per symbol by every unit of work.

alter table ingest_runs
  -- Rows of the overlap the source changed on the same basis (Yahoo correcting a recent bar).
  add column rows_revised integer not null default 0,
  -- [{symbol, factor, adjCloseFactor, split}] per symbol whose history this run re-fetched whole
  -- because the overlap was on another basis; split is {date, ratio} of the split on record that
  -- accounts for the factor, or null.
  add column rebased jsonb not null default '[]';

alter table ingest_runs drop constraint ingest_runs_job_check;
alter table ingest_runs add constraint ingest_runs_job_check check (job in ('sync', 'quotes', 'import', 'report', 'verify'));

-- What a verify run found, one row per range of consecutive sessions that differ the same way.
create table verify_differences (
  run_id     bigint not null references ingest_runs (id) on delete cascade,
  symbol     text not null,
  first_date date not null,
  last_date  date not null,
  -- changed: both have the sessions; not_stored: only the source; not_in_source: only the table.
  kind       text not null check (kind in ('changed', 'not_stored', 'not_in_source')),
  rows       integer not null check (rows > 0),
  fields     text[] not null,
  -- source = factor x stored for every price of the range; null when not one common factor.
  factor           numeric,
  adj_close_factor numeric,
  -- The range's first session as stored and as the source has it (null on the side without it).
  stored     jsonb,
  source     jsonb,
  -- Stored again from the source by `verify --repair` in the same run.
  repaired   boolean not null default false,
  primary key (run_id, symbol, first_date, kind)
);

-- Consecutive closes further apart than history.jumpFactor that no split on record explains, keyed
-- by the later session. Each unit of work replaces the symbol's jumps in the dates it wrote; verify
-- replaces them all.
create table bar_jumps (
  symbol         text not null references symbols (symbol) on delete cascade,
  trade_date     date not null,
  previous_date  date not null,
  previous_close numeric not null,
  close          numeric not null,
  found_at       timestamptz not null default now(),
  primary key (symbol, trade_date)
);

-- Rows kept with a quality flag (open or close outside low-high): counted per symbol by `status` and
-- /healthz without reading the whole table.
create index daily_bars_flagged_idx on daily_bars (symbol, trade_date) where quality <> '{}';
