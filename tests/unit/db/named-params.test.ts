import { describe, expect, it } from 'vitest';
import { bindNamedParams, headerParams, NamedParamsError, placeholderNames } from '../../../src/db/named-params.js';

describe(bindNamedParams.name, () => {
  it('numbers placeholders by first appearance and reuses the number of a repeated name', () => {
    expect(bindNamedParams('select * from t where a = :a and b > :b or a2 = :a', { b: '2', a: '1' })).toEqual({
      text: 'select * from t where a = $1 and b > $2 or a2 = $1',
      values: ['1', '2'],
      names: ['a', 'b'],
    });
  });

  it('leaves a query without placeholders alone', () => {
    const sql = "select ':x' as s, now()::date";
    expect(bindNamedParams(sql)).toEqual({ text: sql, values: [], names: [] });
  });

  it('passes values through untouched: they are bound, never spliced', () => {
    const evil = "ORCL'; drop table daily_bars; --";
    const bound = bindNamedParams('select * from daily_bars where symbol = :symbol', { symbol: evil });
    expect(bound.text).toBe('select * from daily_bars where symbol = $1');
    expect(bound.values).toEqual([evil]);
  });

  describe('what is not a placeholder', () => {
    it.each([
      ['string literals', "select ':a', 'it''s :b' where x = :c", ['c']],
      ['E-strings with backslash escapes', "select E'\\' :a', e'\\\\' || :b", ['b']],
      ['quoted identifiers', 'select "col:a", "x"":b" from t where y = :c', ['c']],
      ['line comments', 'select 1 -- where a = :a\n where b = :b', ['b']],
      ['nested block comments', 'select /* :a /* :b */ :c */ :d', ['d']],
      ['dollar quotes', 'select $$ :a $$, $fn$ :b $x$ :c $fn$, :d', ['d']],
      ['casts', 'select :a::numeric, x::text, y :: int, :b::date', ['a', 'b']],
      ['array slices after a word', 'select arr[lo:hi], arr[1:2] from t where z = :z', ['z']],
      ['an identifier with a dollar sign', 'select x$y, :a from t', ['a']],
      ['psql-style :=', 'select f(a := 1), :b', ['b']],
    ])('skips %s', (_label, sql, names) => {
      expect(placeholderNames(sql)).toEqual(names);
    });

    it('keeps the skipped text byte for byte', () => {
      const sql = "select 'a:b' as \"c:d\" /* :e */, $q$ :f $q$ -- :g\n, :h::int";
      expect(bindNamedParams(sql, { h: '1' }).text).toBe("select 'a:b' as \"c:d\" /* :e */, $q$ :f $q$ -- :g\n, $1::int");
    });
  });

  it('uses header defaults and lets --param override them', () => {
    const sql = '-- Which?\n-- params: symbol (default ORCL), threshold (default 0.10)\nselect :symbol, :threshold';
    expect(bindNamedParams(sql).values).toEqual(['ORCL', '0.10']);
    expect(bindNamedParams(sql, { threshold: '0.2' }).values).toEqual(['ORCL', '0.2']);
  });

  it('names every missing parameter and how to pass it', () => {
    expect(() => bindNamedParams('select :a, :b, :c', { b: '1' })).toThrow(
      new NamedParamsError('missing value for :a, :c: pass --param a=VALUE --param c=VALUE'),
    );
    // Declared without a default: still required.
    expect(() => bindNamedParams('-- params: a\nselect :a')).toThrow(/missing value for :a/);
  });

  it('rejects a --param the query does not use, naming the ones it does', () => {
    expect(() => bindNamedParams('select :symbol', { symbol: 'X', symbl: 'Y' })).toThrow(
      new NamedParamsError('unknown parameter symbl: it uses :symbol'),
    );
    expect(() => bindNamedParams('select 1', { a: '1', b: '2' })).toThrow('unknown parameters a, b: it has no :name parameters');
  });

  it('refuses to mix :name with $1 placeholders', () => {
    expect(() => bindNamedParams('select $1, :a', { a: '1' })).toThrow(/mixes :name and \$1-style/);
    // $1 alone is the caller's business (and a string containing "$1" is no placeholder).
    expect(bindNamedParams("select '$1', :a", { a: '1' }).text).toBe("select '$1', $1");
  });

  it.each([
    ["select 'open", /unterminated string literal starting at character 8/],
    ['select "open', /unterminated quoted identifier/],
    ['select /* open', /unterminated \/\* comment/],
    ['select $x$ open', /unterminated dollar-quoted string \$x\$/],
  ])('reports unterminated text in %j', (sql, message) => {
    expect(() => bindNamedParams(sql)).toThrow(message);
  });
});

describe(headerParams.name, () => {
  it('reads names and defaults from the leading comment lines only', () => {
    const sql = [
      '-- How far?',
      '-- params: symbol (default ORCL), from (default 2025-01-01)',
      '-- params: top (default 5), name',
      '',
      'select 1',
      '-- params: late (default 1)',
    ].join('\n');
    expect(headerParams(sql)).toEqual([
      { name: 'symbol', default: 'ORCL' },
      { name: 'from', default: '2025-01-01' },
      { name: 'top', default: '5' },
      { name: 'name', default: null },
    ]);
  });

  it("understands 'none' and quoted defaults", () => {
    expect(headerParams('-- params: none\nselect 1')).toEqual([]);
    expect(headerParams("-- params: city (default 'New York'), empty (default ''), q (default 'it''s')")).toEqual([
      { name: 'city', default: 'New York' },
      { name: 'empty', default: '' },
      { name: 'q', default: "it's" },
    ]);
  });

  it('refuses a header it cannot read', () => {
    expect(() => headerParams('-- params: 9lives (default 1)')).toThrow(NamedParamsError);
  });
});
