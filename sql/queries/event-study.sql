-- Did AMZN react to the OpenAI talks (2025-12-16) beyond what the NASDAQ explains?
-- params: symbol (default AMZN), event_date (default 2025-12-16), benchmark (default ^IXIC)
-- A market-model event study, the report's method for claim 3 (src/report/math/market-model.ts):
-- - daily simple returns of close; the stock's sessions set the calendar; day 0 is the first session
--   on or after event_date; the benchmark's return is taken over the same two dates as the stock's;
-- - estimation window: the returns of sessions -130..-11 (120 returns); OLS of the stock's returns on
--   the benchmark's gives alpha, beta and the residual standard deviation s (n - 2 degrees of freedom);
-- - event window: sessions -1..+5 (L = 7 returns); AR = r - (alpha + beta * r_m); CAR = sum of AR;
--   t = CAR / (s * sqrt(L)); 'rallied' if t >= 1.96, 'fell' if t <= -1.96, else 'muted';
-- - 'pending' until session +5 is stored; 'insufficient' when fewer than 120 estimation returns exist or
--   the benchmark lacks a close one of the returns needs (the report says which).
-- Subtracting the benchmark's return (event-window.sql) assumes beta = 1; this estimates it.
-- Uses every stored bar: the figures are as of the last stored session. Fractions.
-- Run: bubblewatch sql --file sql/queries/event-study.sql --param symbol=NVDA --param event_date=2025-04-08
with sessions as (
  select trade_date, close::float8 as close, row_number() over (order by trade_date) as n
    from daily_bars
   where symbol = :symbol
), day0 as (
  select min(n) as n from sessions where trade_date >= cast(:event_date as date)
), returns as (
  select cur.n - day0.n                                 as session,
         cur.trade_date,
         cur.close / prev.close - 1                     as stock_return,
         bench_cur.close::float8 / bench_prev.close - 1 as market_return
    from sessions cur
    join sessions prev on prev.n = cur.n - 1
    join day0 on cur.n - day0.n between -130 and 5
    left join daily_bars bench_cur on bench_cur.symbol = :benchmark and bench_cur.trade_date = cur.trade_date
    left join daily_bars bench_prev on bench_prev.symbol = :benchmark and bench_prev.trade_date = prev.trade_date
), fit as (
  select count(*)                                                  as estimation_returns,
         count(market_return)                                      as estimation_paired,
         min(trade_date)                                           as estimation_from,
         max(trade_date)                                           as estimation_to,
         regr_intercept(stock_return, market_return)               as alpha,
         regr_slope(stock_return, market_return)                   as beta,
         sqrt((regr_syy(stock_return, market_return)
               - regr_sxy(stock_return, market_return) ^ 2 / nullif(regr_sxx(stock_return, market_return), 0))
              / nullif(regr_count(stock_return, market_return) - 2, 0)) as residual_sd
    from returns
   where session between -130 and -11
), event_window as (
  select count(*)                                                      as window_returns,
         count(market_return)                                          as window_paired,
         min(trade_date)                                               as window_from,
         max(trade_date)                                               as window_to,
         sum(stock_return - (fit.alpha + fit.beta * market_return))    as car
    from returns, fit
   where session between -1 and 5
), study as (
  select fit.*, event_window.*,
         event_window.car / nullif(fit.residual_sd * sqrt(event_window.window_returns), 0) as t
    from fit, event_window
), judged as (
  select study.*,
         case
           when window_returns < 7 then 'pending'
           when estimation_returns < 120 then 'insufficient: short history'
           when estimation_paired < estimation_returns or window_paired < window_returns then 'insufficient: benchmark gap'
           when t is null then 'insufficient: degenerate fit'
           when t >= 1.96 then 'rallied'
           when t <= -1.96 then 'fell'
           else 'muted'
         end as reaction
    from study
)
-- Figures are shown only for a measured study: a partial window's CAR would read as a result.
select cast(:symbol as text)     as symbol,
       cast(:event_date as date) as event_date,
       (select trade_date from sessions, day0 where sessions.n = day0.n) as day0,
       case when measured then estimation_from end as estimation_from,
       case when measured then estimation_to end   as estimation_to,
       case when measured then alpha end           as alpha,
       case when measured then beta end            as beta,
       case when measured then residual_sd end     as residual_sd,
       case when measured then window_from end     as window_from,
       case when measured then window_to end       as window_to,
       case when measured then car end             as car,
       case when measured then t end               as t,
       reaction
  from judged, lateral (select reaction in ('rallied', 'fell', 'muted') as measured) m;
