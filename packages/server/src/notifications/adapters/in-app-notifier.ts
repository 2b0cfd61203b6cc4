import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Notification, Notifier } from '../domain/notifier.ts';

/** The in-app adapter: a row the recipient reads at GET /api/v1/me/notifications. */
export class InAppNotifier implements Notifier<Transaction<DB>> {
  constructor(private readonly now: () => Date) {}

  async notify(trx: Transaction<DB>, n: Notification): Promise<void> {
    await trx.insertInto('notifications').values({
      id: randomUUID(), recipient_account_id: n.recipientAccountId, kind: n.kind, title: n.title, body: n.body, title_en: n.titleEn, body_en: n.bodyEn,
      link: n.link ?? null, created_at: this.now(),
    }).execute();
  }
}
