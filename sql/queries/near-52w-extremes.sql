-- Which stocks are within 5% of their 52-week high or low?
-- params: within (default 0.05)
-- From v_latest: the 52-week window is the year up to each symbol's last bar. below_high and
-- above_low are fractions (-0.03 = 3 % below the 52-week high); `within` is a fraction too.
-- Run: bubblewatch sql --file sql/queries/near-52w-extremes.sql --param within=0.10
select symbol,
       last_date,
       last_close,
       high_52w,
       low_52w,
       drawdown_52w                 as below_high,
       last_close / low_52w - 1     as above_low,
       case when -drawdown_52w <= :within and last_close / low_52w - 1 <= :within then 'both'
            when -drawdown_52w <= :within then 'high'
            else 'low' end          as near
  from v_latest
 where last_date is not null
   and (-drawdown_52w <= :within or last_close / low_52w - 1 <= :within)
 order by symbol;
