// The report as GitHub-flavoured Markdown (pure). Text from config or data is escaped so that a
// headline or symbol can't turn into markup: GitHub would render raw HTML such as <script> partly.
import type { ReportDocument } from '../document.js';
import { messagesFor, type Lang } from './i18n.js';
import { buildReportView } from './view/build.js';
import type { Badge, Cell, ClaimView, GlanceRow, SymbolView, Table, Tone } from './view/types.js';

// Characters that start inline markup anywhere, and "&" only where it would begin an entity (&lt;).
const INLINE = /[\\`*_[\]<>|~]|&(?=#?\w+;)/g;
const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };
// What turns a line into a heading, list item or quote, but only with a space after it ("-40.6%" is text).
const BLOCK_START = /^(\s*)(#{1,6}|[+-]|\d{1,9}[.)])(?=\s|$)/;

/** Plain text -> Markdown text that renders as the same characters. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE, (c) => ENTITIES[c] ?? `\\${c}`)
    .replace(/\r?\n/g, ' ')
    .replace(BLOCK_START, (_, space: string, lead: string) => `${space}${lead.slice(0, -1)}\\${lead.slice(-1)}`);
}

const ICONS: Record<Tone, string> = { holds: '🟢', partly: '🟡', fails: '🔴', neutral: '🔵', unknown: '⚪', sim: '🧪' };

function badge(b: Badge): string {
  return `${ICONS[b.tone]} **${escapeMarkdown(b.text)}**`;
}

/** Markdown only: GitHub and other renderers differ on raw HTML, so a cell's second line follows a separator, not a <br>. */
function cell(c: Cell, separator: string): string {
  const parts = [c.text ? escapeMarkdown(c.text) : '', c.badge ? badge(c.badge) : ''].filter(Boolean).join(' ');
  if (!c.sub) return parts;
  // A sub that opens with an en dash and a space ("– Dec 23, 2025") ends a range: no separator.
  return [parts, escapeMarkdown(c.sub)].filter(Boolean).join(c.sub.startsWith('– ') ? ' ' : separator);
}

export function markdownTable(t: Table, separator = ' · '): string {
  const head = `| ${t.columns.map((c) => escapeMarkdown(c.label)).join(' | ')} |`;
  const rule = `|${t.columns.map((c) => (c.numeric ? ' ---: ' : ' --- ')).join('|')}|`;
  const rows = t.rows.map((r) => `| ${r.map((c) => cell(c, separator)).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

/** "**label**: value" ("**來源**：value"): the colon outside the bold, so a full-width one reads right. */
function labelled(label: string, value: string, colon: string): string {
  return `**${escapeMarkdown(label)}**${colon}${escapeMarkdown(value)}`;
}

function glanceLine(g: GlanceRow, colon: string): string {
  const rest = [g.figure, g.reading].filter((x): x is string => !!x).map(escapeMarkdown).join(' — ');
  return `- **${escapeMarkdown(g.heading)}**${colon}${badge(g.verdict)}${rest ? ` · ${rest}` : ''}`;
}

function claim(c: ClaimView, colon: string, saidByLabel: string): string {
  const lines = [`### ${escapeMarkdown(c.heading)}${colon}${badge(c.verdict)}${c.simulated ? ` ${badge(c.simulated)}` : ''}`, ''];
  lines.push(`> ${escapeMarkdown(c.quote)}`);
  if (c.translation) lines.push('>', `> *${escapeMarkdown(c.translation)}*`);
  lines.push('');
  if (c.saidBy) lines.push(`- ${labelled(saidByLabel, c.saidBy, colon)}`);
  for (const [label, value] of c.facts) lines.push(`- ${labelled(label, value, colon)}`);
  lines.push('');
  for (const s of c.sentences) lines.push(escapeMarkdown(s), '');
  if (c.table) lines.push(markdownTable(c.table), '');
  for (const t of c.extraTables ?? []) lines.push(...(t.caption ? [`**${escapeMarkdown(t.caption)}**`, ''] : []), markdownTable(t), '');
  return lines.join('\n');
}

function symbolCard(s: SymbolView, periodsHeading: string): string {
  const title = [s.symbol, s.name].filter(Boolean).map((t) => escapeMarkdown(t!)).join(' · ');
  const lines = [`### ${title}${s.simulated ? ` ${badge(s.simulated)}` : ''}`, ''];
  if (s.periods) lines.push(`**${escapeMarkdown(periodsHeading)}**`, '', markdownTable(s.periods), '');
  if (s.note) lines.push(escapeMarkdown(s.note), '');
  return lines.join('\n');
}

export function renderMarkdown(doc: ReportDocument, lang: Lang): string {
  const v = buildReportView(doc, lang);
  const m = messagesFor(lang);
  const colon = m.colon;
  const out: string[] = [`# ${escapeMarkdown(v.title)}${colon}${escapeMarkdown(v.asOf)}`, ''];
  if (v.simulatedBanner) out.push(`> [!WARNING]`, `> ${badge({ text: v.simulatedBanner, tone: 'sim' })}`, '');
  out.push(`*${escapeMarkdown(v.subtitle)}*`, '');
  out.push(`## ${escapeMarkdown(v.glanceHeading)}`, '', escapeMarkdown(v.glanceIntro), '');
  for (const line of v.glanceStale) out.push(`> ⚠️ **${escapeMarkdown(line)}**`, '');
  for (const g of v.glance) out.push(glanceLine(g, colon));
  out.push('', `## ${escapeMarkdown(v.headerHeading)}`, '');
  for (const [label, value] of v.header) out.push(`- ${labelled(label, value, colon)}`);
  if (v.missing) out.push(`- ${escapeMarkdown(v.missing)}`);
  out.push('', `## ${escapeMarkdown(v.articleHeading)}`, '');
  for (const [label, value] of v.articleFacts) out.push(`- ${labelled(label, value, colon)}`);
  out.push('', escapeMarkdown(v.article), '');
  out.push(`## ${escapeMarkdown(v.claimsHeading)}`, '');
  for (const c of v.claims) out.push(claim(c, colon, m.articleInfo.saidBy));
  out.push(`## ${escapeMarkdown(v.history.heading)}`, '', escapeMarkdown(v.history.intro), '');
  if (v.history.table) out.push(markdownTable(v.history.table), '');
  out.push(`## ${escapeMarkdown(v.episodesHeading)}`, '', escapeMarkdown(v.episodesIntro), '');
  for (const p of v.episodesPending) out.push(escapeMarkdown(p), '');
  if (v.episodes.rows.length) out.push(markdownTable(v.episodes), '');
  out.push(`## ${escapeMarkdown(v.symbolsHeading)}`, '', markdownTable(v.symbols), '');
  if (v.chartsNote) out.push(escapeMarkdown(v.chartsNote), '');
  for (const s of v.symbolCards) out.push(symbolCard(s, v.periodsHeading));
  out.push(`## ${escapeMarkdown(v.notesHeading)}`, '');
  for (const n of v.notes) out.push(escapeMarkdown(n), '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
