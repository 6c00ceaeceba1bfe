import { UsageError } from '../cli/context.js';

export async function reportCommand(_options?: unknown): Promise<void> {
  throw new UsageError("'report' is not available in this build yet");
}
