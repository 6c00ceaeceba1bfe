// The logger shape the provider needs (pino's fits), and the adapter that gives yahoo-finance2 its
// five-method console-like logger. Everything the library says goes to debug: its one warning on
// Node 20 ("Unsupported environment: Requires Node >= 22") is expected and not actionable.

export interface LogFn {
  (obj: object, msg?: string): void;
}

/** Structured fields first, constant message second; errors under `err`. */
export interface ProviderLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

type LibLogFn = (...args: unknown[]) => void;

export interface LibLogger {
  info: LibLogFn;
  warn: LibLogFn;
  error: LibLogFn;
  debug: LibLogFn;
  dir: LibLogFn;
}

function describe(args: unknown[]): string {
  return args
    .map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : safeJson(a)))
    .join(' ')
    .slice(0, 1000);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function libLogger(log: ProviderLogger): LibLogger {
  const at = (libLevel: string): LibLogFn => (...args) =>
    log.debug({ lib: 'yahoo-finance2', libLevel, detail: describe(args) }, 'yahoo-finance2 says');
  return { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), dir: at('dir') };
}
