-- How far is each stock below its all-time high?
-- params: none
-- One row per symbol with stored bars, deepest first. drawdown is a fraction (-0.2562 = 25.62 % below
-- the all-time high close); drawdown_pct is the same in percent, rounded to 2 decimals.
-- Run: bubblewatch sql --file sql/queries/drawdown-now.sql
select symbol,
       last_date,
       last_close,
       ath_date,
       ath_close,
       drawdown,
       round(drawdown * 100, 2) as drawdown_pct
  from v_latest
 where last_date is not null
 order by drawdown, symbol;
