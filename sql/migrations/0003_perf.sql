-- bubblewatch schema, version 3: reads that stay fast at 1,000 symbols x 30 years (docs/PERFORMANCE.md).
--
-- 1. Every analysis read (v_drawdowns, v_returns, v_episodes, v_latest's 52-week range, the report's
--    closes) wants (symbol, trade_date, close) in date order for one symbol. The primary key has the
--    order but not the close, so each row costs a heap fetch; after years of daily syncs a symbol's
--    rows are spread over one heap page per session (each day's bars are written together), so one
--    symbol's history is thousands of scattered page reads. With close in the index these reads are
--    index-only: a few contiguous leaf pages per symbol, whatever the heap layout. It costs about as
--    much space as the close index of 0001 and one more index insertion per new bar.
--    (Inside the migration's transaction CREATE INDEX cannot be CONCURRENTLY: on a large existing
--    table it holds writes for the build, about 5-10 s per 7.5 M bars on 2 cores.)
create index daily_bars_symbol_date_close_idx on daily_bars (symbol, trade_date) include (close);

-- 2. v_latest (as 0002 defines it) with the 52-week range read from the symbol's last 366 bars in
--    date order. Written as max/min over the date range, the planner turns it into two "first row of
--    the (symbol, close) index" probes; the one for the low walks back from the symbol's lowest close
--    of all time until it meets a bar of the last year, which for anything that has risen over the
--    years is most of the symbol's index (1,000 symbols x 30 years: 47,700 buffers and 300-750 ms,
--    against 13,800 buffers and 80-330 ms for the form below; docs/PERFORMANCE.md).
--    A year holds at most 366 dates and the primary key allows one bar per date, so the 366 latest
--    bars contain every bar of the window: the result is the same, read as one short index range.
--    Same columns, same order, same meaning: scripts that select from v_latest see no difference.
create or replace view v_latest as
select s.symbol,
       s.name,
       s.kind,
       last_bar.trade_date                      as last_date,
       last_bar.close                           as last_close,
       ath.trade_date                           as ath_date,
       ath.close                                as ath_close,
       last_bar.close / ath.close - 1           as drawdown,
       year_range.high_52w,
       year_range.low_52w,
       q.price                                  as quote_price,
       q.ts                                     as quote_ts,
       q.market_cap                             as quote_market_cap,
       (now() at time zone s.exchange_tz)::date - last_bar.trade_date as days_since_last_bar,
       last_bar.fetched_at                      as last_fetched_at,
       last_bar.close / year_range.high_52w - 1 as drawdown_52w
  from symbols s
  left join lateral (select b.trade_date, b.close, b.fetched_at from daily_bars b
                      where b.symbol = s.symbol order by b.trade_date desc limit 1) last_bar on true
  left join lateral (select b.trade_date, b.close from daily_bars b
                      where b.symbol = s.symbol order by b.close desc, b.trade_date desc limit 1) ath on true
  left join lateral (select max(recent.close) as high_52w, min(recent.close) as low_52w
                       from (select b.trade_date, b.close from daily_bars b
                              where b.symbol = s.symbol
                              order by b.trade_date desc
                              limit 366) as recent
                      where recent.trade_date > last_bar.trade_date - interval '1 year') year_range on true
  left join lateral (select q.price, q.ts, q.market_cap from quotes q
                      where q.symbol = s.symbol order by q.ts desc limit 1) q on true;
