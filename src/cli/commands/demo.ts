// `bubblewatch demo [--keep]`: the offline showcase (src/daemon/demo.ts) with the user's config and
// logger, and a local receiver its alerts are delivered to (src/cli/demo-alert-receiver.ts).
import { runDemo } from '../../daemon/demo.js';
import { loadConfigAndLogger } from '../context.js';
import { demoAlertReceiver } from '../demo-alert-receiver.js';

export async function demoCommand(options: { keep?: boolean } = {}): Promise<void> {
  const startedAt = Date.now();
  const { config, log } = loadConfigAndLogger();
  await runDemo(config, log, { keep: options.keep, startedAt, alerts: demoAlertReceiver() });
}
