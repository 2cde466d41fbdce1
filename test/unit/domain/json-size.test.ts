import { describe, expect, it } from 'vitest';
import { measureJson } from '../../../shared/domain/index.ts';

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('measureJson', () => {
  it.each([
    ['an empty object', {}],
    ['an empty list', []],
    ['text needing escapes', 'héllo ✓ "quoted"\n\t\u0001\u001f\\ end'],
    ['a surrogate pair', 'smile \ud83d\ude00'],
    ['a lone surrogate', 'broken \ud800 and \udfff'],
    ['U+2028 and DEL', 'a\u2028b\u007f'],
    ['numbers', [0, -1.5, 1e21, 123456789, 5e-7, Number.NaN, Number.POSITIVE_INFINITY]],
    ['booleans and null', [true, false, null]],
    ['nested values', { a: [1, { b: 'x', c: [[], {}] }], d: null, 'ключ ✓': 'значение' }],
    ['undefined and functions', { u: undefined, f: () => 1, keep: 1, list: [undefined, () => 1] }],
    ['a Date', { at: new Date(0) }],
  ])('counts %s as the bytes of its JSON text', (_name, value) => {
    expect(measureJson(value, 1_000_000)).toEqual({ ok: true, bytes: bytesOf(value) });
  });

  it('counts a shared object once per place it appears, as JSON.stringify writes it', () => {
    const anchor = { text: 'x'.repeat(1000), list: ['a', 'b'] };
    const value = { one: anchor, two: anchor, more: [anchor, anchor, { again: anchor }] };
    expect(measureJson(value, 1_000_000)).toEqual({ ok: true, bytes: bytesOf(value) });
  });

  it('stops at the limit without building the text of an expansion too large to build', () => {
    let value: unknown = ['x'];
    // 2^50 copies once written out: a walk that did not stop at the limit would never finish.
    for (let i = 0; i < 50; i++) value = [value, value];
    expect(measureJson(value, 1_000_000)).toMatchObject({ ok: false, problem: 'too-large' });
  });

  it('refuses at exactly one byte over the limit', () => {
    const value = { text: 'x'.repeat(100) };
    const size = bytesOf(value);
    expect(measureJson(value, size)).toEqual({ ok: true, bytes: size });
    expect(measureJson(value, size - 1)).toMatchObject({ ok: false, problem: 'too-large' });
    expect(measureJson('y'.repeat(5_000_000), 10)).toMatchObject({ ok: false, problem: 'too-large' });
  });

  it('refuses a value that contains itself', () => {
    const cyclic: unknown[] = [1];
    cyclic.push({ back: cyclic });
    expect(measureJson(cyclic, 1_000_000)).toMatchObject({ ok: false, problem: 'cyclic' });
  });

  it('refuses nesting past the depth it walks, without overflowing the stack', () => {
    let value: unknown = 1;
    for (let i = 0; i < 200_000; i++) value = { a: value };
    expect(measureJson(value, Number.MAX_SAFE_INTEGER)).toMatchObject({ ok: false, problem: 'too-deep' });
  });
});
