import type { ErrorTable } from '../shared/errors.ts';

/** Error codes of the agents context (AGENT.*): 帮办代办 authorizations and walk-in identity checks. */
export const AGENT_ERRORS = {
  'AGENT.NOT_AUTHORIZED': [403, '您没有该申请人对此事项的有效代办授权', 'You hold no current authorization of this applicant for this service'],
  'AGENT.NOT_AN_AGENT': [422, '被授权账号不是帮办代办人员', 'The account is not an agent'],
  'AGENT.AUTHORIZATION_NOT_FOUND': [404, '代办授权不存在', 'No such authorization'],
  'AGENT.INVALID_PERIOD': [422, '授权期限不正确（开始须早于结束，且最长一年）', 'Invalid period (start before end, at most one year)'],
  'AGENT.ALREADY_REVOKED': [409, '该授权已撤销', 'The authorization was already revoked'],
  'AGENT.IDENTITY_CHECK_NOT_FOUND': [404, '身份核验记录不存在', 'No such identity check'],
  'AGENT.IDENTITY_CHECK_FAILED': [422, '身份核验未通过', 'The identity check did not pass'],
  'AGENT.IDENTITY_CHECK_EXPIRED': [409, '身份核验已过期，请重新核验', 'The identity check has expired; check again'],
} as const satisfies ErrorTable;
