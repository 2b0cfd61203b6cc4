import type { Locale } from '../../shell/i18n/i18n';
import type { Notification } from './applications-api';

/**
 * A notice's title and body in the reader's language, with the language they are in (for `lang`):
 * English when the notice has it, else its zh-CN — every notice has that; one written before
 * English was kept (titleEn / bodyEn null) is shown in Chinese in either language.
 */
export function notificationText(n: Pick<Notification, 'title' | 'body' | 'titleEn' | 'bodyEn'>, locale: Locale): { title: string; body: string; lang: 'zh-CN' | 'en' } {
  if (locale === 'en' && n.titleEn != null && n.bodyEn != null) return { title: n.titleEn, body: n.bodyEn, lang: 'en' };
  return { title: n.title, body: n.body, lang: 'zh-CN' };
}
