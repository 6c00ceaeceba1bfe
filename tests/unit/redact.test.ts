import { describe, expect, it } from 'vitest';
import { isSecretName, redactUrl } from '../../src/redact.js';

describe(redactUrl.name, () => {
  it('masks the user and the password of every URL in a text, and nothing else of it', () => {
    expect(redactUrl('postgres://bubble:s3cr3t@db.example:5432/market')).toBe('postgres://***:***@db.example:5432/market');
    expect(redactUrl('see https://a:b@x.y/z and http://c:d@e')).toBe('see https://***:***@x.y/z and http://***:***@e');
    // A user alone is masked too: https://TOKEN@host is how many services take a token.
    expect(redactUrl('https://ghp_abc123@api.example/hook')).toBe('https://***@api.example/hook');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://***@127.0.0.1:5432/test');
  });

  it('masks a password that holds characters a URL should have escaped', () => {
    expect(redactUrl('postgres://u:pa/ss@host/db')).toBe('postgres://***:***@host/db');
    expect(redactUrl('postgres://u:p@ss@host/db')).toBe('postgres://***:***@host/db');
    expect(redactUrl('postgres://u:p%40ss@host/db')).toBe('postgres://***:***@host/db');
  });

  it('masks query and fragment parameters named like secrets, keeps the others as written', () => {
    expect(redactUrl('postgres://h:5432/db?sslmode=require&password=pw1&application_name=x')).toBe(
      'postgres://h:5432/db?sslmode=require&password=***&application_name=x',
    );
    expect(redactUrl('https://hooks.example/in?token=T0k&channel=ops')).toBe('https://hooks.example/in?token=***&channel=ops');
    expect(redactUrl('https://blob.example/f?sv=2024&sig=abc%2Bdef&se=2026')).toBe('https://blob.example/f?sv=2024&sig=***&se=2026');
    expect(redactUrl('https://x.example/cb#access_token=zzz&state=1')).toBe('https://x.example/cb#access_token=***&state=1');
    expect(redactUrl('https://q.example/v7/quote?symbols=ORCL&crumb=Ab.c')).toBe('https://q.example/v7/quote?symbols=ORCL&crumb=***');
    expect(redactUrl('https://x.example/?api%5Fkey=k1;x=2')).toBe('https://x.example/?api%5Fkey=***;x=2');
  });

  it('finds URLs inside quotes, JSON and error messages, and stops where the URL does', () => {
    expect(redactUrl('connect to "postgres://u:pw@h/db" failed')).toBe('connect to "postgres://***:***@h/db" failed');
    expect(redactUrl('{"url":"https://h/x?token=abc","n":1}')).toBe('{"url":"https://h/x?token=***","n":1}');
    expect(redactUrl('Request cannot be constructed from a URL that includes credentials: http://hook:pw@127.0.0.1:8/a?key=k')).toBe(
      'Request cannot be constructed from a URL that includes credentials: http://***:***@127.0.0.1:8/a?key=***',
    );
  });

  it('leaves texts without URLs, and URLs without secrets, exactly as they were', () => {
    for (const text of ['', 'no url here: password=x', 'http://127.0.0.1:9464/reports/2026-01-02.html?lang=zh-Hant', 'postgresql:///bubblewatch?host=/data/pg&port=5432']) {
      expect(redactUrl(text)).toBe(text);
    }
  });
});

describe(isSecretName.name, () => {
  it('knows the names secrets travel under, and not the ordinary ones', () => {
    for (const name of ['password', 'sslpassword', 'pwd', 'token', 'access_token', 'api_key', 'apiKey', 'secret', 'sig', 'signature', 'auth', 'X-Amz-Credential', 'session', 'crumb']) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['host', 'port', 'sslmode', 'lang', 'symbols', 'application_name', 'channel', 'period1']) {
      expect(isSecretName(name), name).toBe(false);
    }
  });
});
