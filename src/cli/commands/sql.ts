// `bubblewatch sql [query] [--file] [--param] [--format] [--write]`: one statement on the stored
// history, read-only unless --write; mistakes in it are usage errors (exit 2) with a caret under them.
import { readFile } from 'node:fs/promises';
import { bindNamedParams, NamedParamsError, type BoundQuery } from '../../db/named-params.js';
import { pointAt, ReadBoundaryError, runUserSql, UserSqlError } from '../../db/user-sql.js';
import { withSessionContext, UsageError } from '../context.js';
import { formatResult, type OutputFormat } from '../result-format.js';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export interface SqlOptions {
  file?: string;
  /** --param NAME=VALUE pairs, bound to the query's :NAME placeholders. */
  param?: Record<string, string>;
  format: OutputFormat;
  write?: boolean;
}

export async function sqlCommand(query: string | undefined, options: SqlOptions): Promise<void> {
  if (!!query === !!options.file) throw new UsageError('give either a query or --file FILE');
  const text = options.file ? await readFile(options.file, 'utf8').catch(() => {
    throw new UsageError(`cannot read ${options.file}`);
  }) : query!;
  // Bound before the database is opened: a wrong --param is a usage error that needs no lock.
  let bound: BoundQuery;
  try {
    bound = bindNamedParams(text, options.param ?? {});
  } catch (err) {
    if (err instanceof NamedParamsError) throw new UsageError(err.message);
    throw err;
  }
  await withSessionContext(async ({ handle, config }) => {
    try {
      const result = await runUserSql(handle, bound.text, {
        write: options.write,
        params: bound.values,
        statementTimeoutMs: config.sql.statementTimeoutMs,
      });
      print(formatResult(result, options.format));
    } catch (err) {
      if (err instanceof ReadBoundaryError) throw new UsageError(err.message);
      if (!(err instanceof UserSqlError)) throw err;
      if (err.sqlState === '57014') {
        throw new UsageError(`${err.message}\nthe statement ran longer than sql.statementTimeoutMs (${config.sql.statementTimeoutMs} ms in ${config.env.configPath}) and was cancelled`);
      }
      if (err.sqlState === '42501' && !options.write) {
        throw new UsageError(`${err.message}\nwithout --write, SQL may only read (as the role bubblewatch_reader where it can be taken: the project's tables and views, nothing else)`);
      }
      if (err.isReadOnlyViolation) {
        throw new UsageError(`${err.message}\nthe session is read-only: nothing was changed (pass --write to change data)`);
      }
      // Rewriting :name to $n changes lengths, so a caret is shown under the text that was sent.
      throw new UsageError(`${err.message}${err.position ? `\n${pointAt(bound.text, err.position)}` : ''}`);
    }
  }, { maxConnections: 1 });
}
