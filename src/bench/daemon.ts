// 5. Daemon footprint: `bubblewatch run` on a data dir that is up to date (the everyday restart: no
// catch-up sync or report is due), timed from spawn to its "daemon scheduled" log line, then its RSS
// from /proc/<pid>/status after some idle seconds and, on the embedded target, the PSS of the server it
// started (server-memory.ts: the postmaster and its children), and /healthz once. The bench lets go of
// the data dir's server first, so the daemon starts it, as on a user's machine, and every server
// process counted is the daemon's. The CLI's latency beside the idle daemon and, on the embedded
// target, after it stopped, is measured here too, on the same data dir (cli-latency.ts).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { readFileSync } from 'node:fs';
import { runSync } from '../ingest/sync.js';
import type { YahooClient } from '../providers/yahoo/client.js';
import type { SimServer } from '../sim/server.js';
import { CLI, PROJECT_ROOT, runCli } from './child.js';
import { CLI_QUERY, timeCli, timeNode, type CliLatencyResult } from './cli-latency.js';
import { benchConfig } from './incremental.js';
import { procMemory, round, sleep } from './measure.js';
import { writeConfigDir } from './history.js';
import { serverMemory } from './server-memory.js';
import { createScratch, type TargetName } from './targets.js';

export interface DaemonResult {
  startupMs: number;
  /** The daemon's own startupMs field (from startDaemon to scheduled, without Node and module load). */
  reportedStartupMs: number | null;
  idleSeconds: number;
  /** The daemon's Node process: VmRSS after the idle seconds, and VmHWM. */
  idleRssMb: number;
  peakRssMb: number;
  /** Embedded target: the server's processes' PSS summed, at the same moment; null on Postgres (not ours). */
  serverPssMb: number | null;
  serverProcesses: number | null;
  /** What the daemon costs the machine: Node RSS + the embedded server's PSS (Node alone on Postgres). */
  idleTotalMb: number;
  healthStatus: number | null;
  stopMs: number | null;
  /** Embedded target: SIGTERM to the last server process gone. */
  serverGoneMs: number | null;
  /** idleMb applies to idleTotalMb. */
  goal: { startupMs: number; idleMb: number; met: boolean };
  cli?: CliLatencyResult;
  error?: string;
}

interface LogLine {
  msg?: string;
  url?: string;
  startupMs?: number;
}

/** Ms from `since` until the data dir's server is gone; throws when it is still there 15 s after `since`. */
async function serverGone(dataDir: string, since: number, after: string): Promise<number> {
  while (serverMemory(dataDir)) {
    if (performance.now() - since > 15_000) throw new Error(`the embedded server still runs 15 s after ${after}`);
    await sleep(50);
  }
  return Math.round(performance.now() - since);
}

export async function benchDaemon(
  target: TargetName,
  baseUrl: string | null,
  feed: { sim: SimServer; yahoo: YahooClient; log: Logger },
  idleSeconds: number,
  cliRuns: number,
  say: (msg: string) => void,
): Promise<DaemonResult> {
  const watch = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/bubblewatch.json'), 'utf8')) as { watchlist: { symbol: string }[] };
  const symbols = watch.watchlist.map((w) => w.symbol);
  const scratch = await createScratch(target, baseUrl);
  try {
    // Up to date as of the real clock: the sim serves today's session (or the last one), and the
    // report for it exists, so the start-up pass has nothing to do.
    feed.sim.setNow(new Date());
    const config = benchConfig(symbols, { BUBBLEWATCH_DATA_DIR: scratch.dataDir, YAHOO_BASE_URL: feed.sim.url });
    const sync = await runSync({ handle: scratch.handle, yahoo: feed.yahoo, config, log: feed.log, clock: () => new Date() });
    if (sync.status !== 'ok') throw new Error(`daemon set-up sync ended ${sync.status}`);
    // On the embedded target the server stops here (no one else uses it): the report starts its own.
    await scratch.close();
    const configFile = writeConfigDir(join(scratch.dataDir, 'config'), symbols);
    const env: Record<string, string> = {
      BUBBLEWATCH_CONFIG: configFile,
      BUBBLEWATCH_DATA_DIR: scratch.dataDir,
      YAHOO_BASE_URL: feed.sim.url,
      BUBBLEWATCH_HTTP_PORT: '0',
    };
    if (scratch.url) env.DATABASE_URL = scratch.url;
    const report = await runCli(['report', '--out', join(scratch.dataDir, 'reports')], env);
    if (report.exitCode !== 0) throw new Error(`daemon set-up report failed: ${report.stderr.slice(-300)}`);

    const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...env };
    if (!scratch.url) delete childEnv.DATABASE_URL;
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, 'run'], { cwd: PROJECT_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let url: string | null = null;
    let reportedStartupMs: number | null = null;
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const scheduled = new Promise<number>((resolve, reject) => {
      let buffer = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        buffer += d.toString();
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          let parsed: LogLine;
          try {
            parsed = JSON.parse(line) as LogLine;
          } catch {
            continue;
          }
          if (parsed.msg === 'http listening' && parsed.url) url = parsed.url;
          if (parsed.msg === 'daemon scheduled') {
            reportedStartupMs = parsed.startupMs ?? null;
            if (parsed.url) url = parsed.url;
            resolve(performance.now() - t0);
          }
        }
      });
      void exited.then((code) => reject(new Error(`daemon exited (${code}) before scheduling: ${stderr.slice(-500)}`)));
      setTimeout(() => reject(new Error(`daemon not scheduled after 60 s: ${stderr.slice(-500)}`)), 60_000).unref();
    });
    child.stdout.resume();
    try {
      const startupMs = await scheduled;
      await sleep(idleSeconds * 1000);
      const mem = procMemory(child.pid!);
      const server = target === 'embedded' ? serverMemory(scratch.dataDir) : null;
      if (target === 'embedded' && !server) throw new Error('no embedded server runs beside the idle daemon');
      let healthStatus: number | null = null;
      if (url) {
        try {
          healthStatus = (await fetch(`${url}/healthz`)).status;
        } catch {
          healthStatus = null;
        }
      }
      const withDaemon = await timeCli(['sql', CLI_QUERY], env, cliRuns);
      const s0 = performance.now();
      child.kill('SIGTERM');
      const code = await exited;
      const stopMs = Math.round(performance.now() - s0);
      if (code !== 0) throw new Error(`the daemon exited ${code} on SIGTERM: ${stderr.slice(-500)}`);
      // Issue 20: SIGTERM stops the daemon and its server, nothing left within 15 s.
      const serverGoneMs = target === 'embedded' ? await serverGone(scratch.dataDir, s0, 'SIGTERM to the daemon') : null;
      const withoutDaemon = target === 'embedded' ? await timeCli(['sql', CLI_QUERY], env, cliRuns) : undefined;
      // ...and a one-shot command that started the server stops it when it ends.
      if (withoutDaemon) await serverGone(scratch.dataDir, performance.now(), 'the last `sql` without a daemon');
      const cli: CliLatencyResult = {
        runs: cliRuns,
        nodeMs: (await timeNode(cliRuns)).medianMs,
        versionMs: (await timeCli(['--version'], env, cliRuns)).medianMs,
        withDaemon,
        ...(withoutDaemon ? { withoutDaemon } : {}),
      };
      const idleRssMb = round(mem?.rssMb ?? Number.NaN, 1);
      const serverPssMb = server ? round(server.pssMb, 1) : null;
      const result: DaemonResult = {
        startupMs: Math.round(startupMs),
        reportedStartupMs,
        idleSeconds,
        idleRssMb,
        peakRssMb: round(mem?.hwmMb ?? Number.NaN, 1),
        serverPssMb,
        serverProcesses: server?.processes ?? null,
        idleTotalMb: round(idleRssMb + (serverPssMb ?? 0), 1),
        healthStatus,
        stopMs,
        serverGoneMs,
        // Issue 20: daemon and embedded server together under 200 MB (PGlite's in-process engine had
        // the same 200 MB, issue 15); the daemon alone on an external Postgres under 150 MB.
        goal: { startupMs: 2000, idleMb: target === 'embedded' ? 200 : 150, met: false },
        cli,
      };
      result.goal.met = result.startupMs < result.goal.startupMs && result.idleTotalMb < result.goal.idleMb;
      say(
        `  daemon: scheduled after ${result.startupMs} ms, idle after ${idleSeconds} s: Node RSS ${idleRssMb} MB` +
          `${server ? ` + server PSS ${serverPssMb} MB (${server.processes} processes) = ${result.idleTotalMb} MB` : ''}, /healthz ${healthStatus}, stopped in ${stopMs} ms${serverGoneMs !== null ? ` (server gone after ${serverGoneMs} ms)` : ''}`,
      );
      say(`  cli: sql ${withDaemon.medianMs} ms beside the daemon${withoutDaemon ? `, ${withoutDaemon.medianMs} ms without (starts the server)` : ''} (node alone ${cli.nodeMs} ms, --version ${cli.versionMs} ms)`);
      return result;
    } catch (err) {
      child.kill('SIGKILL');
      await exited;
      throw err;
    }
  } finally {
    await scratch.drop();
  }
}
