-- How long did NVDA take to recover from each fall of 20% or more?
-- params: symbol (default NVDA), min_depth (default 0.20)
-- Every drawdown episode at least `min_depth` deep (a fraction: 0.20 = a 20 % fall), oldest first, with
-- the time from peak to trough and to recovery in sessions (stored bars) and calendar days. Empty
-- recovery columns: not recovered yet.
-- Run: bubblewatch sql --file sql/queries/episode-recoveries.sql --param symbol=INTC --param min_depth=0.5
select peak_date,
       trough_date,
       recovery_date,
       depth,
       sessions_to_trough,
       sessions_to_recovery,
       recovery_date - peak_date as days_to_recovery
  from v_episodes
 where symbol = :symbol
   and -depth >= :min_depth
 order by peak_date;
