import { describe, expect, it } from 'vitest';
import { APPLICATION_EVENTS, APPLICATION_STATUSES, isTerminal, nextStatus, type ApplicationEvent, type ApplicationStatus } from '../../src/applications/domain/lifecycle.ts';

/** The whole table, written out independently of the implementation: every allowed transition. */
const ALLOWED: Record<string, ApplicationStatus> = {
  'draft/submit': 'submitted', 'draft/withdraw': 'withdrawn',
  'submitted/begin_resolution': 'resolving', 'submitted/withdraw': 'withdrawn',
  'resolving/wait': 'awaiting', 'resolving/resolved': 'under_review',
  'awaiting/resolved': 'under_review', 'awaiting/withdraw': 'withdrawn',
  'under_review/approve': 'approved', 'under_review/reject': 'rejected', 'under_review/return': 'returned', 'under_review/withdraw': 'withdrawn',
  'returned/resubmit': 'submitted', 'returned/withdraw': 'withdrawn',
  'approved/complete': 'completed',
};

describe('application lifecycle transition table', () => {
  const pairs = APPLICATION_STATUSES.flatMap((s) => APPLICATION_EVENTS.map((e) => [s, e] as [ApplicationStatus, ApplicationEvent]));
  it('covers every state × event pair (10 × 10)', () => {
    expect(pairs).toHaveLength(100);
  });
  it.each(pairs.filter(([s, e]) => ALLOWED[`${s}/${e}`]))('%s --%s--> allowed', (s, e) => {
    expect(nextStatus(s, e)).toBe(ALLOWED[`${s}/${e}`]);
  });
  it.each(pairs.filter(([s, e]) => !ALLOWED[`${s}/${e}`]))('%s --%s--> forbidden', (s, e) => {
    expect(nextStatus(s, e)).toBeUndefined();
  });
  it('has exactly the terminal states rejected, completed, withdrawn', () => {
    expect(APPLICATION_STATUSES.filter(isTerminal)).toEqual(['rejected', 'completed', 'withdrawn']);
  });
});
