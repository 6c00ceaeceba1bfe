-- How did AMZN move in the 5 sessions after the OpenAI talks were reported (2025-12-16), against the NASDAQ?
-- params: symbol (default AMZN), event_date (default 2025-12-16), sessions (default 5), benchmark (default ^IXIC)
-- Base: the last close before event_date. Each of the first `sessions` bars on or after event_date,
-- with the cumulative return since the base for the symbol and for the benchmark on the same date, and
-- the difference (excess). Fractions. Other events in config/claims.json: NVDA 2025-04-08 (Lepton AI),
-- META 2025-12-29 (Manus). The excess here is a plain subtraction (as if beta were 1) and the window
-- holds whatever else moved the market; event-study.sql measures the reaction the way the report does.
-- Run: bubblewatch sql --file sql/queries/event-window.sql --param symbol=META --param event_date=2025-12-29
with base as (
  select (select close from daily_bars
           where symbol = :symbol and trade_date < cast(:event_date as date)
           order by trade_date desc limit 1) as symbol_close,
         (select close from daily_bars
           where symbol = :benchmark and trade_date < cast(:event_date as date)
           order by trade_date desc limit 1) as benchmark_close
), after as (
  select row_number() over (order by b.trade_date) as session, b.trade_date, b.close
    from daily_bars b
   where b.symbol = :symbol and b.trade_date >= cast(:event_date as date)
   order by b.trade_date
   limit cast(:sessions as integer)
)
select a.session,
       a.trade_date,
       a.close,
       a.close / base.symbol_close - 1                                  as symbol_return,
       x.close / base.benchmark_close - 1                               as benchmark_return,
       (a.close / base.symbol_close) - (x.close / base.benchmark_close) as excess
  from after a
 cross join base
  left join daily_bars x on x.symbol = :benchmark and x.trade_date = a.trade_date
 order by a.session;
