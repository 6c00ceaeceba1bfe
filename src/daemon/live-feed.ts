// The live page's state in the daemon (I/O shell): it listens for stored changes (src/db/changes.ts,
// whichever process stored them), re-reads what changed, judges the quotes (src/analysis/provisional.ts),
// rebuilds the snapshot (pure, src/live/live-model.ts) and tells the open pages when it differs. The
// same judgement is what the daemon's quotes job hands the alerts (judgement()), so the page and the
// alerts never judge a quote apart. Notifications are coalesced for a moment (a sync sends one per
// symbol), and a slow timer catches what no write announces: health, and data turning stale. Each
// symbol's close basis (a few closes, from its running peak) is re-read only when its bars changed
// (stale-bases.ts); quotes and alerts every time. The claims need whole histories: those are read
// when the judgement's inputs changed (bars, or a provisional close), judged, and let go
// (docs/PERFORMANCE.md, section 5, says what holding them cost an idle daemon).
import type { Logger } from 'pino';
import { basisOf, type CloseBasis } from '../analysis/close-basis.js';
import { volumeSubjects } from '../analysis/claims/claim-symbols.js';
import type { ClaimsConfig } from '../analysis/claims/config.js';
import { judgeProvisionally, judgementKey, provisionalCloses, type ProvisionalClose, type ProvisionalJudgement, type QuoteJudgement } from '../analysis/provisional.js';
import type { Config } from '../config/load.js';
import { listenForChanges, type ChangeListener, type StoredChange } from '../db/changes.js';
import type { DbHandle } from '../db/connect.js';
import { allStoredCloses, latestAlerts, recentQuotes, storedCloseBases } from '../db/live-data.js';
import type { StoredQuote } from '../db/report-data.js';
import type { BarSource } from '../domain.js';
import { buildLiveSnapshot, liveClaims, livePrices, pricedSymbols, type LiveHealth, type LiveInput, type LiveSnapshot } from '../live/live-model.js';
import { renderLiveMain } from '../live/render/live-page.js';
import { eventId } from '../live/sse.js';
import { defaultClaimsPath, loadClaimsConfig } from '../report/read-claims-file.js';
import type { Lang } from '../report/render/i18n.js';
import { reportSymbols } from '../report/report-inputs.js';
import { afterChange, ALL_STALE, NONE_STALE, staleAmong, union, type StaleBases } from './stale-bases.js';

export interface LiveFeedDeps {
  handle: DbHandle;
  config: Config;
  log: Logger;
  clock: () => Date;
  health(): Promise<LiveHealth>;
  /** Coalescing window for change notifications. */
  debounceMs?: number;
  /** Re-check health and freshness this often even when nothing is written. */
  refreshMs?: number;
  alertsShown?: number;
}

export interface LiveState {
  id: string;
  snapshot: LiveSnapshot;
}

export interface LiveFeed {
  /** Resolves after the first snapshot (or its failure, logged). */
  readonly ready: Promise<void>;
  current(): LiveState;
  /** The page's <main> for that state, rendered once per language. */
  renderedMain(lang: Lang): { id: string; html: string };
  /** Called after every change of state; returns the unsubscribe. */
  subscribe(listener: (state: LiveState) => void): () => void;
  /** Something was stored (also what the listener calls). The alerts work calls it after storing an alert in-process. */
  changed(change: StoredChange): void;
  /** Re-read soon without a stored change: after a job ran (a session closed, a sync failed, a report). */
  refreshSoon(): void;
  /**
   * The quote judgement the page shows, after a refresh that reads everything stored so far (the
   * quotes job calls it right after storing a snapshot); null when that refresh failed.
   */
  judgement(): Promise<QuoteJudgement | null>;
  close(): Promise<void>;
}

const STARTING: LiveHealth = { status: 'fail', reasons: ['starting'] };

/** The page before the first refresh: every watchlist symbol missing. */
function startingSnapshot(config: Config, now: Date): LiveSnapshot {
  return {
    generatedAt: now.toISOString(),
    asOf: null,
    timeZone: config.exchange.timezone,
    symbols: [],
    missing: config.watchlist.map((w) => w.symbol),
    claims: [],
    freshness: { lastQuoteAt: null, lastBarDate: null },
    health: STARTING,
    alerts: [],
    simulated: false,
  };
}

/** The claims file, read once; the symbols the page reads (the watchlist's and what the claims need). */
function claimsOnce(config: Config, log: Logger) {
  let claims: ClaimsConfig | null | undefined;
  let symbols = config.watchlist.map((w) => w.symbol);
  return {
    async load(): Promise<{ claims: ClaimsConfig | null; symbols: readonly string[] }> {
      if (claims === undefined) {
        try {
          claims = await loadClaimsConfig(defaultClaimsPath(config.env.configPath));
          symbols = reportSymbols(config, claims).all;
        } catch (err) {
          log.warn({ err }, 'live page: claims file unreadable; showing prices without claims');
          claims = null;
        }
      }
      return { claims, symbols };
    },
  };
}

interface HeldBasis {
  basis: CloseBasis;
  sources: readonly BarSource[];
}

/** Each symbol's close basis, read again only for the symbols whose bars changed. */
function closeBases(handle: DbHandle) {
  const bases = new Map<string, HeldBasis>();
  let stale: StaleBases = ALL_STALE;
  /** Counts the re-reads, i.e. the bar changes the last judgement may not have seen. */
  let version = 0;
  return {
    changed(change: StoredChange): void {
      stale = afterChange(stale, change);
    },
    get version() {
      return version;
    },
    /** The bases, after reading those that went stale. */
    async current(symbols: readonly string[]): Promise<ReadonlyMap<string, HeldBasis>> {
      const pending = stale;
      const wanted = staleAmong(pending, symbols);
      if (wanted === null) return bases;
      stale = NONE_STALE;
      let fresh: Awaited<ReturnType<typeof storedCloseBases>>;
      try {
        fresh = await storedCloseBases(handle.db, wanted);
      } catch (err) {
        // Read them again next time, with whatever went stale meanwhile.
        stale = union(pending, stale);
        throw err;
      }
      for (const s of wanted) {
        const stored = fresh.get(s);
        const basis = stored && basisOf(stored.source);
        if (stored && basis) bases.set(s, { basis, sources: stored.sources });
        else bases.delete(s);
      }
      version++;
      return bases;
    },
  };
}

/** The claims judged on the provisional closes: again only when the judgement's inputs changed. */
function cachedJudge(handle: DbHandle, timeZone: string) {
  let judged: { key: string; claims: ProvisionalJudgement | null } | null = null;
  return async (
    claims: ClaimsConfig,
    symbols: readonly string[],
    barsVersion: number,
    provisional: ReadonlyMap<string, ProvisionalClose>,
    quotes: readonly StoredQuote[],
  ): Promise<ProvisionalJudgement | null> => {
    const key = judgementKey(barsVersion, provisional);
    if (judged?.key !== key) {
      // Read for this judgement only: nothing keeps them once it returns.
      const series = await allStoredCloses(handle.db, symbols, volumeSubjects(claims));
      const closes = new Map([...series].map(([s, v]) => [s, v.closes]));
      const volumes = new Map([...series].flatMap(([s, v]) => (v.volumes ? [[s, v.volumes] as const] : [])));
      judged = { key, claims: judgeProvisionally(claims, closes, provisional, quotes, timeZone, volumes) };
    }
    return judged.claims;
  };
}

/**
 * One refresh at a time: a call while one runs makes it run once more when done (and returns it), so
 * what was stored during a refresh is always read.
 */
function serialized(run: () => Promise<void>, log: Logger, isClosed: () => boolean) {
  let running: Promise<void> | null = null;
  let again = false;
  return {
    run(): Promise<void> {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          try {
            await run();
          } catch (err) {
            log.warn({ err }, 'live page refresh failed');
          }
        } while (again && !isClosed());
      })().finally(() => (running = null));
      return running;
    },
    /** Resolves when no refresh runs. */
    idle: async () => {
      await running;
    },
  };
}

/**
 * The states the open pages see: a new one (and a new event id) only when something a reader sees
 * changed; each state's <main> rendered once per language.
 */
function statePublisher(epoch: string, first: LiveSnapshot, log: Logger) {
  let seq = 0;
  let state: LiveState = { id: eventId(epoch, seq), snapshot: first };
  let fingerprint = '';
  const renders = new Map<Lang, { id: string; html: string }>();
  const listeners = new Set<(s: LiveState) => void>();
  return {
    current: () => state,
    publish(snapshot: LiveSnapshot): void {
      // The time it was computed is not something a reader sees.
      const print = JSON.stringify({ ...snapshot, generatedAt: null });
      if (print === fingerprint) return;
      fingerprint = print;
      state = { id: eventId(epoch, ++seq), snapshot };
      renders.clear();
      for (const l of listeners) {
        try {
          l(state);
        } catch (err) {
          log.warn({ err }, 'live page listener failed');
        }
      }
    },
    renderedMain(lang: Lang): { id: string; html: string } {
      let r = renders.get(lang);
      if (!r || r.id !== state.id) {
        r = { id: state.id, html: renderLiveMain(state.snapshot, lang) };
        renders.set(lang, r);
      }
      return r;
    },
    subscribe(l: (s: LiveState) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    unsubscribeAll: () => listeners.clear(),
  };
}

export function startLiveFeed(deps: LiveFeedDeps): LiveFeed {
  const { handle, config, log, clock } = deps;
  const timeZone = config.exchange.timezone;
  const pages = statePublisher(clock().getTime().toString(36), startingSnapshot(config, clock()), log);
  let lastJudgement: QuoteJudgement | null = null;
  const claimsFile = claimsOnce(config, log);
  const bases = closeBases(handle);
  const judge = cachedJudge(handle, timeZone);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let listener: ChangeListener | null = null;

  const refreshOnce = async () => {
    lastJudgement = null;
    const { claims, symbols } = await claimsFile.load();
    const held = await bases.current(symbols);
    const [quotes, alerts, health] = await Promise.all([recentQuotes(handle.db, symbols), latestAlerts(handle.db, deps.alertsShown ?? 8), deps.health()]);
    const now = clock();
    const closeBasisOf = new Map([...held].map(([s, b]) => [s, b.basis]));
    const watchlist = config.watchlist.map((w) => ({ symbol: w.symbol, name: w.name ?? null }));
    const provisional = provisionalCloses(pricedSymbols({ watchlist, bases: closeBasisOf }), closeBasisOf, quotes, timeZone, now);
    const input: LiveInput = {
      now,
      timeZone,
      watchlist,
      bases: closeBasisOf,
      quotes,
      provisional,
      health,
      alerts: alerts.map((a) => ({ ...a, firedAt: a.firedAt.toISOString() })),
      simulated: [...held.values()].some((b) => b.sources.includes('sim')) || quotes.some((q) => q.source === 'sim'),
    };
    const prices = livePrices(input);
    const judged = claims && prices.size > 0 ? await judge(claims, symbols, bases.version, provisional, quotes) : null;
    lastJudgement = { provisional, claims: judged };
    pages.publish(buildLiveSnapshot(input, claims && judged ? liveClaims(claims, judged, prices) : []));
  };

  const refreshes = serialized(refreshOnce, log, () => closed);
  const refresh = refreshes.run;
  const refreshLater = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), deps.debounceMs ?? 100);
  };
  const changed = (change: StoredChange) => {
    if (closed) return;
    bases.changed(change);
    refreshLater();
  };

  const slow = setInterval(() => void refresh(), deps.refreshMs ?? 30_000);
  slow.unref();

  const ready = (async () => {
    try {
      listener = await listenForChanges(handle, { log, onChange: changed });
    } catch (err) {
      log.error({ err }, 'live page cannot listen for stored changes; it updates every 30 s only');
    }
    await refresh();
  })();

  return {
    ready,
    current: pages.current,
    renderedMain: pages.renderedMain,
    subscribe: pages.subscribe,
    changed,
    refreshSoon: refreshLater,
    async judgement() {
      await ready;
      await refresh();
      return lastJudgement;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(slow);
      pages.unsubscribeAll();
      await ready.catch(() => undefined);
      await refreshes.idle();
      await listener?.close();
    },
  };
}
