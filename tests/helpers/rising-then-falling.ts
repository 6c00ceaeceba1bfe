// A Yahoo-style CSV for the alert tests: from 80 up to 100 on `highDate`, then down 0.55 a session
// (-41 % by 2025-12-31 from a 2025-09-10 high), every session of the exchange from `from` to `to`.
import type { IsoDate } from '../../src/domain.js';
import { sessionsBetween } from '../../src/market/calendar.js';

export function risingThenFallingCsv(range: { from: IsoDate; to: IsoDate; highDate: IsoDate }): string {
  const lines = ['Date,Open,High,Low,Close,Adj Close,Volume'];
  const sessions = sessionsBetween(range.from, range.to);
  const top = sessions.indexOf(range.highDate);
  if (top < 0) throw new Error(`${range.highDate} is not a session between ${range.from} and ${range.to}`);
  sessions.forEach((date, i) => {
    const c = (i <= top ? 80 + (20 * i) / top : 100 - 0.55 * (i - top)).toFixed(2);
    lines.push(`${date},${c},${c},${c},${c},${c},1000000`);
  });
  return `${lines.join('\n')}\n`;
}
