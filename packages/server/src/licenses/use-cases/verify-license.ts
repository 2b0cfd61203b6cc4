import { parseLicenseIdentifier } from '@mianzheng/crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { parseSignedLicense, type SignedLicense } from '../domain/license-document.ts';
import type { LicenseStatus } from '../domain/license-status.ts';
import { RESERVED_CLAIM_LABELS, type FieldDefinition, type FieldValue } from '../domain/license-type.ts';
import { CheckList, checkLicense, LICENSE_CHECKS, malformedLicense, type Verification, type VerificationFacts } from '../domain/verification.ts';
import { licenseCrypto } from '../adapters/license-crypto.ts';
import { cachedDepartmentByUscc, findLicenseRowByIdentifier, openDocument, readingFields, type LicenseRow } from '../adapters/license-store.ts';

/** Facts from the platform registry for a parsed document: issuer, key, status. */
export async function registryFacts(doc: SignedLicense, deps: Deps, known?: LicenseRow): Promise<VerificationFacts & { registered: RegisteredLicense | undefined }> {
  const [dept, key, row] = await Promise.all([
    cachedDepartmentByUscc(deps, doc.issuer.code),
    deps.keys.findPublicKey(doc.proof.keyId),
    // the caller's registry row, when it was just read for this very document, is not read again
    known && known.identifier === doc.identifier ? known : findLicenseRowByIdentifier(deps.db, doc.identifier),
  ]);
  return {
    issuer: dept ? { code: dept.uscc, name: dept.name, departmentId: dept.id } : undefined,
    key,
    status: { source: 'registry', status: row ? row.status : 'unregistered' },
    now: deps.now(),
    registered: row ? { id: row.id, status: row.status, typeCode: row.type_code, typeVersion: row.type_version } : undefined,
  };
}

export interface LicenseSummary {
  identifier: string; licenseNumber: string; licenseType: { code: string; name: string }; issuer: { code: string; name: string };
  issuedAt: string; validFrom: string; validUntil: string | null; status: LicenseStatus | 'unregistered';
}

export interface DisplayedField { name: string; label: string; value: FieldValue; disclosable: boolean }

export interface LicenseVerificationResult extends Verification {
  license: LicenseSummary | null;
  /** Only for a document given in full whose signature holds: its clear claims and the disclosed ones. */
  fields: DisplayedField[] | null;
}

/** The registry's row of a license, as verification reads it. */
export interface RegisteredLicense { id: string; status: LicenseStatus; typeCode: string; typeVersion: number }

/**
 * The field definitions to read a document with: those of the type version its registry row
 * was issued against (licenses are read with their own version, not the type's later ones);
 * for a document the registry does not know, the type's current ones.
 */
export function fieldsOfDocument(doc: SignedLicense, deps: Pick<Deps, 'db'>, registered: Pick<RegisteredLicense, 'typeCode' | 'typeVersion'> | undefined): Promise<FieldDefinition[] | undefined> {
  const version = registered && registered.typeCode === doc.licenseType.code ? registered.typeVersion : undefined;
  return readingFields(deps, doc.licenseType.code, version);
}

/** Labels for a license's claims, in the field order of the definition it is read with (holder first). */
export function displayFields(doc: SignedLicense, disclosed: Record<string, FieldValue>, fields: readonly FieldDefinition[] | undefined): DisplayedField[] {
  const out: DisplayedField[] = [];
  for (const name of ['holderName', 'holderCode'] as const) {
    if (disclosed[name] !== undefined) out.push({ name, label: RESERVED_CLAIM_LABELS[name].zh, value: disclosed[name]!, disclosable: true });
  }
  const known = new Set<string>(['holderName', 'holderCode']);
  for (const f of fields ?? []) {
    known.add(f.name);
    const v = f.disclosable ? disclosed[f.name] : doc.claims[f.name];
    if (v !== undefined) out.push({ name: f.name, label: f.label, value: v, disclosable: f.disclosable });
  }
  for (const [name, value] of Object.entries(doc.claims)) if (!known.has(name)) out.push({ name, label: name, value, disclosable: false });
  for (const [name, value] of Object.entries(disclosed)) if (!known.has(name)) out.push({ name, label: name, value, disclosable: true });
  return out;
}

function summary(doc: SignedLicense, status: LicenseStatus | 'unregistered'): LicenseSummary {
  return {
    identifier: doc.identifier, licenseNumber: doc.licenseNumber, licenseType: doc.licenseType, issuer: doc.issuer,
    issuedAt: doc.issuedAt, validFrom: doc.validFrom, validUntil: doc.validUntil, status,
  };
}

export type VerifyLicenseInput = { document: unknown; identifier?: undefined } | { identifier: string; document?: undefined };

/** Checks the body is shaped like a verification request (one of document / identifier); else 422. */
export function verifyInputOf(body: { document?: unknown; identifier?: unknown }): VerifyLicenseInput {
  const hasDoc = body.document !== undefined && body.document !== null;
  const hasId = body.identifier !== undefined && body.identifier !== null;
  if (hasDoc === hasId) throw new AppError('LICENSE.VERIFY_INPUT_INVALID', { field: hasDoc ? 'identifier' : 'document' });
  if (hasId) {
    if (typeof body.identifier !== 'string' || body.identifier.length > 200) throw new AppError('LICENSE.VERIFY_INPUT_INVALID', { field: 'identifier' });
    return { identifier: body.identifier.trim() };
  }
  if (typeof body.document !== 'object' && typeof body.document !== 'string') throw new AppError('LICENSE.VERIFY_INPUT_INVALID', { field: 'document' });
  return { document: body.document };
}

/**
 * POST /licenses/verify: a license document (object or JSON text) or a GB/T 36904 identifier.
 * Returns `{ verified, checks, errors }` — never throws for a bad document. With an identifier
 * the registered document is checked and only non-personal metadata is returned.
 * Every verification is written to the audit chain.
 */
export async function verifyLicense(input: VerifyLicenseInput, actor: Actor | null, deps: Deps): Promise<LicenseVerificationResult> {
  const result = input.identifier !== undefined ? await verifyByIdentifier(input.identifier, deps) : await verifyDocument(input.document, deps);
  await deps.db.transaction().execute((trx) => appendAudit(trx, {
    actorId: actor?.id ?? null, actorRole: actor?.roles[0] ?? 'public', action: 'license.verify', subjectType: 'license',
    subjectId: (result.license?.identifier ?? (typeof input.identifier === 'string' ? input.identifier : 'unparsed')).slice(0, 120),
    change: { by: input.identifier !== undefined ? 'identifier' : 'document', verified: result.verified, failed: result.checks.filter((c) => !c.ok).map((c) => c.name) },
  }));
  return result;
}

export async function verifyDocument(document: unknown, deps: Deps): Promise<LicenseVerificationResult> {
  const list = new CheckList();
  let value = document;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      malformedLicense(list, '不是合法的 JSON', 'not valid JSON');
      return { ...list.result(), license: null, fields: null };
    }
  }
  const parsed = parseSignedLicense(value, true);
  if (!parsed.ok) {
    malformedLicense(list, parsed.detail, parsed.detailEn);
    return { ...list.result(), license: null, fields: null };
  }
  const doc = parsed.value;
  const facts = await registryFacts(doc, deps);
  const out = checkLicense(doc, doc.disclosures, facts, licenseCrypto, list);
  return { ...list.result(), license: summary(doc, facts.registered?.status ?? 'unregistered'), fields: out ? displayFields(doc, out.claims, await fieldsOfDocument(doc, deps, facts.registered)) : null };
}

async function verifyByIdentifier(identifier: string, deps: Deps): Promise<LicenseVerificationResult> {
  const list = new CheckList();
  const row = await findLicenseRowByIdentifier(deps.db, identifier);
  if (!row) {
    const id = parseLicenseIdentifier(identifier);
    if (!id.wellFormed) list.fail('identifier_check_char', 'LICENSE.IDENTIFIER_INVALID', `电子证照标识格式不正确（${id.error}）`, `Malformed identifier (${id.error})`);
    else if (!id.checkCharValid) list.fail('identifier_check_char', 'LICENSE.IDENTIFIER_CHECK_CHAR', `校验位为 ${id.checkChar}，按 ISO 7064 MOD 37,36 应为 ${id.expectedCheckChar}`, `Check character is ${id.checkChar}; ISO 7064 MOD 37,36 gives ${id.expectedCheckChar}`);
    else list.pass('identifier_check_char', `校验位 ${id.checkChar} 正确`, `Check character ${id.checkChar} is correct`);
    list.fail('status', 'LICENSE.STATUS_UNKNOWN', '平台证照库中没有该标识的证照', 'The platform registry has no license with this identifier');
    for (const name of LICENSE_CHECKS) {
      if (!list.checks.some((c) => c.name === name)) list.checks.push({ name, ok: false, detail: '未检查（证照不存在）', detailEn: 'Not checked (no such license)' });
    }
    list.checks.sort((a, b) => LICENSE_CHECKS.indexOf(a.name as never) - LICENSE_CHECKS.indexOf(b.name as never));
    return { ...list.result(), license: null, fields: null };
  }
  const doc = openDocument(deps, row);
  const facts = await registryFacts(doc, deps);
  checkLicense(doc, doc.disclosures, facts, licenseCrypto, list);
  return { ...list.result(), license: summary(doc, row.status), fields: null };
}
