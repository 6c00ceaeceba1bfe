import { UsageError } from '../cli/context.js';

export async function syncCommand(_options?: unknown): Promise<void> {
  throw new UsageError("'sync' is not available in this build yet");
}
export async function quotesCommand(): Promise<void> { return syncCommand(); }
