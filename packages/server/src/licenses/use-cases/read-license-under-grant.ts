import type { Selectable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { accessLogWriter } from '../../audit/adapters/access-log-writer.ts';
import { accessesWithNamedPersons, type DataAccess } from '../../audit/use-cases/record-data-access.ts';
import { namedPersons } from '../../audit/domain/named-persons.ts';
import { shanghaiDate } from '../../shared/calendar/working-days.ts';
import { hasRole, isServiceActor, type Actor } from '../../identity/domain/roles.ts';
import { findInHandApplication } from '../../applications/adapters/in-hand.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { grantCovers, grantState, licenseUsable, pickGrantedLicense } from '../domain/grant.ts';
import { chinaDate } from '../domain/license-document.ts';
import type { LicenseStatus } from '../domain/license-status.ts';
import { RESERVED_CLAIMS } from '../domain/license-type.ts';
import { CheckList, checkLicense, type Verification } from '../domain/verification.ts';
import { licenseCrypto } from '../adapters/license-crypto.ts';
import { cachedDepartment, cachedLicenseType, findLicenseRow, HOLDER_PII_KIND, openDocument, readingFields, type LicenseRow } from '../adapters/license-store.ts';
import { displayFields, registryFacts, type DisplayedField } from './verify-license.ts';

export interface ReadUnderGrantInput {
  /** The license, by id … */
  licenseId?: string;
  /**
   * … or by holder code (identity number / USCC) and license type code: then the license the
   * holder granted for this use — of their licenses of the type with a live grant covering it,
   * the newest usable one (domain/grant.ts, pickGrantedLicense).
   */
  holderCode?: string;
  licenseTypeCode?: string;
  /** The department that reads; must be the actor's own. */
  departmentId: string;
  /**
   * The purpose the grant must name: a service item, an application, or both. A member of staff
   * reading on their own must name an application of their department in hand whose applicant
   * is the holder (its service item is then the one the grant is checked for); the application
   * engine is bound to the application it resolves.
   */
  serviceItemCode?: string | null;
  applicationRef?: string | null;
  /** 申请事由, as the holder will read it in the access log. */
  purpose: string;
}

/** `no_grant` also answers for a license that does not exist: a department without a live grant learns nothing about what a person holds. */
export type ReadUnderGrantFailure =
  | 'no_grant' | 'grant_revoked' | 'grant_expired' | 'license_revoked' | 'license_suspended' | 'license_expired' | 'verification_failed' | 'no_open_case';

export interface GrantedLicense {
  id: string; identifier: string; licenseNumber: string; licenseType: { code: string; name: string }; issuer: { code: string; name: string };
  holder: { name: string; code: string; codeType: '111' | '001' }; issuedAt: string; validFrom: string; validUntil: string | null; status: LicenseStatus;
  fields: DisplayedField[];
}

export type ReadUnderGrantResult =
  | { ok: true; license: GrantedLicense; verification: Verification; grantId: string; accessLogId: string }
  | { ok: false; reason: ReadUnderGrantFailure; message: string; messageEn: string; verification?: Verification; accessLogId?: string };

const MESSAGES: Record<ReadUnderGrantFailure, [string, string]> = {
  no_grant: ['持证人未授权本部门为该用途使用此证照', 'The holder has not granted this department use of the license for this purpose'],
  grant_revoked: ['持证人已撤销授权', 'The holder revoked the grant'],
  grant_expired: ['授权已过期', 'The grant has expired'],
  license_revoked: ['证照已吊销', 'The license is revoked'],
  license_suspended: ['证照已暂停使用', 'The license is suspended'],
  license_expired: ['证照已过有效期', 'The license has expired'],
  verification_failed: ['证照验证未通过', 'The license failed verification'],
  no_open_case: ['办件编号不是本部门在办的办件', 'The application reference names no application your department has in hand'],
};

const fail = (reason: ReadUnderGrantFailure, extra: { verification?: Verification; accessLogId?: string } = {}): ReadUnderGrantResult =>
  ({ ok: false, reason, message: MESSAGES[reason][0], messageEn: MESSAGES[reason][1], ...extra });

type GrantRow = Selectable<DB['license_grants']>;
interface Target { row: LicenseRow; grants: GrantRow[] }

/** Grants that cover the use: the department's, for its purpose, and the holder's own (for an application, only when the holder is its applicant). */
function coveringGrants(row: LicenseRow, grants: GrantRow[], input: ReadUnderGrantInput, applicantHash: string | undefined): GrantRow[] {
  if (applicantHash !== undefined && applicantHash !== row.holder_hash) return [];
  return grants.filter((g) => g.license_id === row.id && grantCovers({
    departmentId: g.department_id, serviceItemCode: g.service_item_code, applicationRef: g.application_ref, validUntil: new Date(g.valid_until), revokedAt: g.revoked_at ? new Date(g.revoked_at) : null,
  }, input));
}

const stateOf = (g: GrantRow, now: Date) => grantState({ validUntil: new Date(g.valid_until), revokedAt: g.revoked_at ? new Date(g.revoked_at) : null }, now);

/**
 * The license named by id, or — named by holder and type — the one the holder granted for this
 * use (pickGrantedLicense: the newest usable granted one …), with the department's grants covering it.
 */
async function findTarget(input: ReadUnderGrantInput, deps: Deps, applicantHash: string | undefined, now: Date): Promise<Target | undefined> {
  const grantsOf = (ids: string[]) => ids.length === 0 ? Promise.resolve([] as GrantRow[])
    : deps.db.selectFrom('license_grants').selectAll().where('license_id', 'in', ids).where('department_id', '=', input.departmentId).orderBy('created_at', 'desc').orderBy('id').execute();
  if (input.licenseId) {
    const row = await findLicenseRow(deps.db, input.licenseId);
    return row ? { row, grants: coveringGrants(row, await grantsOf([row.id]), input, applicantHash) } : undefined;
  }
  if (!input.holderCode || !input.licenseTypeCode) throw new AppError('REQUEST.INVALID', { field: 'licenseId', message: '请提供证照 ID，或持证主体代码与证照类型代码', messageEn: 'Give licenseId, or holderCode and licenseTypeCode' });
  const rows = await deps.db.selectFrom('licenses').selectAll().where('holder_hash', '=', deps.pii.lookupHash(input.holderCode.trim().toUpperCase())).where('type_code', '=', input.licenseTypeCode)
    .orderBy('issued_at', 'desc').orderBy('id', 'desc').execute();
  const grants = await grantsOf(rows.map((r) => r.id));
  const candidates = rows.map((row) => {
    const covering = coveringGrants(row, grants, input, applicantHash);
    return { row, grants: covering, status: row.status, validFrom: row.valid_from, validUntil: row.valid_until, granted: covering.some((g) => stateOf(g, now) === 'live') };
  });
  const picked = pickGrantedLicense(candidates, chinaDate(now));
  return picked ? { row: picked.row, grants: picked.grants } : undefined;
}

/**
 * Whether the holder has a license of the type that can be used today (valid, within its
 * validity period) — one they could grant. For the application engine, which works on the
 * holder's own application and may look into their wallet; never an answer to a department.
 */
export async function holdsUsableLicense(deps: Deps, holderCode: string, licenseTypeCode: string): Promise<boolean> {
  const rows = await deps.db.selectFrom('licenses').select(['status', 'valid_from', 'valid_until'])
    .where('holder_hash', '=', deps.pii.lookupHash(holderCode.trim().toUpperCase())).where('type_code', '=', licenseTypeCode).where('status', '=', 'valid').execute();
  const today = chinaDate(deps.now());
  return rows.some((r) => licenseUsable({ status: r.status, validFrom: r.valid_from, validUntil: r.valid_until }, today));
}

/**
 * A department reads a holder's license under a live use grant (用证授权) — the use case other
 * contexts (applications) call. Every read, granted or refused, of an existing license is an
 * access-log entry the holder sees. Returns the verified license or a typed failure; throws
 * only when the actor may not act for the department (AUTH.*) or the input names no license.
 * Without a grant the answer is `no_grant` whether or not the license exists, so the refusal
 * is no existence oracle (who is married, who holds a 残疾人证 …).
 */
export async function readLicenseUnderGrant(input: ReadUnderGrantInput, actor: Actor, deps: Deps): Promise<ReadUnderGrantResult> {
  if (!hasRole(actor, 'clerk', 'issuer')) throw new AppError('AUTH.FORBIDDEN');
  if (actor.departmentId !== input.departmentId) throw new AppError('AUTH.OUT_OF_SCOPE', { field: 'departmentId' });
  if (!input.purpose?.trim()) throw new AppError('REQUEST.INVALID', { field: 'purpose', message: '请填写申请事由', messageEn: 'A purpose is required' });
  if (!input.serviceItemCode && !input.applicationRef) throw new AppError('REQUEST.INVALID', { field: 'serviceItemCode', message: '请指定事项或办件', messageEn: 'Name the service item or application' });
  // a member of staff reading on their own: for an application of the department in hand. Checked before the
  // license is looked up, so the answer says nothing about what the person holds.
  let applicantHash: string | undefined;
  if (!isServiceActor(actor)) {
    const ref = input.applicationRef?.trim();
    if (!ref) throw new AppError('REQUEST.INVALID', { field: 'applicationRef', message: '请填写本部门在办的办件编号', messageEn: 'Name the application in hand the read is for' });
    const app = await findInHandApplication(deps.db, ref, input.departmentId);
    if (!app) return fail('no_open_case');
    if (input.serviceItemCode && input.serviceItemCode !== app.service_item_code) {
      throw new AppError('REQUEST.INVALID', { field: 'serviceItemCode', message: `办件 ${ref} 办理的是“${app.service_item_name}”，与所填事项不符`, messageEn: `Application ${ref} is for ${app.service_item_code}` });
    }
    input = { ...input, applicationRef: ref, serviceItemCode: app.service_item_code };
    applicantHash = app.applicant_code_hash;
  }
  const now = deps.now();
  const target = await findTarget(input, deps, applicantHash, now);
  // the same answer as for an existing license the department has no grant for (no access-log
  // entry: there is no holder to show it to)
  if (!target) return fail('no_grant');
  const { row } = target;
  const [dept, type, fields] = await Promise.all([cachedDepartment(deps, input.departmentId), cachedLicenseType(deps, row.type_code), readingFields(deps, row.type_code, row.type_version)]);
  // a grant is the holder's, for their own application: none covers a read for someone else's (coveringGrants)
  const states = target.grants.map((g) => ({ g, state: stateOf(g, now) }));
  const live = states.find((s) => s.state === 'live');
  const holderCode = deps.pii.reveal(row.holder_enc, HOLDER_PII_KIND);
  // committed before the result is returned; concurrent reads share one transaction (group commit)
  const entry = (outcome: string, detail: Record<string, unknown>, legalBasis: string): DataAccess => ({
    subjectCode: holderCode, subjectKind: row.holder_kind === '111' ? 'person' : 'enterprise', accessorDepartmentId: input.departmentId, accessorName: dept?.name ?? input.departmentId,
    accessorAccountId: actor.id, accessorRole: hasRole(actor, 'clerk') ? 'clerk' : 'issuer', dataItem: `license:${row.type_code}`, dataItemLabel: type?.name ?? row.type_code,
    purpose: input.purpose.trim(), applicationRef: input.applicationRef ?? null, legalBasis, outcome, detail: { licenseId: row.id, identifier: row.identifier, ...detail },
  });
  const log = (outcome: string, detail: Record<string, unknown>, legalBasis: string) => accessLogWriter(deps.db, deps.pii).write(entry(outcome, detail, legalBasis));
  if (!live) {
    const reason: ReadUnderGrantFailure = states.some((s) => s.state === 'revoked') ? 'grant_revoked' : states.some((s) => s.state === 'expired') ? 'grant_expired' : 'no_grant';
    const accessLogId = await log('denied', { reason }, '无有效用证授权，未提供证照内容');
    // no_grant carries no accessLogId: its presence would tell an existing license from a missing one
    return fail(reason, reason === 'no_grant' ? {} : { accessLogId });
  }
  const doc = openDocument(deps, row);
  const list = new CheckList();
  const out = checkLicense(doc, doc.disclosures, await registryFacts(doc, deps, row), licenseCrypto, list);
  const verification = list.result();
  const legalBasis = `持证人用证授权（${live.g.id}）；${type?.legalBasis ?? ''}`;
  if (!verification.verified || !out) {
    const failed = verification.errors.map((e) => e.code);
    const reason: ReadUnderGrantFailure = failed.includes('LICENSE.REVOKED') ? 'license_revoked' : failed.includes('LICENSE.SUSPENDED') ? 'license_suspended'
      : failed.includes('LICENSE.EXPIRED') ? 'license_expired' : 'verification_failed';
    const accessLogId = await log('rejected', { reason, grantId: live.g.id }, legalBasis);
    return fail(reason, { verification, accessLogId });
  }
  // the holder's entry, and one for each person the license names in any field it hands over, clear or disclosed
  // (the spouse on a 结婚证): their data is read too
  const writer = accessLogWriter(deps.db, deps.pii);
  const [accessLogId] = await Promise.all(accessesWithNamedPersons(entry('answered', { grantId: live.g.id }, legalBasis), namedPersons({ ...doc.claims, ...out.claims }, holderCode, fields, { ignore: RESERVED_CLAIMS, today: shanghaiDate(now) })).map((a) => writer.write(a))) as [string, ...string[]];
  return {
    ok: true, grantId: live.g.id, accessLogId, verification,
    license: {
      id: row.id, identifier: doc.identifier, licenseNumber: doc.licenseNumber, licenseType: doc.licenseType, issuer: doc.issuer,
      holder: { name: String(out.claims.holderName ?? ''), code: String(out.claims.holderCode ?? ''), codeType: doc.holder.codeType },
      issuedAt: doc.issuedAt, validFrom: doc.validFrom, validUntil: doc.validUntil, status: row.status, fields: displayFields(doc, out.claims, fields),
    },
  };
}
