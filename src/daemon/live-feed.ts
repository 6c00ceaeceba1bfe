// The live page's state in the daemon (I/O shell): it listens for stored changes (src/db/changes.ts,
// whichever process stored them), re-reads what changed, rebuilds the snapshot (pure,
// src/live/live-model.ts) and tells the open pages when it differs. Notifications are coalesced for a
// moment (a sync sends one per symbol), and a slow timer catches what no write announces: health,
// and data turning stale. Each symbol's close basis (a few closes, from its drawdown state) is re-read
// only when its bars changed; quotes and alerts every time. The claims need whole histories: those are
// read when the claims' inputs changed (bars, or a live price: once per quote snapshot in session),
// judged, and let go. Holding them cost an idle daemon ~16 MB of heap on a 94,000-bar watchlist (issue
// 15's idle-RSS goal), and re-judging them on every refresh with nothing changed was wasted work.
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../db/connect.js';
import { listenForChanges, type ChangeListener, type StoredChange } from '../db/changes.js';
import { allStoredCloses, latestAlerts, recentQuotes, storedCloseBases, type StoredBasis } from '../db/live-data.js';
import { basisOf, type CloseBasis } from '../analysis/close-basis.js';
import type { StoredQuote } from '../db/report-data.js';
import {
  buildLiveSnapshot,
  claimInputsKey,
  livePrices,
  provisionalClaims,
  type LiveClaim,
  type LiveHealth,
  type LiveInput,
  type LivePrice,
  type LiveSnapshot,
} from '../live/live-model.js';
import { renderLiveMain } from '../live/render/live-page.js';
import { eventId } from '../live/sse.js';
import type { ClaimsConfig } from '../analysis/claims/config.js';
import type { Lang } from '../report/render/i18n.js';
import { defaultClaimsPath, loadClaimsConfig } from '../report/read-claims-file.js';
import { volumeSubjects } from '../analysis/claims/claim-symbols.js';
import { reportSymbols } from '../report/report-inputs.js';

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
  close(): Promise<void>;
}

const EMPTY_HEALTH: LiveHealth = { status: 'fail', reasons: ['starting'] };

export function startLiveFeed(deps: LiveFeedDeps): LiveFeed {
  const { handle, config, log, clock } = deps;
  const epoch = clock().getTime().toString(36);
  let seq = 0;
  const empty: LiveSnapshot = {
    generatedAt: clock().toISOString(),
    asOf: null,
    timeZone: config.exchange.timezone,
    symbols: [],
    missing: config.watchlist.map((w) => w.symbol),
    claims: [],
    freshness: { lastQuoteAt: null, lastBarDate: null },
    health: EMPTY_HEALTH,
    alerts: [],
    simulated: false,
  };
  let state: LiveState = { id: eventId(epoch, seq), snapshot: empty };
  let fingerprint = '';
  const renders = new Map<Lang, { id: string; html: string }>();
  const listeners = new Set<(s: LiveState) => void>();
  const bases = new Map<string, { basis: CloseBasis; sources: readonly string[] }>();
  /** Symbols whose bases must be read again ('all' at start and after a lost listener). */
  let stale: Set<string> | 'all' = 'all';
  /** Counts the re-reads of bases, i.e. the bar changes the claims' last judgement may not have seen. */
  let barsVersion = 0;
  let judged: { key: string; claims: LiveClaim[] } | null = null;
  let claims: ClaimsConfig | null | undefined;
  let symbols: string[] = config.watchlist.map((w) => w.symbol);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let listener: ChangeListener | null = null;

  const loadClaims = async () => {
    if (claims !== undefined) return claims;
    try {
      claims = await loadClaimsConfig(defaultClaimsPath(config.env.configPath));
      symbols = reportSymbols(config, claims).all;
    } catch (err) {
      log.warn({ err }, 'live page: claims file unreadable; showing prices without claims');
      claims = null;
    }
    return claims;
  };

  /** The claims' verdicts at these prices: judged again only when their inputs changed. */
  const judge = async (claimsConfig: ClaimsConfig, prices: ReadonlyMap<string, LivePrice>, quotes: readonly StoredQuote[]): Promise<LiveClaim[]> => {
    const key = claimInputsKey(barsVersion, prices);
    if (judged?.key !== key) {
      // Read for this judgement only: nothing keeps them once it returns.
      const series = await allStoredCloses(handle.db, symbols, volumeSubjects(claimsConfig));
      const closes = new Map([...series].map(([s, v]) => [s, v.closes]));
      const volumes = new Map([...series].flatMap(([s, v]) => (v.volumes ? [[s, v.volumes] as const] : [])));
      judged = { key, claims: provisionalClaims(claimsConfig, closes, prices, quotes, config.exchange.timezone, volumes) };
    }
    return judged.claims;
  };

  const refreshOnce = async () => {
    const claimsConfig = await loadClaims();
    if (stale === 'all' || stale.size > 0) {
      const pending = stale;
      const wanted = pending === 'all' ? symbols : symbols.filter((s) => pending.has(s));
      stale = new Set();
      let fresh: Map<string, StoredBasis>;
      try {
        fresh = await storedCloseBases(handle.db, wanted);
      } catch (err) {
        // Read them again next time (with whatever went stale meanwhile).
        const meanwhile = stale as Set<string> | 'all'; // changed() may have run during the await
        stale = pending === 'all' || meanwhile === 'all' ? 'all' : new Set([...pending, ...meanwhile]);
        throw err;
      }
      for (const s of wanted) {
        const stored = fresh.get(s);
        const basis = stored && basisOf(stored.source);
        if (stored && basis) bases.set(s, { basis, sources: stored.sources });
        else bases.delete(s);
      }
      barsVersion++;
    }
    const [quotes, alerts, health] = await Promise.all([recentQuotes(handle.db, symbols), latestAlerts(handle.db, deps.alertsShown ?? 8), deps.health()]);
    const simulated = [...bases.values()].some((b) => b.sources.includes('sim')) || quotes.some((q) => q.source === 'sim');
    const input: LiveInput = {
      now: clock(),
      timeZone: config.exchange.timezone,
      watchlist: config.watchlist.map((w) => ({ symbol: w.symbol, name: w.name ?? null })),
      bases: new Map([...bases].map(([s, b]) => [s, b.basis])),
      quotes,
      health,
      alerts: alerts.map((a) => ({ ...a, firedAt: a.firedAt.toISOString() })),
      simulated,
    };
    const prices = livePrices(input);
    const claims = claimsConfig && prices.size > 0 ? await judge(claimsConfig, prices, quotes) : [];
    const snapshot = buildLiveSnapshot(input, claims);
    // A new state only when something a reader sees changed; the time it was computed is not that.
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
  };

  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await refreshOnce();
        } catch (err) {
          log.warn({ err }, 'live page refresh failed');
        }
      } while (again && !closed);
    })().finally(() => (running = null));
    return running;
  };

  const changed = (change: StoredChange) => {
    if (closed) return;
    if (change.kind === 'reconnect' || ((change.kind === 'bars' || change.kind === 'import') && change.symbols.length === 0)) stale = 'all';
    else if ((change.kind === 'bars' || change.kind === 'import') && stale !== 'all') for (const s of change.symbols) stale.add(s);
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), deps.debounceMs ?? 100);
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
    current: () => state,
    renderedMain(lang) {
      let r = renders.get(lang);
      if (!r || r.id !== state.id) {
        r = { id: state.id, html: renderLiveMain(state.snapshot, lang) };
        renders.set(lang, r);
      }
      return r;
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    changed,
    refreshSoon() {
      if (closed) return;
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), deps.debounceMs ?? 100);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(slow);
      listeners.clear();
      await ready.catch(() => undefined);
      await running;
      await listener?.close();
    },
  };
}
