/**
 * Notifications port. The in-app adapter writes in the caller's transaction (so a
 * notification exists exactly when the decision it announces does); SMS and e-mail
 * adapters would read the same messages from an outbox later.
 *
 * Every notice is written in both languages the UI speaks: zh-CN (`title`, `body`) first and
 * English (`titleEn`, `bodyEn`) second; names kept in Chinese only (a service item's, a proof's,
 * a department's) appear as they are in both.
 */
export interface Notification {
  recipientAccountId: string;
  kind: 'application.decided' | 'application.returned' | 'application.awaiting' | 'commitment.to_sign' | 'verification.escalated' | 'verification.deadline_extended' | 'post_check.assigned' | 'credit.recorded' | string;
  title: string;
  body: string;
  titleEn: string;
  bodyEn: string;
  link?: string | null;
}

export interface Notifier<Tx> {
  notify(trx: Tx, n: Notification): Promise<void>;
}
