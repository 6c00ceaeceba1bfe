import { UsageError } from '../cli/context.js';

export async function simCommand(_options?: unknown): Promise<void> {
  throw new UsageError("'sim' is not available in this build yet");
}
