import { Type } from 'typebox';

/**
 * A date-time the API accepts: RFC 3339 with an explicit offset, `Z` or `±hh:mm`
 * (2026-03-01T18:00:00+08:00, 2026-03-01T10:00:00Z). Without an offset a value such as
 * 2026-03-01T18:00:00 would be read in the server's time zone — a grant or a mandate would end
 * hours earlier or later than the person meant — so it is refused, as are the forms JavaScript
 * reads differently or not at all (`+08`, `+0800`, a leap second, a lower-case `t`/`z`).
 */
export const OFFSET_DATE_TIME_PATTERN =
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$';

const OFFSET_DATE_TIME = new RegExp(OFFSET_DATE_TIME_PATTERN);
const EXAMPLE = '2026-03-01T18:00:00+08:00';

/**
 * The one schema of every date-time input (body, query string): the pattern above, and the
 * `date-time` format for the calendar (no 30 February). A value that fails either is refused by
 * validation as 400 REQUEST.INVALID naming the field, the reason in details ({@link dateTimeInputProblem}).
 */
export function DateTimeInput(options: { description?: string } = {}) {
  return Type.String({
    format: 'date-time', pattern: OFFSET_DATE_TIME_PATTERN, maxLength: 40,
    description: `${options.description ? `${options.description}. ` : ''}RFC 3339 date-time with an explicit offset, Z or ±hh:mm (e.g. ${EXAMPLE})`,
  });
}

export type DateTimeProblem = 'offset_required' | 'offset_invalid' | 'invalid_date' | 'malformed';

/** A date, a time of day, and whatever follows as the offset: 2026-03-01T18:00, 2026-03-01 18:00:00.5+0800 */
const PARTS = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(.*)$/;
const OFFSET = /^(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * Why a value is not a date-time input (undefined: it is one): no offset (`offset_required`),
 * an offset not written Z or ±hh:mm (`offset_invalid`), a date that does not exist
 * (`invalid_date`), anything else (`malformed`).
 */
export function dateTimeInputProblem(value: unknown): DateTimeProblem | undefined {
  if (typeof value !== 'string') return 'malformed';
  if (OFFSET_DATE_TIME.test(value)) {
    // the pattern holds; the date must exist (2026-02-30 does not)
    const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
    const probe = new Date(0);
    probe.setUTCFullYear(y, m - 1, d);
    return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d ? undefined : 'invalid_date';
  }
  const parts = PARTS.exec(value);
  if (!parts) return 'malformed';
  const offset = parts[1]!;
  if (offset === '') return 'offset_required';
  return OFFSET.test(offset) ? 'malformed' : 'offset_invalid';
}

const MESSAGES: Record<DateTimeProblem, { zh: string; en: string }> = {
  offset_required: {
    zh: `日期时间须注明时区偏移（Z 或 ±hh:mm），如 ${EXAMPLE}；未注明时区的时间会按服务器时区理解`,
    en: `The date-time must state its offset (Z or ±hh:mm), e.g. ${EXAMPLE}; without one it would be read in the server's time zone`,
  },
  offset_invalid: {
    zh: `时区偏移须写作 Z 或 ±hh:mm（如 +08:00），如 ${EXAMPLE}`,
    en: `The offset must be written Z or ±hh:mm (e.g. +08:00), as in ${EXAMPLE}`,
  },
  invalid_date: { zh: '日期或时间不存在', en: 'No such date or time' },
  malformed: {
    zh: `应为带时区偏移的日期时间（RFC 3339），如 ${EXAMPLE}`,
    en: `Must be an RFC 3339 date-time with an offset, e.g. ${EXAMPLE}`,
  },
};

/**
 * The answer to a validation error on a date-time input: its message and details
 * (`{ reason, expected }`); undefined when the error is not about a {@link DateTimeInput}.
 * `keyword` and `params` are the validator's, `value` the value refused.
 */
export function dateTimeValidation(keyword: string | undefined, params: Record<string, unknown>, value: unknown):
  { zh: string; en: string; details: { reason: DateTimeProblem; expected: string } } | undefined {
  const ours = (keyword === 'pattern' && params.pattern === OFFSET_DATE_TIME_PATTERN) || (keyword === 'format' && params.format === 'date-time');
  if (!ours) return undefined;
  const reason = dateTimeInputProblem(value) ?? 'invalid_date';
  return { ...MESSAGES[reason], details: { reason, expected: 'YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)' } };
}
