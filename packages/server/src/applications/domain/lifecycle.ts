/**
 * The application (办件) lifecycle as a transition table. Every (state, event) pair not in
 * the table is forbidden; `nextStatus` returns undefined for it and the use case answers
 * 409 APPLICATION.INVALID_TRANSITION.
 */
export const APPLICATION_STATUSES = ['draft', 'submitted', 'resolving', 'awaiting', 'under_review', 'approved', 'rejected', 'returned', 'completed', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const APPLICATION_EVENTS = ['submit', 'begin_resolution', 'wait', 'resolved', 'approve', 'reject', 'return', 'resubmit', 'complete', 'withdraw'] as const;
export type ApplicationEvent = (typeof APPLICATION_EVENTS)[number];

export const TRANSITIONS: Readonly<Record<ApplicationStatus, Partial<Record<ApplicationEvent, ApplicationStatus>>>> = {
  draft: { submit: 'submitted', withdraw: 'withdrawn' },
  submitted: { begin_resolution: 'resolving', withdraw: 'withdrawn' },
  resolving: { wait: 'awaiting', resolved: 'under_review' },
  awaiting: { resolved: 'under_review', withdraw: 'withdrawn' },
  under_review: { approve: 'approved', reject: 'rejected', return: 'returned', withdraw: 'withdrawn' },
  returned: { resubmit: 'submitted', withdraw: 'withdrawn' },
  approved: { complete: 'completed' },
  rejected: {},
  completed: {},
  withdrawn: {},
};

/**
 * The statuses in which the accepting department is handling the application (在办): filed and
 * not yet decided, including while it is back with the applicant for correction. A window
 * clerk's own data-sharing queries and license reads must name such an application (adapters/in-hand.ts).
 */
export const IN_HAND_STATUSES = ['submitted', 'resolving', 'awaiting', 'under_review', 'returned'] as const satisfies readonly ApplicationStatus[];

export function nextStatus(from: ApplicationStatus, event: ApplicationEvent): ApplicationStatus | undefined {
  return TRANSITIONS[from][event];
}

export function isTerminal(s: ApplicationStatus): boolean {
  return Object.keys(TRANSITIONS[s]).length === 0;
}

export function isApplicationStatus(s: string): s is ApplicationStatus {
  return (APPLICATION_STATUSES as readonly string[]).includes(s);
}

export const STATUS_LABELS: Record<ApplicationStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已提交', en: 'Submitted' },
  resolving: { zh: '材料核验中', en: 'Resolving materials' },
  awaiting: { zh: '等待核验/补充', en: 'Awaiting verification or data' },
  under_review: { zh: '审核中', en: 'Under review' },
  approved: { zh: '已准予', en: 'Approved' },
  rejected: { zh: '不予许可', en: 'Rejected' },
  returned: { zh: '退回补正', en: 'Returned for correction' },
  completed: { zh: '已办结', en: 'Completed' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};
