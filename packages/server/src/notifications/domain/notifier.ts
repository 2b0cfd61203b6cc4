/**
 * Notifications port. The in-app adapter writes in the caller's transaction (so a
 * notification exists exactly when the decision it announces does); SMS and e-mail
 * adapters would read the same messages from an outbox later.
 */
export interface Notification {
  recipientAccountId: string;
  kind: 'application.decided' | 'application.returned' | 'application.awaiting' | 'commitment.to_sign' | 'verification.escalated' | 'post_check.assigned' | 'credit.recorded' | string;
  title: string;
  body: string;
  link?: string | null;
}

export interface Notifier<Tx> {
  notify(trx: Tx, n: Notification): Promise<void>;
}
