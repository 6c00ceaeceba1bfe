import { describe, expect, it } from 'vitest';
import { hostPolicy, judgeHost, normalizeHostName } from '../../../src/daemon/host-check.js';

describe(judgeHost.name, () => {
  const loopback = hostPolicy('127.0.0.1', []);

  it('a loopback listener answers for its address and the loopback names, any port', () => {
    for (const host of ['127.0.0.1:9464', '127.0.0.1', 'localhost:9464', 'LOCALHOST.:80', '[::1]:9464']) {
      expect(judgeHost(loopback, host, '/healthz'), host).toBe('ok');
    }
  });

  it('refuses other names as misdirected (DNS rebinding), and other addresses', () => {
    for (const host of ['evil.example', 'evil.example:9464', '127.0.0.1.nip.io:9464', '192.168.1.10:9464', 'localhost.evil.example']) {
      expect(judgeHost(loopback, host, '/'), host).toBe('misdirected');
    }
  });

  it('judges an absolute-form target by its own authority, whatever Host says', () => {
    expect(judgeHost(loopback, '127.0.0.1:9464', 'http://evil.example/healthz')).toBe('misdirected');
    expect(judgeHost(loopback, 'evil.example', 'http://127.0.0.1:9464/healthz')).toBe('ok');
  });

  it('a Host that is no host name is a bad request; no Host at all (HTTP/1.0, no browser) is let through', () => {
    for (const host of ['', 'user@127.0.0.1', '127.0.0.1/x', 'a b']) expect(judgeHost(loopback, host, '/'), host).toBe('bad-request');
    expect(judgeHost(loopback, undefined, '/healthz')).toBe('ok');
  });

  it('configured names are answered for too, in any case', () => {
    const policy = hostPolicy('127.0.0.1', ['Bubblewatch.Example']);
    expect(judgeHost(policy, 'bubblewatch.example', '/')).toBe('ok');
    expect(judgeHost(policy, 'other.example', '/')).toBe('misdirected');
  });

  it('a listener on every address answers for any IP literal and the loopback names, and names only when configured', () => {
    for (const any of ['0.0.0.0', '::']) {
      const policy = hostPolicy(any, ['worker']);
      for (const host of ['10.0.0.5:9464', '[fe80::1]:9464', 'localhost', 'worker:9464']) expect(judgeHost(policy, host, '/'), `${any} ${host}`).toBe('ok');
      expect(judgeHost(policy, 'evil.example', '/')).toBe('misdirected');
    }
  });

  it('a listener on one non-loopback address answers for that address only', () => {
    const policy = hostPolicy('192.168.1.10', []);
    expect(judgeHost(policy, '192.168.1.10:9464', '/')).toBe('ok');
    expect(judgeHost(policy, 'localhost:9464', '/')).toBe('misdirected');
  });
});

describe(normalizeHostName.name, () => {
  it('lowercases, drops a trailing dot, brackets IPv6', () => {
    expect(['LocalHost.', '::1', '[::1]', 'A.Example'].map(normalizeHostName)).toEqual(['localhost', '[::1]', '[::1]', 'a.example']);
  });
});
