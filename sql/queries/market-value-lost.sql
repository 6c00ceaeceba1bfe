-- How much market value has each stock lost since its peak?
-- params: none
-- From the latest live quote (quotes.market_cap, in the quote's currency): the market value at the
-- all-time high close is estimated as market_cap * ath_close / price, i.e. today's share count at the
-- peak price (close is split-adjusted, so splits don't distort it; buybacks and issuance do, a little).
-- The quotes table only starts when bubblewatch started taking quotes, which is why the peak value is
-- estimated rather than read. Symbols without a quoted market cap (indexes) are left out.
-- Run: bubblewatch sql --file sql/queries/market-value-lost.sql --format csv > value-lost.csv
select symbol,
       quote_ts,
       quote_price,
       quote_market_cap                                                      as market_cap,
       ath_date,
       ath_close,
       quote_market_cap * ath_close / quote_price                            as market_cap_at_peak,
       quote_market_cap * ath_close / quote_price - quote_market_cap         as value_lost,
       round((quote_market_cap * ath_close / quote_price - quote_market_cap) / 1e9, 1) as value_lost_bn,
       quote_price / ath_close - 1                                           as drawdown
  from v_latest
 where quote_market_cap is not null
   and ath_close is not null
 order by value_lost desc, symbol;
