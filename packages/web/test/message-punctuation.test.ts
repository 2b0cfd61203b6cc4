/**
 * The zh-CN strings use full-width punctuation beside Chinese text; the English ones keep ASCII
 * marks (a Chinese name inside an English message included). Guards every dictionary of the web.
 */
import { describe, expect, it } from 'vitest';
import { zhCN } from '../src/shell/i18n/messages-zh-cn';
import { en } from '../src/shell/i18n/messages-en';
import { applicationsMessages } from '../src/pages/applications/messages';
import { licensesMessages } from '../src/pages/licenses/messages';
import { exchangeMessages } from '../src/pages/exchange/messages';
import { calendarMessages } from '../src/pages/calendar/messages';
import { serviceItemsMessages } from '../src/catalog/admin/service-items-messages';
import { serviceItemChangesMessages } from '../src/catalog/service-item-changes-messages';

const dictionaries: Array<[string, Record<string, string>, Record<string, string>]> = [
  ['shell', zhCN, en],
  ['applications', applicationsMessages.zh, applicationsMessages.en],
  ['licenses', licensesMessages.zh, licensesMessages.en],
  ['exchange', exchangeMessages.zh, exchangeMessages.en],
  ['calendar', calendarMessages.zh, calendarMessages.en],
  ['service items', serviceItemsMessages.zh, serviceItemsMessages.en],
  ['service item changes', serviceItemChangesMessages.zh, serviceItemChangesMessages.en],
];

const HAN = '\\u3400-\\u9fff';
/** an ASCII , ; ? ! or parenthesis beside a Chinese character */
const ASCII_BY_CHINESE = new RegExp(`[${HAN}][,;?!()]|[,;?!()][${HAN}]`);
const FULL_WIDTH = /[，；：？！（）]/;

describe('punctuation of the web messages', () => {
  it.each(dictionaries)('%s: Chinese text has no ASCII marks beside Chinese characters', (_name, zh) => {
    expect(Object.entries(zh).filter(([, v]) => ASCII_BY_CHINESE.test(v))).toEqual([]);
  });
  it.each(dictionaries)('%s: English text has no full-width marks', (_name, _zh, english) => {
    // a mark quoted as itself ('separated by "、" or "；"') is named, not used
    expect(Object.entries(english).filter(([, v]) => FULL_WIDTH.test(v.replace(/"[^"]*"/g, '')))).toEqual([]);
  });
  it('the check would see what it is for', () => {
    expect(ASCII_BY_CHINESE.test('发布后,不再提供')).toBe(true);
    expect(ASCII_BY_CHINESE.test('发布后，不再提供')).toBe(false);
    expect(FULL_WIDTH.test('Separation of duties （受审分离）')).toBe(true);
  });
});
