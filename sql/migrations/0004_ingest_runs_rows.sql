-- DESIGN.md names a `rows` column on ingest_runs: the rows a run wrote (inserted + updated), kept
-- next to the split counts so it can never disagree with them.
alter table ingest_runs
  add column rows integer not null generated always as (rows_inserted + rows_updated) stored;

comment on column ingest_runs.rows is 'rows written by the run: rows_inserted + rows_updated';
