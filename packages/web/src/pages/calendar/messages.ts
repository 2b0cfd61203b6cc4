/**
 * Texts of the official-calendar page (节假日安排), zh-CN first with English, kept beside the
 * page (the shell's dictionaries hold only the navigation labels).
 */
import { format, useI18n } from '../../shell/i18n/i18n';

const zh = {
  'title': '节假日安排',
  'subtitle': '核验请求、受理审查等工作日时限按此日历计算：法定节假日、调休上班日。国务院办公厅每年发布放假安排通知后，请在此录入当年的放假日和调休上班日；录入内容优先于内置日历，约一分钟内在所有节点生效。',
  'year': '年份',
  'source': '日历来源',
  'source.package': '内置日历（已含国务院放假安排）',
  'source.statutory': '法定节假日推算（内置日历尚无该年安排）',
  'overridden': '管理员录入 {n} 天',
  'list': '当年非常规日期',
  'listHint': '列出工作日放假、周末上班的日期，以及管理员录入的全部日期。',
  'col.date': '日期',
  'col.kind': '休/班',
  'col.name': '名称',
  'col.source': '来源',
  'work': '班',
  'rest': '休',
  'day.package': '内置日历',
  'day.statutory': '法定节假日',
  'day.override': '管理员录入',
  'empty': '该年没有非常规日期',
  'edit': '录入放假安排',
  'editHint': '按国务院办公厅通知逐日录入：放假日选“休”，调休上班日选“班”。保存后整年的录入内容一并替换。法定节假日不能设为上班。',
  'add': '添加日期',
  'remove': '删除',
  'save': '保存',
  'reset': '撤销修改',
  'saved': '已保存，新的日历已生效',
  'readOnly': '只读',
  'provinceOnly': '放假安排由省级数据管理员录入，您所在的市、县（区）只能查看。',
  'namePlaceholder': '如：春节、国庆节调休上班',
  'noOverrides': '尚未录入',
};
export type CalendarMessageKey = keyof typeof zh;

const en: Record<CalendarMessageKey, string> = {
  'title': 'Official calendar',
  'subtitle': 'Working-day deadlines (verification requests, clerk review) are counted in this calendar: statutory holidays and make-up workdays (调休). When the State Council publishes the year\'s holiday notice, enter its days off and make-up workdays here; they take precedence over the built-in calendar and reach every instance within about a minute.',
  'year': 'Year',
  'source': 'Source',
  'source.package': 'Built-in calendar (with the State Council notice)',
  'source.statutory': 'Statutory holidays only (the built-in calendar lacks this year)',
  'overridden': '{n} days entered by administrators',
  'list': 'Days that differ from Monday–Friday',
  'listHint': 'Holidays on weekdays, working days on weekends, and every date an administrator entered.',
  'col.date': 'Date',
  'col.kind': 'Off / work',
  'col.name': 'Name',
  'col.source': 'Source',
  'work': 'Work',
  'rest': 'Off',
  'day.package': 'Built-in',
  'day.statutory': 'Statutory',
  'day.override': 'Entered',
  'empty': 'No such day in this year',
  'edit': 'Enter the holiday notice',
  'editHint': 'Enter the notice day by day: "Off" for a day off, "Work" for a make-up workday. Saving replaces all of the year\'s entries. A statutory holiday cannot be made a working day.',
  'add': 'Add a date',
  'remove': 'Remove',
  'save': 'Save',
  'reset': 'Discard changes',
  'saved': 'Saved; the new calendar is in force',
  'readOnly': 'Read-only',
  'provinceOnly': 'The province\'s data administrator enters the holiday notice; your city or county reads it.',
  'namePlaceholder': 'e.g. 春节, 国庆节调休上班',
  'noOverrides': 'Nothing entered yet',
};
/** Both dictionaries, for the tests that check them as a whole. */
export const calendarMessages = { zh, en };


export function useCalendarText() {
  const { locale } = useI18n();
  const dict: Record<CalendarMessageKey, string> = locale === 'en' ? en : zh;
  return {
    locale,
    t: (key: CalendarMessageKey, params?: Record<string, string | number>) => format(dict[key], params),
    pick: (zhText: string, enText: string) => (locale === 'en' ? enText : zhText),
  };
}
