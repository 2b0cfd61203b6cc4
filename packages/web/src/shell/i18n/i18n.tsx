import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './messages-en';
import { zhCN, type MessageKey, type Messages } from './messages-zh-cn';

export type Locale = 'zh-CN' | 'en';

/** What follows a label before its value: a full-width colon in Chinese, ": " in English. */
export function labelColon(locale: Locale): string {
  return locale === 'en' ? ': ' : '：';
}
export type { MessageKey };

const dictionaries: Record<Locale, Messages> = { 'zh-CN': zhCN, en };
const storageKey = 'mianzheng.locale';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function readStoredLocale(): Locale {
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(readStoredLocale);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = dictionaries[locale]['app.fullName'];
  }, [locale]);

  const value = useMemo<I18nValue>(() => {
    const dict = dictionaries[locale];
    return { locale, setLocale, t: (key, params) => format(dict[key], params) };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/**
 * The zone every time is shown in: deadlines, report months and signed commitments are counted
 * in Beijing time, whatever the zone of the browser (a kiosk or a machine set to UTC included).
 */
export const displayTimeZone = 'Asia/Shanghai';

/**
 * The instant a date-time picked on the screen means: its wall-clock reading taken as Beijing
 * time (the zone times are shown in), with the offset stated — not in the browser's zone, in which
 * 00:00 picked on a machine set to UTC is 08:00 in Beijing.
 */
export function beijingInstant(picked: { format(template: string): string }): string {
  return `${picked.format('YYYY-MM-DDTHH:mm:ss')}+08:00`;
}

/** Formats an ISO timestamp for the current locale, in Beijing time; returns the input if unparsable. */
export function formatDateTime(iso: string | undefined | null, locale: Locale): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: displayTimeZone,
  }).format(date);
}
