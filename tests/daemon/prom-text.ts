// A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every line must
// be a HELP, a TYPE, a comment or a sample, and every sample must belong to a family with a TYPE.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*"`;
const VALUE = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?Inf|NaN';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,(?:${LABEL}))*,?)?\\})? (${VALUE})(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"/g;

const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
  counter: ['', '_total'],
  gauge: [''],
  untyped: [''],
};

export function parsePrometheusText(text: string): { samples: Sample[]; types: Map<string, string>; errors: string[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const where = `line ${i + 1}: ${line}`;
    const type = TYPE.exec(line);
    if (type) return void types.set(type[1]!, type[2]!);
    if (HELP.test(line)) return;
    if (line.startsWith('#')) {
      if (/^# (HELP|TYPE)/.test(line)) errors.push(`malformed ${where}`);
      return;
    }
    const m = SAMPLE.exec(line);
    if (!m) return void errors.push(`not a sample: ${where}`);
    const name = m[1]!;
    const family = [...types.entries()].find(([base, t]) => SUFFIXES[t]!.some((s) => `${base}${s}` === name));
    if (!family) errors.push(`sample without a TYPE: ${where}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(LABEL_PAIR)) labels[pair[1]!] = pair[2]!;
    samples.push({ name, labels, value: Number(m[3]!.replace(/^\+?Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity')) });
  });
  return { samples, types, errors };
}
