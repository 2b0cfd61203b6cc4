import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { chinaDate, type LicenseDocument } from '../domain/license-document.ts';
import type { LicenseStatus } from '../domain/license-status.ts';
import { decodeDisclosure } from '../domain/selective-disclosure.ts';
import type { FieldValue } from '../domain/license-type.ts';
import { holderHashOf, openDocument, readingFields } from '../adapters/license-store.ts';
import { getHeldLicense, listGrants, type GrantView } from './grant-license-use.ts';
import { displayFields, type DisplayedField } from './verify-license.ts';

export interface LicenseUse { id: string; at: string; accessorName: string; purpose: string; applicationRef: string | null; legalBasis: string; outcome: string }

export interface WalletLicense {
  id: string; identifier: string; licenseNumber: string; licenseType: { code: string; name: string }; issuer: { code: string; name: string };
  status: LicenseStatus; expired: boolean; validFrom: string; validUntil: string | null; issuedAt: string; suite: string;
  fields: DisplayedField[]; grants: GrantView[]; uses: LicenseUse[];
  statusHistory: { at: string; action: string; from: string; to: string; reason: string }[];
}

function claimsOf(doc: LicenseDocument): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const d of doc.disclosures) {
    const x = decodeDisclosure(d);
    if (x) out[x.name] = x.value;
  }
  return out;
}

/**
 * 我的证照: every license held by the signed-in person or enterprise (matched by the keyed hash
 * of their identity number / USCC), with its fields, status and status history, the grants given
 * and every use of it from the access log.
 */
export async function listMyLicenses(actor: Actor, deps: Deps): Promise<{ items: WalletLicense[] }> {
  const holderHash = await holderHashOf(deps.db, actor.id);
  if (!holderHash) return { items: [] };
  const rows = await deps.db.selectFrom('licenses').innerJoin('license_types', 'license_types.code', 'licenses.type_code')
    .selectAll('licenses').select('license_types.name as type_name').where('licenses.holder_hash', '=', holderHash).orderBy('licenses.issued_at', 'desc').execute();
  if (rows.length === 0) return { items: [] };
  const ids = rows.map((r) => r.id);
  const [grants, uses, events] = await Promise.all([
    listGrants(holderHash, deps),
    deps.db.selectFrom('access_log').select(['id', 'at', 'accessor_name', 'purpose', 'application_ref', 'legal_basis', 'outcome', 'detail'])
      .where('subject_hash', '=', holderHash).where('data_item', 'like', 'license:%').orderBy('at', 'desc').execute(),
    deps.db.selectFrom('license_status_events').selectAll().where('license_id', 'in', ids).orderBy('at').execute(),
  ]);
  const today = chinaDate(deps.now());
  const items: WalletLicense[] = [];
  for (const r of rows) {
    const doc = openDocument(deps, r);
    items.push({
      id: r.id, identifier: r.identifier, licenseNumber: r.license_number, licenseType: { code: r.type_code, name: r.type_name }, issuer: doc.issuer,
      status: r.status, expired: r.valid_until !== null && today > r.valid_until, validFrom: r.valid_from, validUntil: r.valid_until,
      issuedAt: new Date(r.issued_at).toISOString(), suite: r.suite, fields: displayFields(doc, claimsOf(doc), await readingFields(deps, r.type_code, r.type_version)),
      grants: grants.filter((g) => g.licenseId === r.id),
      uses: uses.filter((u) => (u.detail as { licenseId?: string }).licenseId === r.id).map((u) => ({
        id: u.id, at: new Date(u.at).toISOString(), accessorName: u.accessor_name, purpose: u.purpose, applicationRef: u.application_ref, legalBasis: u.legal_basis, outcome: u.outcome,
      })),
      statusHistory: events.filter((e) => e.license_id === r.id).map((e) => ({ at: new Date(e.at).toISOString(), action: e.action, from: e.from_status, to: e.to_status, reason: e.reason })),
    });
  }
  return { items };
}

/** The holder's full signed document (with every disclosure), e.g. to verify it offline with the CLI. */
export async function getMyLicenseDocument(licenseId: string, actor: Actor, deps: Deps): Promise<LicenseDocument> {
  const { row } = await getHeldLicense(licenseId, actor, deps);
  return openDocument(deps, row);
}
