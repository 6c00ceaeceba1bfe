import { UsageError } from '../cli/context.js';

export async function serveCommand(_options?: unknown): Promise<void> {
  throw new UsageError("'db serve' is not available in this build yet");
}
