// /reports/: the stored reports, newest first, each in its three renderings (pure; preact escapes).
import { html } from 'htm/preact';
import { render } from 'preact-render-to-string';
import type { IsoDate } from '../../domain.js';
import type { Lang } from '../../report/render/i18n.js';
import { formatterFor } from '../../report/render/number-format.js';
import { LIVE_CSP_META } from './live-page.js';

export interface ReportEntry {
  asOf: IsoDate;
  dataSource: string;
  hasHtml: boolean;
  hasMarkdown: boolean;
}

const WORDS = {
  en: { title: 'Daily reports', live: 'Live page', none: 'No report stored yet: the daemon writes one after each session\'s close (or run `bubblewatch report`).', source: 'data' },
  'zh-Hant': { title: '每日報告', live: '即時頁面', none: '尚未儲存任何報告：服務會在每個交易日收盤後產生（或執行 `bubblewatch report`）。', source: '資料' },
} as const;

export function renderReportsIndex(entries: readonly ReportEntry[], lang: Lang): string {
  const w = WORDS[lang];
  const f = formatterFor(lang);
  const q = lang === 'en' ? '' : `?lang=${lang}`;
  const page = html`<html lang=${lang}>
    <head>
      <meta charset="utf-8" />
      <meta http-equiv="Content-Security-Policy" content=${LIVE_CSP_META} />
      <link rel="icon" href="data:," />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${w.title}</title>
      <link rel="stylesheet" href="/live.css" />
    </head>
    <body>
      <header class="top"><h1>${w.title}</h1><nav><a href=${`/${q}`}>${w.live}</a></nav></header>
      <main>
        ${entries.length === 0
          ? html`<p class="card empty">${w.none}</p>`
          : html`<ul class="alerts reports">${entries.map(
              (e) => html`<li data-report=${e.asOf}>
                <a href=${`/reports/${e.asOf}.html${q}`}>${f.date(e.asOf)}</a>
                ${e.hasMarkdown ? html`<a href=${`/reports/${e.asOf}.md${q}`}>Markdown</a>` : null}
                <a href=${`/reports/${e.asOf}.json`}>JSON</a>
                <span class="muted">${`${w.source}: ${e.dataSource}`}</span>
              </li>`,
            )}</ul>`}
      </main>
    </body>
  </html>`;
  return `<!doctype html>\n${render(page)}\n`;
}
