#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the `prepare` script), so start-up
// is plain Node with no TypeScript loader in the way.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ can keep the compiled code of every module on disk (in the OS temp dir), so later runs
// skip compiling the ~150 modules a command loads (measured on Node 22: `sql` through a daemon 10 %
// faster). Node 20 has no such cache; there this is a no-op.
module.enableCompileCache?.();

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('bubblewatch: dist/ is missing; run `npm install` (or `npm run build`) first\n');
  process.exit(2);
}
await import(entry.href);
