/** Department verification request (部门核验) status transitions. */
export type VerificationStatus = 'pending' | 'escalated' | 'confirmed' | 'denied' | 'withdrawn';
/** withdraw: the applicant no longer needs it (application withdrawn, material met another way) */
export type VerificationEvent = 'confirm' | 'deny' | 'escalate' | 'withdraw';

export const VERIFICATION_TRANSITIONS: Readonly<Record<VerificationStatus, Partial<Record<VerificationEvent, VerificationStatus>>>> = {
  pending: { confirm: 'confirmed', deny: 'denied', escalate: 'escalated', withdraw: 'withdrawn' },
  escalated: { confirm: 'confirmed', deny: 'denied', withdraw: 'withdrawn' },
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
