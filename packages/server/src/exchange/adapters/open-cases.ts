/**
 * The case a staff member's own data-sharing query must serve (查询须有在办事项). A window clerk
 * or issuing-department staff may ask a provider about a person or an enterprise only for a
 * case of their department that is open and is about that subject; a typed reference that
 * names no such case is refused before anything is sent. The application engine is bound to
 * the application it resolves and does not come through here.
 */
import type { Db } from '../../db/database.ts';
import { findInHandApplication } from '../../applications/adapters/in-hand.ts';

export interface CaseQuestion {
  purpose: string;
  /** the application number (办件编号) the query names */
  ref: string;
  departmentId: string;
  /** lookup hash of the subject's identity number or USCC (deps.pii.lookupHash) */
  subjectHash: string;
}

/**
 * application_review → an application of the department in hand (findInHandApplication) whose applicant is the subject;
 * dept_verification  → a verification request to the department, pending or escalated, about the subject;
 * post_check         → an open post-check task assigned to the department about the subject.
 */
export async function openCaseCovers(db: Db, q: CaseQuestion): Promise<boolean> {
  switch (q.purpose) {
    case 'application_review':
      return (await findInHandApplication(db, q.ref, q.departmentId))?.applicant_code_hash === q.subjectHash;
    case 'dept_verification':
      return !!(await db.selectFrom('verification_requests').select('id')
        .where('application_ref', '=', q.ref).where('issuing_department_id', '=', q.departmentId).where('subject_code_hash', '=', q.subjectHash)
        .where('status', 'in', ['pending', 'escalated']).limit(1).executeTakeFirst());
    case 'post_check':
      return !!(await db.selectFrom('post_checks').select('id')
        .where('application_ref', '=', q.ref).where('assigned_department_id', '=', q.departmentId).where('subject_code_hash', '=', q.subjectHash)
        .where('status', '=', 'open').limit(1).executeTakeFirst());
    default:
      return false;
  }
}
