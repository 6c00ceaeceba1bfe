import { UsageError } from '../cli/context.js';

export async function runCommand(_options?: unknown): Promise<void> {
  throw new UsageError("'run' is not available in this build yet");
}
