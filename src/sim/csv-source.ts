// Replay source: Yahoo-format CSVs (Date,Open,High,Low,Close,Adj Close,Volume; file name = symbol,
// e.g. ^GSPC.csv) plus optional dividends/<SYM>_dividends.csv (Date,Dividend), served up to `now`.
// The files are split-adjusted as of their last row. Adj Close is re-based to `now` so a replay of
// an earlier date doesn't leak dividends paid after it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isIsoDate } from '../bar-checks.js';
import type { IsoDate } from '../domain.js';
import { roundPrice } from './adjust.js';
import { openEpoch } from './session-time.js';
import type { SimBar, SimDividend, SimSeries, SimSource, SimSymbolInfo } from './types.js';
import { DEFAULT_UNIVERSE, symbolInfo } from './universe.js';

interface CsvSeries {
  bars: SimBar[];
  dividends: SimDividend[];
}

const BAR_HEADER = ['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'];

function cell(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'null') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function lines(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));
}

/** Parses one bar file; throws on a wrong header so a stray CSV is noticed, skips unparseable dates. */
export function parseBarsCsv(text: string, file = 'csv'): SimBar[] {
  const [header, ...rows] = lines(text);
  if (!header || header.map((h) => h.trim()).join(',') !== BAR_HEADER.join(',')) {
    throw new Error(`${file}: expected header ${BAR_HEADER.join(',')}`);
  }
  const bars: SimBar[] = [];
  for (const row of rows) {
    const date = row[0]?.trim() ?? '';
    if (!isIsoDate(date)) continue;
    bars.push({
      tradeDate: date,
      timestamp: openEpoch(date),
      open: cell(row[1]),
      high: cell(row[2]),
      low: cell(row[3]),
      close: cell(row[4]),
      adjClose: cell(row[5]),
      volume: cell(row[6]),
    });
  }
  return bars.sort((a, b) => (a.tradeDate < b.tradeDate ? -1 : a.tradeDate > b.tradeDate ? 1 : 0));
}

export function parseDividendsCsv(text: string): SimDividend[] {
  const [, ...rows] = lines(text);
  const out: SimDividend[] = [];
  for (const row of rows) {
    const date = row[0]?.trim() ?? '';
    const amount = cell(row[1]);
    if (isIsoDate(date) && amount !== null) out.push({ date, amount });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : 1));
}

function infoFor(symbol: string): SimSymbolInfo {
  const spec = DEFAULT_UNIVERSE.find((s) => s.symbol === symbol);
  if (spec) return symbolInfo(spec);
  const index = symbol.startsWith('^');
  return {
    symbol,
    name: symbol,
    kind: index ? 'index' : 'equity',
    currency: 'USD',
    exchange: index ? 'SNP' : 'NMS',
    fullExchangeName: index ? 'SNP' : 'NasdaqGS',
  };
}

/** Ratio adj/close re-based so the last bar on or before `now` has no pending dividend adjustment. */
function rebaseAdjClose(bars: SimBar[]): SimBar[] {
  const ratio = (b: SimBar) => (b.close !== null && b.adjClose !== null && b.close !== 0 ? b.adjClose / b.close : null);
  let base: number | null = null;
  for (let i = bars.length - 1; i >= 0 && base === null; i--) base = ratio(bars[i]!);
  if (base === null || base === 1) return bars;
  const baseRatio = base;
  return bars.map((b) => {
    const r = ratio(b);
    return r === null ? b : { ...b, adjClose: roundPrice(b.close! * (r / baseRatio)) };
  });
}

export function createCsvSource(dir: string): SimSource {
  const data = new Map<string, CsvSeries>();
  for (const file of readdirSync(dir)) {
    if (!file.toLowerCase().endsWith('.csv')) continue;
    const symbol = file.slice(0, -4);
    const bars = parseBarsCsv(readFileSync(join(dir, file), 'utf8'), file);
    const divFile = join(dir, 'dividends', `${symbol}_dividends.csv`);
    const dividends = existsSync(divFile) ? parseDividendsCsv(readFileSync(divFile, 'utf8')) : [];
    data.set(symbol, { bars, dividends });
  }
  if (data.size === 0) throw new Error(`sim: no <SYMBOL>.csv files in ${dir}`);

  return {
    symbols: () => [...data.keys()],
    series(symbol: string, now: IsoDate): SimSeries | undefined {
      const csv = data.get(symbol);
      if (!csv) return undefined;
      const bars = csv.bars.filter((b) => b.tradeDate <= now);
      if (bars.length === 0) return undefined;
      return {
        info: infoFor(symbol),
        bars: rebaseAdjClose(bars),
        splits: [],
        dividends: csv.dividends.filter((d) => d.date <= now),
      };
    },
  };
}
