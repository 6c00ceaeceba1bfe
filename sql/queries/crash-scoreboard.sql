-- Is each stock's fall as deep as the 2000 and 2008 crashes were after the same number of sessions?
-- params: none
-- For every symbol and reference crash: where the symbol stands now (sessions since its all-time high,
-- drawdown) next to where the reference stood after as many sessions, and the reference's full depth
-- (its published peak-to-trough fall). share_of_crash = symbol drawdown / full depth: 1 means as deep as
-- the whole crash. Fractions throughout. Reference columns are empty if the index history isn't stored.
-- These are the numbers of the last row of v_crash_alignment for each symbol and reference, found with
-- a few index lookups per symbol instead of building every symbol's whole path.
-- Run: bubblewatch sql --file sql/queries/crash-scoreboard.sql
with falls as materialized (  -- counted once per symbol, not once per use
  select s.symbol,
         ath.trade_date                   as peak_date,
         last_bar.trade_date              as last_date,
         last_bar.close / ath.close - 1   as drawdown,
         (select count(*) from daily_bars c
           where c.symbol = s.symbol and c.trade_date > ath.trade_date) as sessions
    from symbols s
    join lateral (select b.trade_date, b.close from daily_bars b
                   where b.symbol = s.symbol order by b.close desc, b.trade_date desc limit 1) ath on true
    join lateral (select b.trade_date, b.close from daily_bars b
                   where b.symbol = s.symbol order by b.trade_date desc limit 1) last_bar on true
), reference_paths as (
  select r.id,
         row_number() over w - 1                   as session,
         b.close / first_value(b.close) over w - 1 as drawdown
    from reference_episodes r
    join daily_bars b on b.symbol = r.symbol and b.trade_date >= r.peak_date
  window w as (partition by r.id order by b.trade_date)
)
select f.symbol,
       r.id                                        as reference_id,
       f.peak_date                                 as symbol_peak_date,
       f.sessions                                  as sessions_since_peak,
       f.last_date,
       f.drawdown                                  as symbol_drawdown,
       p.drawdown                                  as reference_drawdown_same_session,
       r.trough_close / r.peak_close - 1           as reference_full_depth,
       f.drawdown / (r.trough_close / r.peak_close - 1) as share_of_crash
  from falls f
 cross join reference_episodes r
  left join reference_paths p on p.id = r.id and p.session = f.sessions
 order by f.symbol, r.id;
