-- What were ORCL's month-end closes and monthly returns?
-- params: symbol (default ORCL), from (default 1900-01-01)
-- The last stored close of each calendar month and its return over the previous month-end close
-- (a fraction; empty for the first month). `from` hides earlier months but the first shown month
-- still gets its return. Handy with --format csv for a spreadsheet.
-- Run: bubblewatch sql --file sql/queries/monthly-returns.sql --param symbol=NVDA --param from=2024-01-01 --format csv > nvda-monthly.csv
select month, trade_date, close, monthly_return
  from (select to_char(trade_date, 'YYYY-MM') as month,
               trade_date,
               close,
               close / lag(close) over (order by trade_date) - 1 as monthly_return
          from (select distinct on (date_trunc('month', trade_date)) trade_date, close
                  from daily_bars
                 where symbol = :symbol
                 order by date_trunc('month', trade_date), trade_date desc) month_ends) monthly
 where trade_date >= cast(:from as date)
 order by trade_date;
