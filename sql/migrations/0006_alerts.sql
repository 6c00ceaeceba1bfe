-- Alerts (issue 14): what fired, to whom it was delivered, and the state rules compare against.
-- A rule fires only on a change from the state last evaluated (alert_state), so a backfill or a
-- re-fetch of history never fires for the past. Each alert is delivered once per channel; a
-- delivery row is the outbox that survives a restart (pending rows are retried later).
create table alerts (
  id bigint generated always as identity primary key,
  -- drawdown_level | all_time_high | verdict_change | stale_data | sync_failed | test
  rule text not null,
  symbol text,
  claim_id text,
  -- The values that made it fire (level, direction, drawdown, price, verdicts before and after...).
  payload jsonb not null default '{}'::jsonb,
  message text not null,
  -- provisional (from intraday quotes) or confirmed (from closes)
  status text not null default 'confirmed' check (status in ('provisional', 'confirmed')),
  fired_at timestamptz not null default now(),
  -- The same crossing seen by two writers at once is stored once.
  dedupe_key text not null unique
);

create index alerts_fired_at on alerts (fired_at desc);

create table alert_deliveries (
  alert_id bigint not null references alerts (id) on delete cascade,
  channel text not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  delivered_at timestamptz,
  primary key (alert_id, channel)
);

create index alert_deliveries_pending on alert_deliveries (next_attempt_at) where status = 'pending';

-- Per rule and subject (e.g. 'drawdown:ORCL', 'ath:ORCL', 'verdict:orcl-crwv-crash-comparable'),
-- the state the last evaluation left: the next evaluation fires only on a change from it.
create table alert_state (
  key text primary key,
  state jsonb not null,
  updated_at timestamptz not null default now()
);
