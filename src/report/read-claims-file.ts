// Reads config/claims.json: next to the main config file unless a path is given. Every way the file
// can be wrong (missing, not JSON, not the schema) is a ClaimsConfigError listing the problems.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stripBom } from '../config/load.js';
import { ClaimsConfigError, parseClaimsConfig, type ClaimsConfig } from '../analysis/claims/config.js';

export const CLAIMS_FILE_NAME = 'claims.json';

/** config/bubblewatch.json -> config/claims.json */
export function defaultClaimsPath(configPath: string): string {
  return join(dirname(configPath), CLAIMS_FILE_NAME);
}

export async function loadClaimsConfig(path: string): Promise<ClaimsConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ClaimsConfigError([`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(stripBom(text));
  } catch (err) {
    throw new ClaimsConfigError([`${path}: not valid JSON: ${(err as Error).message}`]);
  }
  try {
    return parseClaimsConfig(json);
  } catch (err) {
    if (err instanceof ClaimsConfigError) throw new ClaimsConfigError(err.problems.map((p) => `${path}: ${p}`));
    throw err;
  }
}
