/**
 * The application (办件) a member of staff names when they use a person's data on their own —
 * a data-sharing query, a license read under the holder's grant: it must be an application
 * of their department that is in hand (IN_HAND_STATUSES). Read-only; the application engine
 * is bound to the application it resolves and does not look here.
 */
import type { Db } from '../../db/database.ts';
import { IN_HAND_STATUSES } from '../domain/lifecycle.ts';

export interface InHandApplication {
  ref: string;
  service_item_code: string;
  service_item_name: string;
  /** lookup hash of the applicant's identity number or USCC (deps.pii.lookupHash) */
  applicant_code_hash: string;
}

export async function findInHandApplication(db: Db, ref: string, departmentId: string): Promise<InHandApplication | undefined> {
  return db.selectFrom('applications').select(['ref', 'service_item_code', 'service_item_name', 'applicant_code_hash'])
    .where('ref', '=', ref).where('department_id', '=', departmentId).where('status', 'in', [...IN_HAND_STATUSES]).executeTakeFirst();
}
