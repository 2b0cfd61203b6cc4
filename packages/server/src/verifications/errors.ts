import type { ErrorTable } from '../shared/errors.ts';

/** Error codes of the verifications context (VERIFICATION.*). */
export const VERIFICATION_ERRORS = {
  'VERIFICATION.NOT_FOUND': [404, '核验请求不存在', 'No such verification request'],
  'VERIFICATION.ALREADY_ANSWERED': [409, '该核验请求已答复', 'The verification request was already answered'],
  'VERIFICATION.REASON_REQUIRED': [422, '答复需要说明理由', 'An answer needs a reason'],
  'VERIFICATION.WITHDRAWN': [409, '申请人已撤回申请或改用其他方式，该核验无需答复', 'The applicant withdrew the application or met the material another way; nothing is left to verify'],
} as const satisfies ErrorTable;
