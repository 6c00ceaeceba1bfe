// The root pino logger. Logs go to stderr so stdout stays clean for command output (sql, status --json).
// Pretty output only on a TTY. Credentials in URLs (user, password, secret-named parameters) are masked
// in every string of every log line, since a connection string can hide in an error message as easily
// as in a field.
import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactUrl } from './redact.js';

export { redactUrl };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Date) return value;
  // formatters.log runs before serializers: turn errors (under any key) into plain objects here, or
  // copying their own enumerable properties would lose message and stack.
  if (value instanceof Error) return scrub(pino.stdSerializers.err(value), depth + 1);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
  return out;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; default stderr. Tests pass a stream and parse the JSON. */
  destination?: DestinationStream;
  /** Human-readable output; default: when stderr is a TTY. */
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true);
  const destination =
    options.destination ??
    (pretty ? prettyStream() : pino.destination({ fd: 2, sync: true }));
  return pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      // Keys that hold secrets by name are dropped whatever their shape.
      redact: { paths: ['password', '*.password', 'databaseUrl', '*.databaseUrl', 'alertWebhookSecret', '*.alertWebhookSecret', 'alertWebhookUrl', '*.alertWebhookUrl', 'secret', '*.secret', 'token', '*.token', 'headers.cookie', '*.headers.cookie', 'headers.authorization', '*.headers.authorization'], censor: '***' },
      // Errors were already serialized (and scrubbed) by formatters.log; pino's default err serializer
      // would relabel that plain object as type "Object".
      serializers: { err: (err: unknown) => (err instanceof Error ? scrub(err) : err) },
      formatters: {
        log: (object) => scrub(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // A message is meant to be constant, but if a URL slips into one it is masked too.
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactUrl(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

function prettyStream(): DestinationStream {
  // Loaded only on a TTY; pino-pretty as a synchronous stream avoids a worker thread at start-up.
  const pretty = createRequire(import.meta.url)('pino-pretty') as (opts: object) => DestinationStream;
  return pretty({ destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true });
}
