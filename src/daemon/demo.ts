import { UsageError } from '../cli/context.js';

export async function demoCommand(_options?: unknown): Promise<void> {
  throw new UsageError("'demo' is not available in this build yet");
}
