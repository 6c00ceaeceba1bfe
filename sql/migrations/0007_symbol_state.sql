-- Issue 15: per symbol, the drawdown state the latest-day report needs (src/report/math/drawdown-state.ts),
-- kept up to date by the same transaction that stores the symbol's bars (src/db/store.ts), so the
-- report reads one row per symbol instead of its whole history. `state` is the pure module's JSON;
-- a row whose `version` is not the code's is ignored and rebuilt (`bubblewatch db rebuild-state`).
create table symbol_state (
  symbol text primary key references symbols (symbol) on delete cascade,
  version integer not null,
  last_date date not null,
  sessions integer not null check (sessions > 0),
  -- Distinct daily_bars.source of the symbol's rows, sorted (the report's provenance).
  sources text[] not null,
  state jsonb not null,
  -- 'rebuilt' (read from every bar) or 'advanced' (the last write appended after last_date).
  last_change text not null check (last_change in ('rebuilt', 'advanced')),
  updated_at timestamptz not null default now()
);

-- A write to daily_bars that did not come through bubblewatch's units of work (psql, `sql --write`)
-- leaves its transaction id here: the report then trusts no state and reads bars, until
-- `bubblewatch db rebuild-state` rebuilds every state and clears the mark. The units of work remove
-- their own mark in the transaction that wrote the bars and updated the states. Statement-level, so
-- a bulk write pays once per statement, not per row.
create table symbol_state_untracked_writes (
  txid bigint primary key,
  marked_at timestamptz not null default now()
);

create function mark_untracked_bar_write() returns trigger language plpgsql as $$
begin
  insert into symbol_state_untracked_writes (txid) values (txid_current()) on conflict (txid) do nothing;
  return null;
end;
$$;

create trigger daily_bars_untracked_write
  after insert or update or delete or truncate on daily_bars
  for each statement execute function mark_untracked_bar_write();
