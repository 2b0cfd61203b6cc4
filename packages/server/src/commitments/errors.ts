import type { ErrorTable } from '../shared/errors.ts';

/** Error codes of the commitments context (COMMITMENT.*). */
export const COMMITMENT_ERRORS = {
  'COMMITMENT.NOT_FOUND': [404, '承诺书不存在', 'No such commitment'],
  'COMMITMENT.SIGNER_NOT_APPLICANT': [403, '告知承诺书只能由申请人本人签署，他人（包括代办人）不能代为承诺', 'Only the applicant may sign a commitment; nobody (an agent included) signs for them'],
  'COMMITMENT.NOT_PENDING': [409, '该承诺书已签署或已放弃', 'The commitment was already signed or declined'],
  'COMMITMENT.EXCLUDED_BY_CREDIT': [409, '您有未修复的失信记录，暂不能选择告知承诺方式', 'An active credit record withdraws the commitment route'],
  'COMMITMENT.CONSENT_REQUIRED': [422, '请逐项确认承诺内容', 'Every commitment statement must be confirmed'],
  'COMMITMENT.IDENTITY_CHECK_REQUIRED': [422, '现场签署需要申请人本人的有效身份核验', 'Signing in person needs a current identity check of the applicant'],
  'COMMITMENT.PDF_FONT_UNAVAILABLE': [503, '服务器缺少中文字体，暂不能生成 PDF', 'No CJK font on the server; the PDF cannot be produced'],
} as const satisfies ErrorTable;
