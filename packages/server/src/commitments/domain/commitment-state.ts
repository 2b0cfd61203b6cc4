/** Commitment status transitions: signed once by the applicant, or declined (voluntary); a post-check may find a signed one false. */
export type CommitmentStatus = 'pending_signature' | 'signed' | 'declined' | 'found_false';
export type CommitmentEvent = 'sign' | 'decline' | 'find_false';

export const COMMITMENT_TRANSITIONS: Readonly<Record<CommitmentStatus, Partial<Record<CommitmentEvent, CommitmentStatus>>>> = {
  pending_signature: { sign: 'signed', decline: 'declined' },
  signed: { find_false: 'found_false' },
  declined: {},
  found_false: {},
};

export function nextCommitmentStatus(from: CommitmentStatus, event: CommitmentEvent): CommitmentStatus | undefined {
  return COMMITMENT_TRANSITIONS[from][event];
}
