-- Issue 24: the rows a run rejected, with why, beside the count it already keeps (rows_rejected):
-- [{symbol, tradeDate, reason}], the first 50 per symbol, written when the run ends (like failures).
-- A row that cannot be a price (a 1e12 close, high below low, a date outside the range asked for) is
-- then answered for in the run record, not only in the log.
alter table ingest_runs
  add column rejections jsonb not null default '[]';

comment on column ingest_runs.rejections is 'rows the run rejected: [{symbol, tradeDate, reason}], at most 50 per symbol';
