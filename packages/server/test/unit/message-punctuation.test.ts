/**
 * The platform's error catalog and the data-sharing reasons: the Chinese message uses full-width
 * punctuation beside Chinese text, the English one keeps ASCII marks.
 */
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/shared/errors.ts';
import { LOCAL_DENIALS, NODE_REJECTIONS, UNAVAILABLE_REASONS } from '@mianzheng/provider/protocol';

const HAN = '\\u3400-\\u9fff';
const ASCII_BY_CHINESE = new RegExp(`[${HAN}][,;?!()]|[,;?!()][${HAN}]`);
const FULL_WIDTH = /[，；：？！（）]/;

const pairs: Array<[string, string, string]> = [
  ...Object.entries(ERRORS).map(([code, [, zh, en]]) => [code, zh, en] as [string, string, string]),
  ...Object.entries(NODE_REJECTIONS).map(([code, [, zh, en]]) => [`node:${code}`, zh, en] as [string, string, string]),
  ...Object.entries(LOCAL_DENIALS).map(([code, [zh, en]]) => [`denial:${code}`, zh, en] as [string, string, string]),
  ...Object.entries(UNAVAILABLE_REASONS).map(([code, [zh, en]]) => [`unavailable:${code}`, zh, en] as [string, string, string]),
];

describe('punctuation of the error messages', () => {
  it('every code has its Chinese message without ASCII marks beside Chinese characters', () => {
    expect(pairs.length).toBeGreaterThan(100);
    expect(pairs.filter(([, zh]) => ASCII_BY_CHINESE.test(zh))).toEqual([]);
  });
  it('the checks see what they are for', () => {
    expect(ASCII_BY_CHINESE.test('密码已到期,请修改')).toBe(true);
    expect(ASCII_BY_CHINESE.test('密码已到期，请修改')).toBe(false);
    expect(FULL_WIDTH.test('Refused（拒绝）')).toBe(true);
  });
  it('and its English message without full-width marks', () => {
    expect(pairs.filter(([, , en]) => FULL_WIDTH.test(en))).toEqual([]);
  });
});
