// Evaluating the alert rules after an ingest stored something (I/O shell): gather the facts, run the
// pure rules against the stored state in one transaction (src/db/alerts.ts), log what fired. Called
// by whichever process stored the data: the daemon's jobs, or a one-shot `sync`, `quotes`, `import`,
// always after the ingest's own transactions committed. An evaluation that fails is logged and
// never fails the ingest that called it.
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../db/connect.js';
import { evaluateAlerts, latestClosesAndHighs, type StoredAlert } from '../db/alerts.js';
import type { QuoteSnapshot } from '../domain.js';
import { lastClosedSession } from '../market/calendar.js';
import { claimVerdicts } from '../report/report-inputs.js';
import { alertChannels } from './channels.js';
import { evaluateRules, type PriceFact, type RuleFacts, type RuleSettings, type SyncFact, type VerdictFacts, type VerifyFact } from './rules.js';

export interface AlertDeps {
  handle: DbHandle;
  config: Config;
  log: Logger;
  clock: () => Date;
}

export function ruleSettings(config: Config): RuleSettings {
  return {
    levels: config.alerts.drawdownLevels.map((p) => p / 100),
    hysteresis: config.alerts.hysteresisPoints / 100,
  };
}

/** After a sync (or an import): closes against highs, freshness, the run's outcome, confirmed verdicts. */
export async function alertsAfterSync(deps: AlertDeps, run: SyncFact | null): Promise<StoredAlert[]> {
  return guarded(deps, 'sync', async () => {
    const symbols = deps.config.watchlist.map((w) => w.symbol);
    const latest = await latestClosesAndHighs(deps.handle.db, symbols);
    const now = deps.clock();
    const expected = lastClosedSession(new Date(now.getTime() - deps.config.alerts.staleAfterMinutes * 60_000));
    const lastBars = new Map(symbols.map((s) => [s, latest.find((l) => l.symbol === s)?.lastDate ?? null]));
    const facts: RuleFacts = {
      prices: latest.map((l) => ({ symbol: l.symbol, price: l.lastClose, athClose: l.athClose, athDate: l.athDate, closeDate: l.lastDate, basis: 'confirmed', at: l.lastDate })),
      freshness: { expected, lastBars },
      ...(run ? { sync: run } : {}),
    };
    const verdicts = await confirmedVerdicts(deps);
    if (verdicts) facts.verdicts = verdicts;
    return facts;
  });
}

/** After the daemon's verify: its differences, told once per set of differing ranges. */
export async function alertsAfterVerify(deps: AlertDeps, verify: VerifyFact): Promise<StoredAlert[]> {
  return guarded(deps, 'verify', async () => ({ verify }));
}

/**
 * After a quote snapshot: each quoted price against the stored high of the closes, provisional.
 * `provisionalVerdicts`: the claims' verdicts as they would read if the session closed now. When not
 * given and the market is in its regular session, they are computed here from the quotes (each as its
 * session's close); out of session the verdict rule waits for the close's confirmed verdicts.
 */
export async function alertsAfterQuotes(deps: AlertDeps, snapshots: readonly QuoteSnapshot[], provisionalVerdicts?: VerdictFacts): Promise<StoredAlert[]> {
  if (snapshots.length === 0 && !provisionalVerdicts) return [];
  return guarded(deps, 'quotes', async () => {
    const verdicts = provisionalVerdicts ?? (await intradayVerdicts(deps, snapshots));
    const latest = await latestClosesAndHighs(deps.handle.db, [...new Set(snapshots.map((q) => q.symbol))]);
    const highs = new Map(latest.map((l) => [l.symbol, l]));
    const prices: PriceFact[] = snapshots.flatMap((q) => {
      const h = highs.get(q.symbol);
      // No closes yet: nothing to measure a drawdown from.
      return h
        ? [{ symbol: q.symbol, price: q.price, athClose: h.athClose, athDate: h.athDate, closeDate: h.lastDate, basis: 'provisional' as const, at: q.ts.toISOString() }]
        : [];
    });
    return { prices, ...(verdicts ? { verdicts } : {}) };
  });
}

/** Quotes taken in the regular session: the verdicts if it closed now. Null out of session or without data. */
async function intradayVerdicts(deps: AlertDeps, snapshots: readonly QuoteSnapshot[]): Promise<VerdictFacts | null> {
  const live = snapshots.filter((q) => q.marketState === 'REGULAR');
  if (live.length === 0) return null;
  try {
    const { byClaim } = await claimVerdicts(deps, { live });
    const at = new Date(Math.max(...live.map((q) => q.ts.getTime()))).toISOString();
    return { basis: 'provisional', at, byClaim };
  } catch (err) {
    deps.log.debug({ err }, 'provisional claim verdicts unavailable for alerts');
    return null;
  }
}

async function confirmedVerdicts(deps: AlertDeps): Promise<VerdictFacts | null> {
  try {
    const { asOf, byClaim } = await claimVerdicts(deps);
    return { basis: 'confirmed', at: asOf, byClaim };
  } catch (err) {
    // No data yet, or no claims file: the other rules still run.
    deps.log.debug({ err }, 'claim verdicts unavailable for alerts');
    return null;
  }
}

async function guarded(deps: AlertDeps, after: 'sync' | 'quotes' | 'verify', gather: () => Promise<RuleFacts>): Promise<StoredAlert[]> {
  const { handle, config, log, clock } = deps;
  try {
    const facts = await gather();
    const settings = ruleSettings(config);
    const channels = alertChannels(config).map((c) => c.name);
    const stored = await evaluateAlerts(
      handle.db,
      (state) => {
        const result = evaluateRules(settings, state, facts);
        return { alerts: result.alerts.map((a) => ({ ...a, status: a.basis })), state: result.state };
      },
      { channels, now: clock() },
    );
    for (const a of stored) {
      log.info({ alertId: a.id, rule: a.rule, symbol: a.symbol, claimId: a.claimId, status: a.status, channels: channels.length }, 'alert fired');
    }
    return stored;
  } catch (err) {
    log.warn({ err, after }, 'alert evaluation failed; the data stored is unaffected');
    return [];
  }
}
