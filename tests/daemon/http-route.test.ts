import { describe, expect, it } from 'vitest';
import { routeOf } from '../../src/daemon/http.js';

describe(routeOf.name, () => {
  it.each([
    ['/healthz', { kind: 'healthz' }],
    ['/metrics', { kind: 'metrics' }],
    ['/', { kind: 'report' }],
    ['/reports/2026-11-24', { kind: 'report', asOf: '2026-11-24' }],
    ['/reports/2026-02-30', { kind: 'not-found' }],
    ['/reports/2026-2-3', { kind: 'not-found' }],
    ['/reports/2026-11-24/', { kind: 'not-found' }],
    ['/reports/2026-11-24.html', { kind: 'not-found' }],
    ['/reports/', { kind: 'not-found' }],
    ['/reports/..%2Fetc', { kind: 'not-found' }],
    ['/healthz/extra', { kind: 'not-found' }],
  ])('GET %s', (path, route) => {
    expect(routeOf('GET', path)).toEqual(route);
  });

  it('allows HEAD and refuses other methods on known paths', () => {
    expect(routeOf('HEAD', '/healthz')).toEqual({ kind: 'healthz' });
    expect(routeOf('POST', '/metrics')).toEqual({ kind: 'method-not-allowed' });
    expect(routeOf('DELETE', '/nowhere')).toEqual({ kind: 'not-found' });
  });
});
