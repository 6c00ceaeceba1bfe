-- bubblewatch schema, version 2: views for asking questions of the stored history in SQL
-- (docs/SQL.md describes every column with examples).
--
-- Conventions, the same in every view:
-- * Prices are `close`: Yahoo's split-adjusted close, not dividend-adjusted (the report's basis too).
-- * Returns and drawdowns are fractions: -0.25 means 25 % down. Multiply by 100 for percent.
-- * A "session" is one stored bar: sessions are counted in rows, whatever the calendar gaps.
-- * Each view is written so that a filter on symbol is pushed below its window functions and
--   aggregates (symbol is in every PARTITION BY and GROUP BY): one symbol reads one range of the
--   (symbol, trade_date) primary key instead of the whole table.

-- Returns of every bar, looking back by the calendar: the base of return_1m on 2025-03-31 is the last
-- close on or before 2025-02-28 (date - interval '1 month', clamped to the month's end by date
-- arithmetic). A RANGE frame ending at "<interval> PRECEDING" is exactly the set of bars on or before
-- that date, so last_value over it is the base close, in one ordered pass per symbol. Bases before the
-- first stored bar are NULL, and so are their returns.
create view v_returns as
select symbol,
       trade_date,
       close,
       prev_close,
       close / prev_close - 1 as return_1d,
       close / base_1w - 1    as return_1w,
       close / base_1m - 1    as return_1m,
       close / base_3m - 1    as return_3m,
       close / base_1y - 1    as return_1y,
       -- The first bar of a year has the previous year's last close as prev_close, whatever the gap
       -- before it: that close is the YTD base of every bar of the year.
       close / first_value(prev_close) over (partition by symbol, extract(year from trade_date)
                                              order by trade_date) - 1 as return_ytd
  from (select symbol,
               trade_date,
               close,
               lag(close) over w as prev_close,
               last_value(close) over (w range between unbounded preceding and interval '7 days' preceding) as base_1w,
               last_value(close) over (w range between unbounded preceding and interval '1 month' preceding) as base_1m,
               last_value(close) over (w range between unbounded preceding and interval '3 months' preceding) as base_3m,
               last_value(close) over (w range between unbounded preceding and interval '1 year' preceding) as base_1y
          from daily_bars
        window w as (partition by symbol order by trade_date)) as based;

comment on view v_returns is
  'Daily, 1-week, 1-month, 3-month, 1-year and year-to-date returns (fractions, by close) of every bar. '
  'Lookbacks are calendar-based: the base is the last close on or before trade_date - interval; NULL before the history starts.';
comment on column v_returns.symbol is 'Ticker (symbols.symbol).';
comment on column v_returns.trade_date is 'Exchange-local session date of the bar.';
comment on column v_returns.close is 'Split-adjusted close (daily_bars.close).';
comment on column v_returns.prev_close is 'Close of the previous stored bar; NULL on the first bar.';
comment on column v_returns.return_1d is 'close / prev_close - 1 (fraction).';
comment on column v_returns.return_1w is 'Return since the last close on or before trade_date - 7 days (fraction).';
comment on column v_returns.return_1m is 'Return since the last close on or before trade_date - 1 month (fraction).';
comment on column v_returns.return_3m is 'Return since the last close on or before trade_date - 3 months (fraction).';
comment on column v_returns.return_1y is 'Return since the last close on or before trade_date - 1 year (fraction).';
comment on column v_returns.return_ytd is
  'Return since the last close of the previous calendar year (fraction); NULL in the first year of the history.';

-- v_latest keeps its columns (scripts rely on them) and gains freshness at the end, which is all that
-- CREATE OR REPLACE VIEW allows. "Today" is taken in the symbol's exchange time zone, so the age of
-- the last bar does not depend on the session's TimeZone setting.
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
  left join lateral (select max(b.close) as high_52w, min(b.close) as low_52w from daily_bars b
                      where b.symbol = s.symbol
                        and b.trade_date > last_bar.trade_date - interval '1 year') year_range on true
  left join lateral (select q.price, q.ts, q.market_cap from quotes q
                      where q.symbol = s.symbol order by q.ts desc limit 1) q on true;

comment on view v_latest is
  'One row per symbol: latest close, all-time high, current drawdown, 52-week range, latest quote and data freshness.';
comment on column v_latest.symbol is 'Ticker.';
comment on column v_latest.name is 'Display name (symbols.name).';
comment on column v_latest.kind is '''equity'' or ''index''.';
comment on column v_latest.last_date is 'Date of the latest stored bar; NULL when the symbol has no bars.';
comment on column v_latest.last_close is 'Close of the latest stored bar.';
comment on column v_latest.ath_date is 'Date of the all-time high close (the latest such date on a tie).';
comment on column v_latest.ath_close is 'All-time high close.';
comment on column v_latest.drawdown is 'last_close / ath_close - 1: fraction below the all-time high (0 at a new high).';
comment on column v_latest.high_52w is 'Highest close in the year up to last_date (trade_date > last_date - 1 year).';
comment on column v_latest.low_52w is 'Lowest close in the same 52-week window.';
comment on column v_latest.quote_price is 'Price of the latest live quote (quotes table), if any.';
comment on column v_latest.quote_ts is 'When that quote was taken.';
comment on column v_latest.quote_market_cap is 'Market capitalisation in the latest quote (currency units, e.g. USD), if any.';
comment on column v_latest.days_since_last_bar is
  'Calendar days from last_date to today in the symbol''s exchange time zone (0 = a bar for today; 3 on a Monday after Friday''s bar).';
comment on column v_latest.last_fetched_at is 'When the latest bar was last written or changed.';
comment on column v_latest.drawdown_52w is 'last_close / high_52w - 1: fraction below the 52-week high.';

-- Drawdown episodes with pyfolio's semantics (the same as src/report/drawdown.ts):
-- an episode is a maximal run of closes below the running maximum, together with the bar before it,
-- which is at the running maximum: that bar is the peak (the last date at the running max before the
-- valley). The trough is the first lowest close of the run; the recovery is the bar right after the run
-- (the first close at or above the peak close), NULL while the episode is still open. Runs are disjoint,
-- so episodes never overlap (a recovery can be the next episode's peak).
-- episode_no counts the at-max bars up to each bar: every bar of a run shares it with its peak.
create view v_episodes as
select symbol,
       peak_date,
       peak_close,
       trough_date,
       trough_close,
       recovery_date,
       trough_close / peak_close - 1 as depth,
       sessions_to_trough,
       sessions_to_recovery,
       row_number() over (partition by symbol order by trough_close / peak_close - 1, peak_date) as depth_rank
  from (select symbol,
               min(trade_date)                                         as peak_date,
               max(running_max)                                        as peak_close,
               min(trade_date) filter (where close = episode_low)      as trough_date,
               min(close)                                              as trough_close,
               -- The bar after the run's last bar closes at or above the peak again: that is the
               -- recovery. Only the symbol's very last bar has no next bar, so a run that reaches
               -- it is still open.
               case when count(next_date) = count(*) then max(next_date) end as recovery_date,
               min(n) filter (where close = episode_low) - min(n)      as sessions_to_trough,
               case when count(next_date) = count(*) then max(n) + 1 - min(n) end as sessions_to_recovery
          from (select symbol, trade_date, close, running_max, n, next_date, episode_no,
                       min(close) over (partition by symbol, episode_no) as episode_low
                  from (select symbol, trade_date, close, running_max, n, next_date,
                               count(*) filter (where close >= running_max)
                                 over (partition by symbol order by trade_date rows unbounded preceding) as episode_no
                          from (select symbol,
                                       trade_date,
                                       close,
                                       max(close) over w as running_max,
                                       row_number() over w as n,
                                       lead(trade_date) over w as next_date
                                  from daily_bars
                                window w as (partition by symbol order by trade_date
                                             rows between unbounded preceding and current row)) as running
                       ) as numbered
               ) as in_episode
         group by symbol, episode_no
        having count(*) > 1) as episodes;

comment on view v_episodes is
  'Drawdown episodes per symbol (pyfolio semantics, by close): peak, trough, recovery (NULL while open), depth; '
  'only episodes that went below the peak; never overlapping.';
comment on column v_episodes.symbol is 'Ticker.';
comment on column v_episodes.peak_date is 'Last date at the running maximum before the trough.';
comment on column v_episodes.peak_close is 'Close on peak_date.';
comment on column v_episodes.trough_date is 'First date of the lowest close between the peak and the recovery.';
comment on column v_episodes.trough_close is 'Lowest close of the episode.';
comment on column v_episodes.recovery_date is 'First date closing at or above peak_close after the trough; NULL while unrecovered.';
comment on column v_episodes.depth is 'trough_close / peak_close - 1: a negative fraction (-0.4064 = 40.64 % below the peak).';
comment on column v_episodes.sessions_to_trough is 'Stored bars from the peak to the trough (peak = 0).';
comment on column v_episodes.sessions_to_recovery is 'Stored bars from the peak to the recovery; NULL while unrecovered.';
comment on column v_episodes.depth_rank is 'Rank of the episode by depth within its symbol: 1 = deepest (ties: the earlier peak first).';

-- The crashes the article compares today's falls with. config/claims.json holds the same figures for
-- the report; here they live in the database so SQL can line a fall up against them. Published closes
-- are kept for when the index history is not stored; v_crash_alignment uses the stored bars.
create table reference_episodes (
  id          text primary key,
  symbol      text not null,
  peak_date   date not null,
  trough_date date not null check (trough_date > peak_date),
  label       text not null,
  peak_close  numeric,
  trough_close numeric
);

insert into reference_episodes (id, symbol, peak_date, trough_date, label, peak_close, trough_close) values
  ('dotcom',  '^IXIC', '2000-03-10', '2002-10-09', '2000 dot-com bubble (NASDAQ Composite)', 5048.62, 1114.11),
  ('gfc2008', '^GSPC', '2007-10-09', '2009-03-09', '2008 financial crisis (S&P 500)',        1565.15,  676.53);
-- Two rows never reach autovacuum's analyze threshold (50 changed rows): without statistics the
-- planner guesses hundreds of rows here and switches on JIT for v_crash_alignment, which then spends
-- 300 ms compiling a 15 ms query.
analyze reference_episodes;

comment on table reference_episodes is
  'Reference crash episodes (same ids as config/claims.json): the index, its published peak and trough dates and closes.';
comment on column reference_episodes.id is 'Episode id, e.g. ''dotcom'', ''gfc2008''.';
comment on column reference_episodes.symbol is 'The index the episode is measured on (Yahoo symbol, e.g. ^IXIC).';
comment on column reference_episodes.peak_date is 'Published peak date (closing high).';
comment on column reference_episodes.trough_date is 'Published trough date (closing low).';
comment on column reference_episodes.label is 'Human-readable name.';
comment on column reference_episodes.peak_close is 'Published closing high.';
comment on column reference_episodes.trough_close is 'Published closing low.';

-- A symbol's current fall lined up with each reference crash, session by session from the peak:
-- session 0 is the symbol's all-time high (the latest date at its highest close) and the reference's
-- peak_date (its first stored bar on or after it). One row per stored bar of the symbol from its
-- all-time high on, per reference; the reference columns are NULL where the reference index has no
-- bar that many sessions after its peak (e.g. ^IXIC is not stored).
-- Both paths are numbered inside one lateral subquery per (symbol, reference), and the reference path
-- is cut at the length of the symbol's fall: a symbol 40 sessions off its high reads 41 bars of
-- ^IXIC, not the 6,000 since 2000. (A join of precomputed paths on (reference, session) misleads the
-- planner: it cannot see that session is unique, and picked a merge join on the reference alone.)
create view v_crash_alignment as
select s.symbol,
       ath.trade_date       as symbol_peak_date,
       r.id                 as reference_id,
       r.symbol             as reference_symbol,
       path.session,
       path.symbol_date,
       path.symbol_drawdown,
       path.reference_date,
       path.reference_drawdown
  from symbols s
  join lateral (select b.trade_date, b.close from daily_bars b
                 where b.symbol = s.symbol order by b.close desc, b.trade_date desc limit 1) ath on true
 cross join reference_episodes r
 cross join lateral (
        select fall.session,
               fall.trade_date   as symbol_date,
               fall.drawdown     as symbol_drawdown,
               ref.trade_date    as reference_date,
               ref.drawdown      as reference_drawdown
          from (select b.trade_date,
                       row_number() over (order by b.trade_date) - 1 as session,
                       b.close / ath.close - 1 as drawdown
                  from daily_bars b
                 where b.symbol = s.symbol and b.trade_date >= ath.trade_date) fall
          left join (select rb.trade_date,
                            row_number() over (order by rb.trade_date) - 1 as session,
                            rb.close / first_value(rb.close) over (order by rb.trade_date) - 1 as drawdown
                       from (select b.trade_date, b.close from daily_bars b
                              where b.symbol = r.symbol and b.trade_date >= r.peak_date
                              order by b.trade_date
                              limit (select count(*) from daily_bars c
                                      where c.symbol = s.symbol and c.trade_date >= ath.trade_date)) rb) ref
            on ref.session = fall.session) path;

comment on view v_crash_alignment is
  'A symbol''s fall from its all-time high next to each reference crash (reference_episodes), by sessions since the peak.';
comment on column v_crash_alignment.symbol is 'Ticker whose fall is compared.';
comment on column v_crash_alignment.symbol_peak_date is 'The symbol''s all-time high date (session 0).';
comment on column v_crash_alignment.reference_id is 'reference_episodes.id.';
comment on column v_crash_alignment.reference_symbol is 'The reference index (reference_episodes.symbol).';
comment on column v_crash_alignment.session is 'Stored bars since the peak: 0 on the peak, 1 the next bar, ...';
comment on column v_crash_alignment.symbol_date is 'Date of the symbol''s bar at this session.';
comment on column v_crash_alignment.symbol_drawdown is 'Symbol close / all-time high close - 1 (fraction, <= 0).';
comment on column v_crash_alignment.reference_date is 'Date of the reference index''s bar the same number of sessions after its peak; NULL if not stored.';
comment on column v_crash_alignment.reference_drawdown is
  'Reference close / its close at the peak - 1 (fraction; <= 0 until the index got back above its peak).';
