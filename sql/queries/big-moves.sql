-- Which days did ORCL move more than 10%?
-- params: symbol (default ORCL), threshold (default 0.10)
-- Days whose close moved more than `threshold` (a fraction: 0.10 = 10 %) from the previous stored
-- close, up or down, oldest first.
-- Run: bubblewatch sql --file sql/queries/big-moves.sql --param symbol=NVDA --param threshold=0.15
select trade_date,
       prev_close,
       close,
       return_1d,
       round(return_1d * 100, 2) as return_pct
  from v_returns
 where symbol = :symbol
   and abs(return_1d) > :threshold
 order by trade_date;
