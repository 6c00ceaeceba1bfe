// Evaluating the alert rules after an ingest stored something (I/O shell): gather the facts, run the
// pure rules against the stored state in one transaction (src/db/alerts.ts), log what fired. Called
// by whichever process stored the data: the daemon's jobs, or a one-shot `sync`, `quotes`, `import`,
// always after the ingest's own transactions committed. An evaluation that fails is logged and
// never fails the ingest that called it.
import type { Logger } from 'pino';
import { basisOf, type CloseBasis } from '../analysis/close-basis.js';
import { volumeSubjects } from '../analysis/claims/claim-symbols.js';
import type { ClaimsConfig } from '../analysis/claims/config.js';
import { judgeProvisionally, provisionalCloses, provisionalVerdicts, type QuoteJudgement } from '../analysis/provisional.js';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../db/connect.js';
import { evaluateAlerts, latestClosesAndHighs, type StoredAlert } from '../db/alerts.js';
import { allStoredCloses, recentQuotes, storedCloseBases } from '../db/live-data.js';
import type { QuoteSnapshot } from '../domain.js';
import { lastClosedSession } from '../market/calendar.js';
import { defaultClaimsPath, loadClaimsConfig } from '../report/read-claims-file.js';
import { claimVerdicts, reportSymbols } from '../report/report-inputs.js';
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
 * After a quote snapshot: the provisional facts of its quote judgement (analysis/provisional.ts): each
 * quoted symbol's price where its quote stands as its session's close, against the stored high it is
 * measured against, and the claims' verdicts as they would read if the session closed now (none when
 * no quote stands as a close: the verdict rule then waits for the close's confirmed verdicts). The
 * daemon passes the judgement its live page shows; without one (a one-shot `quotes`) it is made here
 * from the stored data, by the same functions.
 */
export async function alertsAfterQuotes(deps: AlertDeps, snapshots: readonly QuoteSnapshot[], judgement?: QuoteJudgement | null): Promise<StoredAlert[]> {
  if (snapshots.length === 0) return [];
  return guarded(deps, 'quotes', async () => {
    const judged = judgement ?? (await judgeStoredQuotes(deps));
    const quoted = new Set(snapshots.map((q) => q.symbol));
    const prices: PriceFact[] = [...judged.provisional.values()].flatMap((p) =>
      // No stored close yet: nothing to measure a drawdown from.
      quoted.has(p.symbol) && p.storedHigh && p.previous
        ? [{ symbol: p.symbol, price: p.close, athClose: p.storedHigh.close, athDate: p.storedHigh.date, closeDate: p.previous.date, basis: 'provisional' as const, at: p.quotedAt.toISOString() }]
        : [],
    );
    const verdicts = provisionalVerdicts(judged);
    return { prices, ...(verdicts ? { verdicts: { basis: 'provisional' as const, ...verdicts } } : {}) };
  });
}

/** The quote judgement from what is stored now: what the daemon's live page would show. */
export async function judgeStoredQuotes(deps: AlertDeps): Promise<QuoteJudgement> {
  const { handle, config, log, clock } = deps;
  const timeZone = config.exchange.timezone;
  let claims: ClaimsConfig | null = null;
  try {
    claims = await loadClaimsConfig(defaultClaimsPath(config.env.configPath));
  } catch (err) {
    // No claims file: the price rules still run.
    log.debug({ err }, 'provisional claim verdicts unavailable for alerts');
  }
  const symbols = claims ? reportSymbols(config, claims).all : config.watchlist.map((w) => w.symbol);
  const [stored, quotes] = await Promise.all([storedCloseBases(handle.db, symbols), recentQuotes(handle.db, symbols)]);
  const bases = new Map<string, CloseBasis>();
  for (const [symbol, { source }] of stored) {
    const basis = basisOf(source);
    if (basis) bases.set(symbol, basis);
  }
  // The symbols the page prices: the watchlist's and every one with closes.
  const priced = [...config.watchlist.map((w) => w.symbol), ...bases.keys()];
  const provisional = provisionalCloses(priced, bases, quotes, timeZone, clock());
  if (!claims) return { provisional, claims: null };
  try {
    const series = await allStoredCloses(handle.db, symbols, volumeSubjects(claims));
    const closes = new Map([...series].map(([s, v]) => [s, v.closes]));
    const volumes = new Map([...series].flatMap(([s, v]) => (v.volumes ? [[s, v.volumes] as const] : [])));
    return { provisional, claims: judgeProvisionally(claims, closes, provisional, quotes, timeZone, volumes) };
  } catch (err) {
    log.debug({ err }, 'provisional claim verdicts unavailable for alerts');
    return { provisional, claims: null };
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
