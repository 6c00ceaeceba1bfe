-- What were the 1-week, 1-month, 3-month, 1-year and year-to-date returns of each stock as of a date?
-- params: as_of (default 9999-12-31)
-- For each symbol, the returns of its last bar on or before `as_of` (default: the latest bar), as
-- v_returns defines them: fractions by close, looking back by the calendar to the last close on or
-- before date - 7 days / 1 month / 3 months / 1 year, YTD from the previous year's last close; empty
-- when the history doesn't reach back that far. Each base is one index lookup, so this stays fast
-- however long the histories are (v_returns would compute every bar of every symbol first).
-- Run: bubblewatch sql --file sql/queries/returns-as-of.sql --param as_of=2025-12-31
select s.symbol,
       last_bar.trade_date,
       last_bar.close,
       last_bar.close / base.prev - 1 as return_1d,
       last_bar.close / base.w1 - 1   as return_1w,
       last_bar.close / base.m1 - 1   as return_1m,
       last_bar.close / base.m3 - 1   as return_3m,
       last_bar.close / base.y1 - 1   as return_1y,
       last_bar.close / base.ytd - 1  as return_ytd
  from symbols s
  join lateral (select b.trade_date, b.close from daily_bars b
                 where b.symbol = s.symbol and b.trade_date <= cast(:as_of as date)
                 order by b.trade_date desc limit 1) last_bar on true
 cross join lateral (
        select (select close from daily_bars b where b.symbol = s.symbol and b.trade_date < last_bar.trade_date
                 order by b.trade_date desc limit 1) as prev,
               (select close from daily_bars b where b.symbol = s.symbol and b.trade_date <= last_bar.trade_date - 7
                 order by b.trade_date desc limit 1) as w1,
               (select close from daily_bars b where b.symbol = s.symbol
                   and b.trade_date <= cast(last_bar.trade_date - interval '1 month' as date)
                 order by b.trade_date desc limit 1) as m1,
               (select close from daily_bars b where b.symbol = s.symbol
                   and b.trade_date <= cast(last_bar.trade_date - interval '3 months' as date)
                 order by b.trade_date desc limit 1) as m3,
               (select close from daily_bars b where b.symbol = s.symbol
                   and b.trade_date <= cast(last_bar.trade_date - interval '1 year' as date)
                 order by b.trade_date desc limit 1) as y1,
               (select close from daily_bars b where b.symbol = s.symbol
                   and b.trade_date < cast(date_trunc('year', last_bar.trade_date) as date)
                 order by b.trade_date desc limit 1) as ytd) base
 order by s.symbol;
