// The layout's rules, checked on the source (README "Layout"): one composition root, the environment
// read in src/config only, transactions, queries and the database drivers in src/db only (PGlite only
// to upgrade an old data dir), a pure core that imports no I/O, the lower rooms (db, analysis, market)
// importing no feature (report, live, alerts, daemon, cli), analysis reached from db by its types
// only, and no import cycle, type imports included. Imports are read with TypeScript's own pre-processor (static, type-only and dynamic
// imports alike), so the check sees what the compiler sees.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

interface SourceFile {
  /** Path below src/, e.g. 'report/model.ts'. */
  path: string;
  text: string;
  /** Resolved project imports (paths below src/) and bare package names. */
  imports: string[];
  uses: Set<string>;
}

const QUERY_BUILDERS = new Set(['transaction', 'selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto']);

/**
 * What the code (not its comments or strings) does that the rules care about: reads `process.env`,
 * calls one of kysely's transaction or query builders, or tags a template with `sql`.
 */
function usesOf(path: string, text: string): Set<string> {
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process' && node.name.text === 'env') {
      found.add('process.env');
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && QUERY_BUILDERS.has(node.expression.name.text)) {
      found.add(`.${node.expression.name.text}()`);
    }
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'sql') found.add('sql``');
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false));
  return found;
}

/** Imports Node resolves when the file is loaded: static, not type-only (dynamic import() is lazy). */
function runtimeStaticImports(file: SourceFile): string[] {
  const found: string[] = [];
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false);
  for (const node of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) specifier = node.moduleSpecifier;
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly) {
      specifier = node.moduleSpecifier;
    }
    if (specifier && ts.isStringLiteral(specifier)) {
      const name = specifier.text;
      found.push(name.startsWith('.') ? relative(SRC, resolve(dirname(join(SRC, file.path)), name.replace(/\.js$/, '.ts'))) : name);
    }
  }
  return found;
}

function load(): SourceFile[] {
  return sourceFiles(SRC).map((file) => {
    const text = readFileSync(file, 'utf8');
    const imports = ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => {
      if (!fileName.startsWith('.')) return fileName;
      return relative(SRC, resolve(dirname(file), fileName.replace(/\.js$/, '.ts')));
    });
    return { path: relative(SRC, file), text, imports, uses: usesOf(file, text) };
  });
}

const files = load();
const inside = (path: string, folder: string) => path.startsWith(`${folder}/`);
/** src/bench measures the product from outside: it may read the environment (but not build queries). */
const product = files.filter((f) => !inside(f.path, 'bench'));

describe('the layout', () => {
  it('finds the source', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.find((f) => f.path === 'report/model.ts')?.imports).toContain('analysis/claims/evaluate.ts');
    // The detectors see real uses, and only those: a query and a transaction in src/db, the environment in config.
    expect(files.find((f) => f.path === 'db/report-data.ts')?.uses).toEqual(new Set(['sql``', '.selectFrom()', '.insertInto()']));
    expect(usesOf('x.ts', 'const a = process.env.X; // db.transaction()\nconst s = "selectFrom(";')).toEqual(new Set(['process.env']));
    expect(usesOf('x.ts', 'await db.transaction().execute(async (trx) => trx.deleteFrom("t").execute());')).toEqual(new Set(['.transaction()', '.deleteFrom()']));
  });

  it('has one composition root: nothing outside src/cli imports from it (src/cli.ts is its entry)', () => {
    const upward = product
      .filter((f) => !inside(f.path, 'cli') && f.path !== 'cli.ts')
      .flatMap((f) => f.imports.filter((i) => i === 'cli.ts' || inside(i, 'cli')).map((i) => `${f.path} -> ${i}`));
    expect(upward).toEqual([]);
  });

  it('reads the environment in src/config only', () => {
    const readers = product.filter((f) => !inside(f.path, 'config') && f.uses.has('process.env'));
    expect(readers.map((f) => f.path)).toEqual([]);
  });

  it('opens transactions and builds queries in src/db only', () => {
    const offenders = files
      .filter((f) => !inside(f.path, 'db'))
      .flatMap((f) => [...f.uses].filter((u) => u !== 'process.env').map((u) => `${f.path}: ${u}`));
    expect(offenders).toEqual([]);
  });

  it('reaches the database in src/db only, through pg; PGlite is read only by `db upgrade`', () => {
    // Every process is a pg client of a real PostgreSQL server (the bundled one or DATABASE_URL's);
    // PGlite remains only to copy an old embedded data dir into the server (src/db/pglite-upgrade.ts).
    const drivers = /^(pg|pg-copy-streams|kysely|@electric-sql\/.*)(\/|$)/;
    const outside = product
      .filter((f) => !inside(f.path, 'db'))
      .flatMap((f) => f.imports.filter((i) => drivers.test(i)).map((i) => `${f.path} -> ${i}`));
    expect(outside).toEqual([]);
    const pglite = product.filter((f) => f.imports.some((i) => i.startsWith('@electric-sql/')));
    expect(pglite.map((f) => f.path)).toEqual(['db/pglite-upgrade.ts']);
  });

  it('keeps the core pure: market, the analysis, render, model, document, alert rules, the live page, the data checks, the running peak, the ingest plan and the redaction, file-mode and price rules import no I/O', () => {
    const core = ['market', 'analysis', 'report/render', 'live', 'integrity'];
    const coreFiles = ['report/model.ts', 'report/document.ts', 'report/provenance.ts', 'domain.ts', 'bar-checks.ts', 'redact.ts', 'file-modes.ts', 'price-sanity.ts', 'peak-state.ts', 'alerts/rules.ts', 'alerts/channels.ts', 'ingest/refetch.ts', 'ingest/plan.ts', 'daemon/decide.ts', 'daemon/stale-bases.ts'];
    const io = /^(node:(fs|net|http|https|child_process|dns)|fs|kysely|pg|@electric-sql\/.*|yahoo-finance2|pino)(\/|$)/;
    const impure = product
      .filter((f) => core.some((c) => inside(f.path, c)) || coreFiles.includes(f.path))
      .flatMap((f) => f.imports.filter((i) => io.test(i) || inside(i, 'db') || inside(i, 'providers')).map((i) => `${f.path} -> ${i}`));
    expect(impure).toEqual([]);
  });

  it('lets no lower room (db, analysis, market) import a feature (report, live, alerts, daemon, cli), type imports included', () => {
    const lower = ['db', 'analysis', 'market'];
    const features = ['report', 'live', 'alerts', 'daemon', 'cli'];
    const upward = product
      .filter((f) => lower.some((room) => inside(f.path, room)))
      .flatMap((f) => f.imports.filter((i) => i === 'cli.ts' || features.some((room) => inside(i, room))).map((i) => `${f.path} -> ${i}`));
    expect(upward).toEqual([]);
  });

  it('keeps the analysis on plain values: it imports only itself, market, domain.ts, peak-state.ts, bar-checks.ts and zod', () => {
    const allowed = (i: string) =>
      inside(i, 'analysis') || inside(i, 'market') || ['domain.ts', 'peak-state.ts', 'bar-checks.ts', 'zod'].includes(i);
    const outside = product.filter((f) => inside(f.path, 'analysis')).flatMap((f) => f.imports.filter((i) => !allowed(i)).map((i) => `${f.path} -> ${i}`));
    expect(outside).toEqual([]);
  });

  it('lets src/db use the analysis for the shapes it stores only: type imports, no code', () => {
    const code = product
      .filter((f) => inside(f.path, 'db'))
      .flatMap((f) => runtimeStaticImports(f).filter((i) => inside(i, 'analysis')).map((i) => `${f.path} -> ${i}`));
    expect(code).toEqual([]);
    // Dynamic imports count as code too.
    const dynamic = product.filter((f) => inside(f.path, 'db') && /import\(['"][./]*analysis\//.test(f.text));
    expect(dynamic.map((f) => f.path)).toEqual([]);
  });

  it('keeps heavy packages off the quick paths: `sql` and --help load them only by await import() where needed', () => {
    // What Node loads before a command's code runs is the closure of its static imports that are not
    // type-only (a type import is erased). `sql` needs pg and its config, nothing more:
    // Kysely alone was a fifth of its start-up.
    const heavy = /^(kysely|@electric-sql\/.*|yahoo-finance2|pino-pretty|preact|preact-render-to-string|htm|d3-.*|prom-client|csv-parse|cli-progress|tough-cookie-file-store)(\/|$)/;
    const loadedAtStart = (entry: string): string[] => {
      const seen = new Set<string>();
      const visit = (path: string) => {
        if (seen.has(path)) return;
        seen.add(path);
        const file = files.find((f) => f.path === path);
        for (const i of file ? runtimeStaticImports(file) : []) visit(i);
      };
      visit(entry);
      return [...seen];
    };
    // openDb loads the pool's client class and the embedded server by import() on every open: their
    // closures count too (the client once reached Kysely through a shared helper: +100 ms to `sql`).
    for (const entry of ['cli.ts', 'cli/commands/sql.ts', 'db/pg-copy-client.ts', 'db/embedded-server.ts']) {
      expect(loadedAtStart(entry).filter((m) => heavy.test(m)), entry).toEqual([]);
    }
    // The check sees through a chain: the ingest command does load yahoo-finance2 at start.
    expect(loadedAtStart('cli/commands/ingest.ts').some((m) => heavy.test(m))).toBe(true);
  });

  it('has no import cycle, type imports included', () => {
    const graph = new Map(files.map((f) => [f.path, f.imports.filter((i) => i.endsWith('.ts'))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (node: string) => {
      state.set(node, 'open');
      stack.push(node);
      for (const next of graph.get(node) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(node, 'done');
    };
    for (const node of graph.keys()) if (!state.has(node)) visit(node);
    expect(cycles).toEqual([]);
  });
});
