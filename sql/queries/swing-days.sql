-- How often did each stock swing more than 5% in a day during 2025 (frenzy and doubt)?
-- params: threshold (default 0.05), from (default 2025-01-01), to (default 2025-12-31)
-- Per symbol, the sessions from `from` to `to` (inclusive) and how many closed more than `threshold`
-- (a fraction) up or down from the previous close, with the biggest daily gain and loss (fractions).
-- The daily return is v_returns.return_1d; it is computed here from one index range per symbol (the
-- period plus the bar before it), not from every bar of every symbol.
-- Run: bubblewatch sql --file sql/queries/swing-days.sql --param threshold=0.10 --param from=2024-01-01
select s.symbol,
       count(*)                                         as sessions,
       count(*) filter (where d.return_1d > cast(:threshold as numeric))  as up_days,
       count(*) filter (where d.return_1d < -cast(:threshold as numeric)) as down_days,
       max(d.return_1d)                                 as biggest_gain,
       min(d.return_1d)                                 as biggest_loss
  from symbols s
 cross join lateral (
        select b.trade_date,
               b.close / lag(b.close) over (order by b.trade_date) - 1 as return_1d
          from daily_bars b
         where b.symbol = s.symbol
           -- From the last bar before the period, whose close is the first day's base.
           and b.trade_date >= coalesce((select max(p.trade_date) from daily_bars p
                                          where p.symbol = s.symbol and p.trade_date < cast(:from as date)),
                                        cast(:from as date))
           and b.trade_date <= cast(:to as date)) d
 where d.trade_date >= cast(:from as date)
 group by s.symbol
 order by s.symbol;
