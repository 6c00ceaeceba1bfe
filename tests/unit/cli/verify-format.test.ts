// What `verify` prints per differing range: symbol, dates, fields, stored vs source, and whether the
// range is one common factor.
import { describe, expect, it } from 'vitest';
import { formatRange } from '../../../src/cli/commands/verify.js';
import { compareHistories } from '../../../src/integrity/compare.js';
import { history, scaled } from '../../helpers/priced-bars.js';

const stored = history('2025-03-10', 5);

describe(formatRange.name, () => {
  it('a history re-based whole: one line, the first session\'s first differing field, the factor', () => {
    const [range] = compareHistories(stored, scaled(stored, 0.5));
    expect(formatRange('ORCL', range!)).toBe(
      `ORCL 2025-03-10..2025-03-14 open,high,low,close,adj_close: stored ${stored[0]!.open} source ${scaled(stored, 0.5)[0]!.open} (open on 2025-03-10; 5 sessions; one common factor: source = stored x 0.5)`,
    );
  });

  it('a volume revised alone, sessions at the source only, sessions stored only', () => {
    const source = [stored[0]!, { ...stored[1]!, volume: 5 }, stored[2]!, stored[4]!, { ...stored[4]!, tradeDate: '2025-03-15' }];
    const lines = compareHistories(stored, source).map((r) => formatRange('INTC', r));
    expect(lines).toEqual([
      `INTC 2025-03-11 volume: stored ${stored[1]!.volume} source 5 (1 session; not one common factor)`,
      `INTC 2025-03-13 not in the source: 1 session stored only (close ${stored[3]!.close} on 2025-03-13)`,
      `INTC 2025-03-15 not stored: the source has 1 session (close ${stored[4]!.close} on 2025-03-15)`,
    ]);
  });
});
