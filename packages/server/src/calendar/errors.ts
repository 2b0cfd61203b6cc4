import type { ErrorTable } from '../shared/errors.ts';

/** Errors of the official calendar (节假日安排): every one names the field at fault (days.3.date). */
export const CALENDAR_ERRORS = {
  'CALENDAR.INVALID_DATE': [400, '日期不存在或格式不正确（应为 YYYY-MM-DD）', 'Not a real date (YYYY-MM-DD)'],
  'CALENDAR.DATE_OUTSIDE_YEAR': [400, '日期不在所编辑的年份内', 'The date is not in the year being edited'],
  'CALENDAR.DUPLICATE_DATE': [400, '同一日期只能录入一次', 'A date may be entered only once'],
  'CALENDAR.NAME_REQUIRED': [400, '请填写名称（1–40 个字符）', 'Enter a name (1–40 characters)'],
  'CALENDAR.PROVINCE_ONLY': [403, '放假安排由省级数据管理员录入，市、县（区）数据管理员只能查看', 'The province\'s data administrator enters the holiday notice; a city or county data administrator may only read it'],
  'CALENDAR.STATUTORY_HOLIDAY': [400, '法定节假日不能设为工作日', 'A statutory holiday cannot be a working day'],
} as const satisfies ErrorTable;
