// The live page's two static files, served by the daemon at /live.css and /live.js (the CSP allows
// scripts and styles from the daemon's own origin only, never inline). Kept as strings in a module so
// the compiled CLI and the tests serve the very same bytes without locating files on disk.
//
// The script: one EventSource on /events (same language as the page). Every event carries the whole
// <main> as the server renders it, so the page after an event is the page a reload would show. The
// browser reconnects by itself and sends Last-Event-ID; the server then sends only what was missed.

export const LIVE_JS = `'use strict';
(function () {
  var main = document.getElementById('live');
  var conn = document.getElementById('conn');
  if (!main || typeof EventSource === 'undefined') return;
  function state(name) {
    if (!conn) return;
    conn.className = 'conn ' + name;
    conn.textContent = conn.getAttribute('data-' + name) || name;
  }
  var lang = main.getAttribute('data-lang') || 'en';
  var source = new EventSource('/events?lang=' + encodeURIComponent(lang));
  function apply(event) {
    var data;
    try { data = JSON.parse(event.data); } catch (err) { return; }
    if (typeof data.html !== 'string') return;
    main.innerHTML = data.html;
    main.setAttribute('data-event-id', event.lastEventId || '');
    main.setAttribute('data-updates', String(Number(main.getAttribute('data-updates') || '0') + 1));
    state('live');
  }
  source.addEventListener('snapshot', apply);
  source.addEventListener('update', apply);
  source.addEventListener('open', function () { state('live'); });
  source.addEventListener('error', function () { state('reconnecting'); });
})();
`;

export const LIVE_CSS = `:root { color-scheme: light; --fg: #1b1f24; --muted: #5b6470; --line: #d8dde3; --bg: #f6f7f9; --card: #fff;
  --up: #137333; --down: #b3261e; --accent: #0b57d0; }
/* Taiwan's markets show a rise in red and a fall in green (漲紅跌綠): the Chinese page follows them. */
html[lang="zh-Hant"] { --up: #b3261e; --down: #137333; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif;
  color: var(--fg); background: var(--bg); overflow-wrap: anywhere; }
header.top, main { max-width: 1100px; margin: 0 auto; padding: 12px 16px; }
h1 { font-size: 1.5rem; margin: 8px 0 2px; }
h2 { font-size: 1.1rem; margin: 20px 0 8px; }
h3 { font-size: 1.05rem; margin: 0; }
.subtitle, .muted, .note, .ath, .when, .name, .spark-empty { color: var(--muted); }
nav { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; font-size: .92rem; }
a { color: var(--accent); }
.conn { margin-left: auto; padding: 1px 8px; border-radius: 10px; border: 1px solid var(--line); font-size: .82rem; }
.conn.live { color: var(--up); border-color: var(--up); }
.conn.reconnecting { color: var(--down); border-color: var(--down); }
.banner { background: #fff4d6; border: 1px solid #e0b84c; padding: 8px 12px; border-radius: 6px; }
.card, .sym, .claim, .fresh dl, .alerts { background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
.empty { padding: 16px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(165px, 1fr)); gap: 10px; }
.sym { padding: 10px 12px; min-width: 0; }
.sym header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 8px; }
.sym .name { font-size: .8rem; }
.sym p { margin: 2px 0; }
.price { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 8px; }
.price .value { font-size: 1.35rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.change, .dd strong { font-variant-numeric: tabular-nums; font-weight: 600; }
.up { color: var(--up); } .down { color: var(--down); } .flat { color: var(--muted); }
.when, .ath, .dd .label, .spark-empty { font-size: .8rem; }
.when.quote { color: var(--accent); }
svg.spark { display: block; margin-top: 4px; width: 100%; max-width: 160px; height: 32px; }
svg.spark polyline { fill: none; stroke-width: 1.5; stroke: var(--muted); }
svg.spark circle { fill: var(--muted); }
svg.spark.up polyline { stroke: var(--up); } svg.spark.up circle { fill: var(--up); }
svg.spark.down polyline { stroke: var(--down); } svg.spark.down circle { fill: var(--down); }
.claim { padding: 10px 14px; margin-bottom: 10px; }
.claim .quote { margin: 0 0 6px; }
.verdict-line { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: .82rem; border: 1px solid var(--line); background: #eef1f4; }
.badge.verdict { font-weight: 600; background: #e8f0fe; border-color: #aecbfa; }
.badge.provisional { background: #fff4d6; border-color: #e0b84c; }
.badge.confirmed { background: #e6f4ea; border-color: #81c995; }
.distances { margin: 6px 0 0; padding-left: 18px; font-size: .92rem; }
.alerts { list-style: none; margin: 0; padding: 6px 12px; }
.alerts li { padding: 4px 0; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 4px 8px; }
.alerts li:last-child { border-bottom: 0; }
.alerts time { color: var(--muted); font-size: .85rem; }
.fresh dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; padding: 10px 12px; }
.fresh dt { color: var(--muted); }
.fresh dd { margin: 0; min-width: 0; }
.health.fail { color: var(--down); }
@media (max-width: 480px) {
  header.top, main { padding: 10px 12px; }
  .grid { grid-template-columns: 1fr 1fr; gap: 8px; }
  .sym { padding: 8px 10px; }
  .price .value { font-size: 1.15rem; }
  .fresh dl { grid-template-columns: 1fr; }
  .fresh dt { margin-top: 4px; }
}
`;
