// RFC 8785 (JCS) — examples from the RFC plus the edges we chose to reject.
import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeToBytes } from '../src/jcs.js';

/** IEEE 754 bit pattern (hex) -> number. */
const fromBits = (hex: string): number => Buffer.from(hex, 'hex').readDoubleBE(0);

describe('JCS canonicalize', () => {
  it('reproduces the RFC 8785 §3.2.3 example', () => {
    const input = `{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalize(JSON.parse(input))).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts member names by UTF-16 code units (RFC 8785 §3.2.3 sorting example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const order = [
      ['\\r', 'Carriage Return'],
      ['1', 'One'],
      ['\u0080', 'Control'],
      ['\u00f6', 'Latin Small Letter O With Diaeresis'],
      ['\u20ac', 'Euro Sign'],
      ['\ud83d\ude00', 'Emoji: Grinning Face'], // U+1F600 sorts before U+FB33: D83D < FB33
      ['\ufb33', 'Hebrew Letter Dalet With Dagesh'],
    ];
    expect(canonicalize(input)).toBe('{' + order.map(([k, v]) => `"${k}":"${v}"`).join(',') + '}');
  });

  it('serialises numbers as ECMAScript does (RFC 8785 Appendix B)', () => {
    const cases: Array<[string, string]> = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'], // -0
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, expected] of cases) expect(canonicalize(fromBits(bits))).toBe(expected);
  });

  it('rejects NaN and infinities', () => {
    for (const bits of ['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000']) {
      expect(() => canonicalize([fromBits(bits)])).toThrow(TypeError);
    }
  });

  it('leaves Chinese text untouched and sorts Chinese keys by code unit', () => {
    const license = { 证照名称: '营业执照', 持证主体: '马鞍山市某某科技有限公司', 颁发机构: '马鞍山市市场监督管理局' };
    expect(canonicalize(license)).toBe(
      '{"持证主体":"马鞍山市某某科技有限公司","证照名称":"营业执照","颁发机构":"马鞍山市市场监督管理局"}',
    );
    expect(new TextDecoder().decode(canonicalizeToBytes(license))).toBe(canonicalize(license));
  });

  it('escapes only what JSON.stringify escapes, and keeps astral characters as they are', () => {
    expect(canonicalize('\u0000\u001f\u007f\u2028😀"\\/')).toBe('"\\u0000\\u001f\u007f\u2028😀\\"\\\\/"');
  });

  it('canonicalises nested structures independent of insertion order', () => {
    const a = { b: [3, { y: 1, x: [true, null] }], a: { d: 'd', c: 'c' } };
    const b = { a: { c: 'c', d: 'd' }, b: [3, { x: [true, null], y: 1 }] };
    expect(canonicalize(a)).toBe(canonicalize(b));
    expect(canonicalize(a)).toBe('{"a":{"c":"c","d":"d"},"b":[3,{"x":[true,null],"y":1}]}');
    expect(canonicalize({})).toBe('{}');
    expect(canonicalize([])).toBe('[]');
  });

  it('behaves like JSON.stringify for toJSON and undefined members', () => {
    expect(canonicalize({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), skipped: undefined })).toBe(
      '{"at":"2024-01-02T03:04:05.000Z"}',
    );
    const value = { z: 1, nested: { when: new Date(0), list: [1.5, 'x'] } };
    expect(canonicalize(value)).toBe(canonicalize(JSON.parse(JSON.stringify(value))));
  });

  it('rejects what JSON cannot carry faithfully', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, [undefined], 1n, () => 1, Symbol('s'), new Map(), new Set([1]), new Uint8Array(2), cyclic, '\ud800', { ['\udc00']: 1 }]) {
      expect(() => canonicalize(bad)).toThrow(TypeError);
    }
  });

  it('allows shared (non-cyclic) references', () => {
    const shared = { v: 1 };
    expect(canonicalize({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}');
  });
});
