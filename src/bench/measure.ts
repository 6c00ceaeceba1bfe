// Timing and memory helpers for the benchmark. Figures are compared as ratios against a baseline
// measured in the same run, in alternation (A B A B ...), so a noisy neighbour slows both sides.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs fn `runs` times after `warmup` discarded runs; the median and every sample, in ms. */
export async function latency(fn: () => Promise<unknown>, runs: number, warmup = 1): Promise<{ medianMs: number; samplesMs: number[] }> {
  for (let i = 0; i < warmup; i++) await fn();
  const samplesMs: number[] = [];
  for (let i = 0; i < runs; i++) samplesMs.push((await timed(fn)).ms);
  return { medianMs: median(samplesMs), samplesMs };
}

/** Resident set size and its high-water mark of a live process, from /proc (Linux), in MB. */
export function procMemory(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export const round = (value: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
