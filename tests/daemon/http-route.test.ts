import { describe, expect, it } from 'vitest';
import { langOf, routeOf } from '../../src/daemon/http.js';

describe(routeOf.name, () => {
  it.each([
    ['/healthz', { kind: 'healthz' }],
    ['/metrics', { kind: 'metrics' }],
    ['/', { kind: 'live' }],
    ['/events', { kind: 'events' }],
    ['/live.js', { kind: 'asset', name: 'live.js' }],
    ['/live.css', { kind: 'asset', name: 'live.css' }],
    ['/reports/', { kind: 'reports' }],
    ['/reports', { kind: 'reports' }],
    ['/reports/latest', { kind: 'report-latest' }],
    ['/reports/2026-11-24', { kind: 'report', asOf: '2026-11-24', format: 'html' }],
    ['/reports/2026-11-24.html', { kind: 'report', asOf: '2026-11-24', format: 'html' }],
    ['/reports/2026-11-24.md', { kind: 'report', asOf: '2026-11-24', format: 'md' }],
    ['/reports/2026-11-24.json', { kind: 'report', asOf: '2026-11-24', format: 'json' }],
    ['/reports/2026-11-24.pdf', { kind: 'not-found' }],
    ['/reports/2026-02-30', { kind: 'not-found' }],
    ['/reports/2026-2-3', { kind: 'not-found' }],
    ['/reports/2026-11-24/', { kind: 'not-found' }],
    ['/reports/..%2Fetc', { kind: 'not-found' }],
    ['/healthz/extra', { kind: 'not-found' }],
    ['/events/', { kind: 'not-found' }],
  ])('GET %s', (path, route) => {
    expect(routeOf('GET', path)).toEqual(route);
  });

  it('allows HEAD and refuses other methods on known paths', () => {
    expect(routeOf('HEAD', '/healthz')).toEqual({ kind: 'healthz' });
    expect(routeOf('POST', '/metrics')).toEqual({ kind: 'method-not-allowed' });
    expect(routeOf('POST', '/events')).toEqual({ kind: 'method-not-allowed' });
    expect(routeOf('DELETE', '/nowhere')).toEqual({ kind: 'not-found' });
  });
});

describe(langOf.name, () => {
  it('reads ?lang=, absent is undefined and a language we do not write is null', () => {
    expect(langOf(new URLSearchParams('lang=zh-Hant'))).toBe('zh-Hant');
    expect(langOf(new URLSearchParams('lang=en'))).toBe('en');
    expect(langOf(new URLSearchParams(''))).toBeUndefined();
    expect(langOf(new URLSearchParams('lang=fr'))).toBeNull();
  });
});
