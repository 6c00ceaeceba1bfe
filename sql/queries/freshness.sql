-- Is the stored history up to date?
-- params: max_days (default 4)
-- Per symbol: the last stored bar, how many calendar days ago that is (in the exchange's time zone)
-- and when it was fetched. stale = no bars at all, or a last bar more than `max_days` days old
-- (4 covers a long weekend; a bar is stored only after the session closes).
-- Run: bubblewatch sql --file sql/queries/freshness.sql --param max_days=1
select symbol,
       last_date,
       days_since_last_bar,
       last_fetched_at,
       coalesce(days_since_last_bar > :max_days, true) as stale
  from v_latest
 order by stale desc, symbol;
