-- How does CRWV's fall compare with the NASDAQ in 2000 at the same number of sessions?
-- params: symbol (default CRWV), reference (default dotcom), every (default 1)
-- Session 0 is the symbol's all-time high and the reference crash's peak (reference_episodes: dotcom =
-- ^IXIC from 2000-03-10, gfc2008 = ^GSPC from 2007-10-09); each row is the same number of sessions
-- later. Drawdowns are fractions; gap < 0 means the symbol has fallen further than the reference had
-- by then. `every` thins the rows (every=5: sessions 0, 5, 10, ... and always the latest). The
-- reference columns are empty when the index history is not stored (`bubblewatch sync --symbols ^IXIC`).
-- Run: bubblewatch sql --file sql/queries/crash-compare.sql --param symbol=ORCL --param reference=gfc2008
select session,
       symbol_date,
       symbol_drawdown,
       reference_date,
       reference_drawdown,
       symbol_drawdown - reference_drawdown as gap
  from (select a.*, max(a.session) over () as last_session
          from v_crash_alignment a
         where a.symbol = :symbol
           and a.reference_id = :reference) aligned
 where session % :every = 0
    or session = last_session
 order by session;
