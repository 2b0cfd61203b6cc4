/**
 * Why data may be asked for. No data leaves a provider without one of these purposes and
 * an application (or verification) reference.
 */
export const PURPOSES = {
  application_review: { zh: '办件受理审核', en: 'Reviewing an application' },
  dept_verification: { zh: '部门核验', en: 'Department verification' },
  post_check: { zh: '告知承诺事中事后核查', en: 'Post-check of a commitment' },
} as const;

export type PurposeCode = keyof typeof PURPOSES;

export function purposeLabel(code: string): { zh: string; en: string } {
  return (PURPOSES as Record<string, { zh: string; en: string }>)[code] ?? { zh: code, en: code };
}
