// Config is read once, from config/bubblewatch.json and the environment, validated as a whole (every
// problem listed with its key path, not just the first), then frozen. This is the only place in src
// (src/bench aside) that reads process.env, and it parses it once per process (processEnv()).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS, redactUrl, type LogLevel } from '../log.js';
import { configFileSchema, type ConfigFile } from './schema.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly source: string,
    /** Problems in the file. */
    readonly problems: string[],
    /** Problems in environment variables: told under their own heading, not blamed on the file. */
    readonly envProblems: string[] = [],
  ) {
    const list = (items: string[]) => items.map((p) => `  - ${p}`).join('\n');
    const parts = [
      ...(problems.length || !envProblems.length ? [`invalid configuration in ${source}:\n${list(problems)}`] : []),
      ...(envProblems.length ? [`invalid environment:\n${list(envProblems)}`] : []),
    ];
    super(parts.join('\n'));
  }
}

export interface Env {
  databaseUrl: string | null;
  dataDir: string;
  configPath: string;
  yahooBaseUrl: string | null;
  logLevel: LogLevel;
  /** LOG_LEVEL was given: commands that quiet their logs by default (the demo) then leave them be. */
  logLevelSet: boolean;
  /** BUBBLEWATCH_ALERT_WEBHOOK_URL: the generic JSON webhook, the alert channel named "webhook". */
  alertWebhookUrl: string | null;
  /** BUBBLEWATCH_ALERT_WEBHOOK_SECRET: when set, every alert POST is signed with it. Never logged. */
  alertWebhookSecret: string | null;
}

/** BUBBLEWATCH_HTTP_HOST / _PORT / _ALLOWED_HOSTS: containers must listen on 0.0.0.0 while the file says loopback. */
export interface HttpOverrides {
  host?: string;
  port?: number;
  allowedHosts?: string[];
}

/** Everything the environment says, with every problem found in it. */
export interface ParsedEnv {
  env: Env;
  http: HttpOverrides;
  problems: string[];
}

export type Config = Readonly<ConfigFile & { env: Env }>;

export const DEFAULT_CONFIG_PATH = 'config/bubblewatch.json';

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

/** zod issues as "key.path: message" lines; unknown keys are named one by one. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const at = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${at ? `${at}.` : ''}${key}: unknown key`);
    }
    return [`${at || '(root)'}: ${issue.message}`];
  });
}

/** Pure: parses the environment variables DESIGN.md names. */
export function parseEnv(env: NodeJS.ProcessEnv): ParsedEnv {
  const problems: string[] = [];
  const logLevel = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !isPostgresUrl(databaseUrl)) {
    problems.push(
      `DATABASE_URL is invalid: must be a postgres:// or postgresql:// URL such as postgres://db.example:5432/bubblewatch (got "${redactUrl(databaseUrl)}")`,
    );
  }
  const yahooBaseUrl = env.YAHOO_BASE_URL?.trim() || null;
  if (yahooBaseUrl) {
    try {
      const u = new URL(yahooBaseUrl);
      if (!/^https?:$/.test(u.protocol)) throw new Error();
    } catch {
      problems.push(`YAHOO_BASE_URL: must be an http(s) URL (got "${redactUrl(yahooBaseUrl)}")`);
    }
  }
  const alertWebhookUrl = env.BUBBLEWATCH_ALERT_WEBHOOK_URL?.trim() || null;
  if (alertWebhookUrl && !isHttpUrl(alertWebhookUrl)) {
    problems.push(`BUBBLEWATCH_ALERT_WEBHOOK_URL: must be an http(s) URL (got "${redactUrl(alertWebhookUrl)}")`);
  }
  const http = httpOverrides(env, problems);
  return {
    env: {
      databaseUrl,
      dataDir: resolve(env.BUBBLEWATCH_DATA_DIR?.trim() || './data'),
      configPath: resolve(env.BUBBLEWATCH_CONFIG?.trim() || DEFAULT_CONFIG_PATH),
      yahooBaseUrl,
      logLevel: logLevel as LogLevel,
      logLevelSet: Boolean(env.LOG_LEVEL),
      alertWebhookUrl,
      alertWebhookSecret: env.BUBBLEWATCH_ALERT_WEBHOOK_SECRET || null,
    },
    http,
    problems,
  };
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

function isPostgresUrl(text: string): boolean {
  if (!/^postgres(ql)?:\/\//.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

function httpOverrides(env: NodeJS.ProcessEnv, problems: string[]): HttpOverrides {
  const out: HttpOverrides = {};
  if (env.BUBBLEWATCH_HTTP_HOST?.trim()) out.host = env.BUBBLEWATCH_HTTP_HOST.trim();
  if (env.BUBBLEWATCH_HTTP_PORT?.trim()) {
    const port = Number(env.BUBBLEWATCH_HTTP_PORT);
    if (Number.isInteger(port) && port >= 0 && port <= 65535) out.port = port;
    else problems.push(`BUBBLEWATCH_HTTP_PORT: must be a port number 0-65535 (got "${env.BUBBLEWATCH_HTTP_PORT}")`);
  }
  // Comma-separated, replacing http.allowedHosts (a container's service name, a proxy's public name).
  if (env.BUBBLEWATCH_HTTP_ALLOWED_HOSTS?.trim()) {
    out.allowedHosts = env.BUBBLEWATCH_HTTP_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean);
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Pure: validates the file's text and the environment together and reports every problem. */
export function parseConfig(fileText: string, env: NodeJS.ProcessEnv, source = DEFAULT_CONFIG_PATH): Config {
  return configFrom(fileText, parseEnv(env), source);
}

/** The file's text checked against the schema, the already parsed environment applied on top. */
function configFrom(fileText: string, parsedEnv: ParsedEnv, source: string): Config {
  const envProblems = parsedEnv.problems;
  let json: unknown;
  try {
    json = JSON.parse(stripBom(fileText));
  } catch (err) {
    throw new ConfigError(source, [`not valid JSON: ${(err as Error).message}`], envProblems);
  }
  const result = configFileSchema.safeParse(json);
  const problems = result.success ? [] : describeIssues(result.error);
  if (problems.length || envProblems.length || !result.success) throw new ConfigError(source, problems, envProblems);
  return deepFreeze({ ...result.data, http: { ...result.data.http, ...parsedEnv.http }, env: parsedEnv.env });
}

/** Without a UTF-8 byte-order mark: editors on Windows save JSON with one, and JSON.parse refuses it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Pure, given today's date in the exchange's time zone (known only where the clock is: the CLI): a
 * backfill start after today would fetch nothing and report "ok". Throws a ConfigError naming each.
 */
export function checkStartDates(config: Config, today: string): void {
  const problems: string[] = [];
  const after = (date: string) => `${date} is after today (${today} in ${config.exchange.timezone})`;
  if (config.history.start !== null && config.history.start > today) problems.push(`history.start: ${after(config.history.start)}`);
  config.watchlist.forEach((w, i) => {
    if (w.historyStart !== undefined && w.historyStart > today) problems.push(`watchlist[${i}].historyStart: ${after(w.historyStart)}`);
  });
  if (problems.length > 0) throw new ConfigError(config.env.configPath, problems);
}

let processEnvParsed: ParsedEnv | undefined;

/** process.env, parsed on first use and kept: nothing else in src reads the environment. */
export function processEnv(): ParsedEnv {
  return (processEnvParsed ??= parseEnv(process.env));
}

/** Reads BUBBLEWATCH_CONFIG (default config/bubblewatch.json) and applies the process environment. */
export function loadConfig(): Config {
  const parsed = processEnv();
  const { configPath } = parsed.env;
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (err) {
    throw new ConfigError(configPath, [`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  return configFrom(text, parsed, configPath);
}

/**
 * The log level the environment asks for, problems or not: for what runs without a config file (the
 * sim) and for the error reporter, which must print whatever is wrong with the environment.
 */
export function envLogLevel(): LogLevel {
  return processEnv().env.logLevel;
}
