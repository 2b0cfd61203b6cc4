/** Department verification request (部门核验) status transitions. */
export type VerificationStatus = 'pending' | 'escalated' | 'confirmed' | 'denied' | 'withdrawn';
/**
 * withdraw: the applicant no longer needs it (application withdrawn, material met another way);
 * extend: a calendar change moved the deadline of an escalated request past now — it is
 * pending again (its escalation stays on record) and escalated again only if that deadline passes.
 */
export type VerificationEvent = 'confirm' | 'deny' | 'escalate' | 'withdraw' | 'extend';

export const VERIFICATION_TRANSITIONS: Readonly<Record<VerificationStatus, Partial<Record<VerificationEvent, VerificationStatus>>>> = {
  pending: { confirm: 'confirmed', deny: 'denied', escalate: 'escalated', withdraw: 'withdrawn' },
  escalated: { confirm: 'confirmed', deny: 'denied', withdraw: 'withdrawn', extend: 'pending' },
  confirmed: {},
  denied: {},
  withdrawn: {},
};

export function nextVerificationStatus(from: VerificationStatus, event: VerificationEvent): VerificationStatus | undefined {
  return VERIFICATION_TRANSITIONS[from][event];
}

/** Working days an issuing department has to answer. */
export const VERIFICATION_WORKING_DAYS = 3;

export function isOverdue(status: VerificationStatus, dueAt: Date, now: Date): boolean {
  return status === 'pending' && now.getTime() > dueAt.getTime();
}

/** On time: answered no later than the deadline. */
export function answeredOnTime(dueAt: Date, answeredAt: Date | null): boolean | null {
  return answeredAt ? answeredAt.getTime() <= dueAt.getTime() : null;
}

/**
 * The status of an open request once a calendar change has moved its deadline: an escalated
 * request whose new deadline has not passed is pending again (extend); otherwise it is unchanged
 * (a pending one now overdue is escalated by the sweep, once).
 */
export function statusAfterDeadlineChange(status: VerificationStatus, dueAt: Date, now: Date): VerificationStatus {
  if (status === 'escalated' && now.getTime() <= dueAt.getTime()) return nextVerificationStatus(status, 'extend')!;
  return status;
}
