-- What were the worst 5 drawdowns of NVDA?
-- params: symbol (default NVDA), top (default 5)
-- The deepest drawdown episodes (v_episodes: peak -> trough -> recovery, pyfolio semantics), deepest
-- first; recovery_date is empty while the stock is still below that peak. depth is a fraction.
-- Run: bubblewatch sql --file sql/queries/worst-drawdowns.sql --param symbol=ORCL --param top=10
select depth_rank,
       peak_date,
       peak_close,
       trough_date,
       trough_close,
       recovery_date,
       depth,
       round(depth * 100, 2) as depth_pct,
       sessions_to_trough,
       sessions_to_recovery
  from v_episodes
 where symbol = :symbol
   and depth_rank <= :top
 order by depth_rank;
