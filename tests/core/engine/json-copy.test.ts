import { describe, expect, it } from 'vitest';
import { jsonCopy } from '../../../src/core/engine/json-copy.js';

const roundTrip = (value: unknown): unknown => {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
};

describe('jsonCopy', () => {
  const cases: [string, unknown][] = [
    ['a conversation state', { v: 1, recent: ['家长: 一年级报名要什么材料', '助手: 户口本…'], asked: [{ id: 3, text: '学区' }], filing: { step: 'contact', type: 'complaint', contact: null } }],
    ['undefined and function properties', { a: undefined, b: () => 1, c: 2, d: Symbol('x') }],
    ['undefined, function and symbol array items', [undefined, () => 1, Symbol('y'), 'x']],
    ['non-finite numbers and -0', { n: NaN, i: Infinity, m: -Infinity, z: -0 }],
    ['a Date and a toJSON object', { at: new Date('2026-12-06T14:00:00Z'), t: { toJSON: () => ({ inner: [1, undefined] }) } }],
    ['a Map, a Set and a class instance', { m: new Map([[1, 2]]), s: new Set([1]), c: new (class { x = 1; y = undefined })() }],
    ['an own __proto__ key', JSON.parse('{"__proto__": {"polluted": 1}, "ok": 2}')],
    ['a lone surrogate and escapes', { s: '\ud800x"\\\n\u2028' }],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { k: [1, { l: null }] })],
    ['top-level undefined', undefined],
    ['top-level string', '你好'],
  ];
  for (const [name, value] of cases) {
    it(`equals the JSON round trip: ${name}`, () => {
      const copy = jsonCopy(value);
      expect(JSON.stringify(copy)).toBe(JSON.stringify(roundTrip(value)));
      expect(copy).toStrictEqual(roundTrip(value));
    });
  }

  it('is a copy: changing it leaves the original as it was', () => {
    const state = { v: 1, recent: ['家长: 你好'], filing: { step: 'type' } };
    const copy = jsonCopy(state);
    copy.recent.push('助手: 您好');
    copy.filing.step = 'content';
    expect(state).toEqual({ v: 1, recent: ['家长: 你好'], filing: { step: 'type' } });
  });
});
