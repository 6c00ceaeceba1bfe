// The report's only stylesheet, inlined in the page: no web fonts (system and CJK fallbacks by name),
// no external anything. Colours keep badges readable in print and for colour-blind readers (each
// badge also carries its word).
export const CSS = `
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #d9dee4; --paper: #ffffff; --bg: #f4f6f8;
  --holds: #1b7f3b; --holds-bg: #e3f6e8; --holds-strong-bg: #8fd3a3; --partly: #8a5a00; --partly-bg: #fff1cc;
  --fails: #b42318; --fails-bg: #fde4e1; --neutral: #1d4f91; --neutral-bg: #e2ecfb;
  --unknown: #4b5563; --unknown-bg: #eceff3; --sim: #7a1fa2; --sim-bg: #f6e6fb;
  --price: #1c6ed6; --dd: #c92a2a;
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body {
  margin: 0 auto; max-width: 960px; padding: 24px 20px 48px; color: var(--ink); line-height: 1.5;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK TC",
    "PingFang TC", "Microsoft JhengHei", "Helvetica Neue", Arial, sans-serif;
}
h1 { font-size: 28px; margin: 0; letter-spacing: -0.01em; }
h2 { font-size: 21px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 17px; margin: 0; }
h1, h2, h3, p, dd, li, blockquote { overflow-wrap: anywhere; }
.asof { font-size: 18px; color: var(--muted); margin: 2px 0 6px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin: 16px 0; }
.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.provenance dt { color: var(--muted); }
.provenance dd { margin: 0; }
.banner {
  border: 2px solid var(--sim); background: var(--sim-bg); color: var(--sim); font-weight: 600;
  border-radius: 10px; padding: 12px 16px; margin: 16px 0;
}
.missing { color: var(--fails); }
.stale { border-left: 4px solid var(--partly); background: var(--partly-bg); color: var(--partly); padding: 6px 12px; margin: 8px 0; font-weight: 600; }
.claim-head { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; margin-bottom: 10px; }
.badge {
  display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 13px; font-weight: 600;
  white-space: nowrap; border: 1px solid currentColor; vertical-align: middle;
}
.badge.verdict { font-size: 15px; padding: 3px 14px; }
.badge.holds { color: var(--holds); background: var(--holds-bg); }
.badge.partly { color: var(--partly); background: var(--partly-bg); }
.badge.fails { color: var(--fails); background: var(--fails-bg); }
.badge.neutral { color: var(--neutral); background: var(--neutral-bg); }
.badge.unknown { color: var(--unknown); background: var(--unknown-bg); }
.badge.sim { color: var(--sim); background: var(--sim-bg); text-transform: uppercase; letter-spacing: 0.04em; }
blockquote { margin: 0 0 6px; padding: 6px 14px; border-left: 4px solid var(--line); font-size: 16px; }
.translation { margin: 0 0 10px 18px; color: var(--muted); font-style: italic; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 13px; color: var(--muted); margin: 8px 0 12px; }
.facts dd { margin: 0; }
.sentences p { margin: 6px 0; }
.table-wrap { overflow-x: auto; margin: 12px 0 4px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: none; border-bottom: 2px solid var(--line); }
/* A header breaks between words, never inside one: Chinese has no spaces, so 市值減少 stays whole. */
th { word-break: keep-all; }
td.num, th.num { text-align: right; }
td .sub { display: block; font-size: 12px; color: var(--muted); }
td.num, td.nowrap, td.num .sub, td.nowrap .sub { white-space: nowrap; }
td .badge { margin-left: 4px; }
figure { margin: 14px 0 6px; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
svg.chart { display: block; width: 100%; height: auto; background: var(--paper); }
/* Each chart comes at two widths: the narrow one is laid out for a phone (see chart-frame.ts). */
svg.chart.narrow { display: none; }
@media (max-width: 640px) {
  svg.chart.wide { display: none; }
  svg.chart.narrow { display: block; }
  body { padding: 16px 12px 40px; }
  .card { padding: 14px 12px; }
  /* On a phone every table row is a small card: each value under or beside its column's label, so
     nothing scrolls sideways and nothing is cut off at the screen's edge. The header row stays for
     screen readers only. */
  .table-wrap { overflow-x: visible; }
  .table-wrap table, .table-wrap tbody, .table-wrap tr, .table-wrap td { display: block; width: 100%; }
  .table-wrap thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  .table-wrap tr { padding: 8px 0; border-bottom: 1px solid var(--line); }
  .table-wrap td { border: 0; padding: 2px 0; display: grid; grid-template-columns: minmax(6.5em, 36%) 1fr; column-gap: 10px; }
  .table-wrap td::before { content: attr(data-label); color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
  .table-wrap td:first-child { font-weight: 700; }
  .table-wrap td.num, .table-wrap td.nowrap, .table-wrap td.num .sub, .table-wrap td.nowrap .sub { text-align: left; white-space: normal; }
  .table-wrap td .cell { min-width: 0; overflow-wrap: anywhere; }
  .table-wrap td .badge { white-space: normal; }
}
.chart .leader { stroke: var(--muted); stroke-width: 1; }
.chart .grid { stroke: #e7ebef; }
.chart .axis { stroke: #9aa5b1; }
.chart .tick { font-size: 11px; fill: var(--muted); }
.chart .axis-title { font-size: 12px; fill: var(--muted); font-weight: 600; }
.chart .price-line { fill: none; stroke: var(--price); stroke-width: 1.6; }
.chart .price-area { fill: var(--price); opacity: 0.08; }
.chart .dd-area { fill: var(--dd); opacity: 0.22; }
.chart .dd-line { fill: none; stroke: var(--dd); stroke-width: 1.2; }
.chart .marker text { font-size: 12px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
.chart .marker.ath circle { fill: var(--holds); stroke: #fff; stroke-width: 1.5; }
.chart .marker.ath text { fill: var(--holds); }
.chart .marker.trough circle, .chart .marker.now circle { fill: var(--dd); stroke: #fff; stroke-width: 1.5; }
.chart .marker.trough text, .chart .marker.now text { fill: var(--dd); }
.chart .marker.last circle { fill: var(--price); }
.chart .marker.last text { fill: var(--price); }
.chart-key { display: flex; flex-wrap: wrap; gap: 4px 18px; }
.key::before { content: ""; display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; }
.key.ath::before { background: var(--holds); }
.key.trough::before { background: var(--dd); }
.chart .event line { stroke: #e67700; stroke-dasharray: 4 3; stroke-width: 1.2; }
.chart .event circle { fill: #e67700; }
.chart .event text { fill: #fff; font-size: 11px; font-weight: 700; }
.chart .fall path { fill: none; stroke-width: 2; }
.chart .fall.ticker path { stroke-width: 2.6; }
.chart .fall.config path { stroke-dasharray: 6 4; }
.chart .fall-level line { stroke: #862e9c; stroke-width: 1.4; stroke-dasharray: 2 3; }
.chart .fall-level.deciding line { stroke-width: 2; }
.chart .fall-level text { font-size: 12px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
.chart .fall-label text { font-size: 12px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
.legend { list-style: none; padding: 0; margin: 6px 0 0; font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.swatch.level { background: repeating-linear-gradient(90deg, #862e9c 0 3px, transparent 3px 5px); }
.swatch { display: inline-block; width: 14px; height: 4px; border-radius: 2px; margin-right: 6px; vertical-align: middle; }
.events { font-size: 13px; margin: 6px 0 0; padding-left: 22px; color: var(--ink); }
.events li::marker { color: #e67700; font-weight: 700; }
.symbol-head { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
.symbol-head .name { color: var(--muted); }
.charts { display: grid; gap: 4px; }
.glance { list-style: none; padding: 0; margin: 8px 0 0; }
.glance li { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; padding: 8px 0; border-top: 1px solid var(--line); }
.glance li:first-child { border-top: 0; }
.glance-title { margin-top: 0; }
.glance-head { font-weight: 700; color: var(--ink); }
.glance .figure { font-weight: 600; font-variant-numeric: tabular-nums; }
.glance-claim, .glance .reading { flex-basis: 100%; font-size: 13px; color: var(--muted); }
.glance-claim { font-style: italic; }
.said-by { margin: 0 0 10px; font-size: 13px; color: var(--muted); }
.provenance.article { margin-bottom: 8px; }
.pending { color: var(--muted); }
.notes p { color: var(--muted); font-size: 14px; }
footer { margin-top: 32px; font-size: 12px; color: var(--muted); }
@media print { html { background: #fff; } .card { break-inside: avoid; } }
`;
