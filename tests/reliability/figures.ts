// Where the reliability suite leaves its numbers: one JSON file per part under tests/artifacts/reliability/
// (gitignored), so parallel test files never write the same file. docs/RELIABILITY.md quotes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIGURES_DIR = fileURLToPath(new URL('../artifacts/reliability/', import.meta.url));

export function writeFigures(part: string, figures: object): string {
  mkdirSync(FIGURES_DIR, { recursive: true });
  const path = join(FIGURES_DIR, `${part}.json`);
  const machine = { node: process.version, cpus: cpus().length, platform: process.platform };
  writeFileSync(path, `${JSON.stringify({ part, generatedAt: new Date().toISOString(), machine, ...figures }, null, 2)}\n`);
  return path;
}

/** A seeded generator (the sim's mulberry32), so kill points and other random choices replay exactly. */
export { createRng as seededRandom } from '../../src/sim/rng.js';
