import type { ErrorTable } from '../shared/errors.ts';

/** Error codes of the credit-supervision context (CREDIT.*). */
export const CREDIT_ERRORS = {
  'CREDIT.POST_CHECK_NOT_FOUND': [404, '核查任务不存在', 'No such post-check'],
  'CREDIT.POST_CHECK_DONE': [409, '该核查任务已完成', 'The post-check is already done'],
  'CREDIT.RECORD_NOT_FOUND': [404, '信用记录不存在', 'No such credit record'],
  'CREDIT.ALREADY_REPAIRED': [409, '该信用记录已修复', 'The credit record was already repaired'],
  'CREDIT.EXPORT_TOO_LARGE': [422, '符合条件的信用记录超过导出上限，请按状态或关键字缩小范围后再导出', 'More credit records match than one export may hold: narrow them by status or keyword'],
  'CREDIT.NOTE_REQUIRED': [422, '核查结论为不实时须说明情况', 'A false result needs a note'],
} as const satisfies ErrorTable;
