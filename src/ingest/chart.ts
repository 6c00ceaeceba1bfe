// One chart request for a task's dates, mapped to the rows we store: what sync and verify both fetch.
import type { IsoDate } from '../domain.js';
import type { YahooClient } from '../providers/yahoo/client.js';
import { mapChart, type MappedChart } from '../providers/yahoo/map.js';
import { inStage } from './failures.js';
import { toChartPeriod, type FetchTask } from './plan.js';

export async function fetchChart(
  yahoo: YahooClient,
  task: Pick<FetchTask, 'symbol' | 'from' | 'toExclusive'>,
  today: IsoDate,
  signal: AbortSignal | undefined,
): Promise<MappedChart> {
  const range = toChartPeriod(task);
  const result = await inStage('fetch', () => yahoo.chart(task.symbol, range, signal ? { signal } : {}));
  return inStage('map', () => mapChart(result, { symbol: task.symbol, today, range: { from: task.from, toExclusive: task.toExclusive } }));
}
