import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import { accessesWithNamedPersons, recordDataAccesses } from '../../audit/use-cases/record-data-access.ts';
import { namedPersons } from '../../audit/domain/named-persons.ts';
import { shanghaiDate } from '../../shared/calendar/working-days.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { fromBase64Url } from '../domain/crypto-port.ts';
import { audienceMatches, checkPresentationTime, parsePresentation, presentationSigningInput, type Presentation, type PresentationAudience } from '../domain/presentation.ts';
import { CheckList, checkLicense, LICENSE_CHECKS, type Verification } from '../domain/verification.ts';
import { RESERVED_CLAIMS, type FieldValue } from '../domain/license-type.ts';
import { licenseCrypto } from '../adapters/license-crypto.ts';
import { cachedLicenseType, HOLDER_PII_KIND } from '../adapters/license-store.ts';
import { decodePresentation } from '../adapters/presentation-codec.ts';
import { displayFields, fieldsOfDocument, registryFacts, type DisplayedField, type LicenseSummary } from './verify-license.ts';
import { PLATFORM_OWNER } from './issuer-keys.ts';

export interface PresentationVerificationResult extends Verification {
  license: LicenseSummary | null;
  /** Only when verified: the fields the holder chose to disclose plus the always-shown ones. Nothing else. */
  fields: DisplayedField[] | null;
  audience: PresentationAudience | null;
  expiresAt: string | null;
}

const NOT_CHECKED = { detail: '未检查', detailEn: 'Not checked' };

/**
 * A verifier (bank, hospital, window clerk) checks a 亮证 presentation: platform signature
 * (holder binding), expiry, audience, the license itself (signature, issuer key, identifier,
 * status, validity) and, last, single use — the nonce is consumed atomically in the database, so
 * a second scan anywhere fails as a replay. Never throws for a bad presentation. A presentation
 * whose holder is known (valid platform signature, registered license) is an access-log entry
 * the holder reads, verified or not.
 */
export async function verifyPresentation(text: string, actor: Actor, deps: Deps): Promise<PresentationVerificationResult> {
  const list = new CheckList();
  const now = deps.now();
  const empty = { license: null, fields: null, audience: null, expiresAt: null };
  const notChecked = (from: number) => {
    const names = ['presentation_format', 'holder_binding', 'expiry', 'audience', ...LICENSE_CHECKS, 'single_use'] as const;
    for (const name of names.slice(from)) if (!list.checks.some((c) => c.name === name)) list.checks.push({ name, ok: false, ...NOT_CHECKED });
  };
  const decoded = decodePresentation(text);
  const parsed = decoded.ok ? parsePresentation(decoded.value) : decoded;
  if (!parsed.ok) {
    list.fail('presentation_format', 'LICENSE.PRESENTATION_MALFORMED', parsed.detail, parsed.detailEn);
    notChecked(1);
    await audit(deps, actor, 'unparsed', list.result());
    return { ...list.result(), ...empty };
  }
  const p: Presentation = parsed.value;
  list.pass('presentation_format', '亮证码格式正确', 'Well-formed presentation');

  // holder binding: the platform's signature over everything in the presentation
  const key = await deps.keys.findPublicKey(p.binding.keyId);
  let bound = false;
  try {
    const sig = fromBase64Url(p.binding.signature);
    bound = !!key && key.ownerId === PLATFORM_OWNER && key.suite === p.binding.suite && !!sig
      && licenseCrypto.verify(p.binding.suite, key.publicKey, new TextEncoder().encode(presentationSigningInput(p)), sig);
  } catch {
    bound = false;
  }
  if (bound) list.pass('holder_binding', `平台已认证持证人本人出示（密钥 ${p.binding.keyId}）`, `The platform attests the holder presented it (key ${p.binding.keyId})`);
  else list.fail('holder_binding', 'LICENSE.PRESENTATION_SIGNATURE_INVALID', '平台签名无效：亮证码被篡改或伪造', 'The platform signature does not verify: tampered or forged');

  const time = checkPresentationTime(p, now);
  if (time.ok) list.pass('expiry', `有效至 ${p.expiresAt}`, `Valid until ${p.expiresAt}`);
  else list.fail('expiry', time.code, time.detail, time.detailEn);

  if (audienceMatches(p.audience, { accountId: actor.id, departmentId: actor.departmentId, name: actor.displayName })) {
    list.pass('audience', p.audience ? `出示对象为 ${p.audience.name}` : '未限定出示对象', p.audience ? `Presented to ${p.audience.name}` : 'No audience restriction');
  } else {
    list.fail('audience', 'LICENSE.PRESENTATION_WRONG_AUDIENCE', `该亮证码出示对象为 ${p.audience?.name ?? ''}，不是您`, `Presented to ${p.audience?.name ?? ''}, not to you`);
  }

  const facts = await registryFacts(p.license, deps);
  const out = checkLicense(p.license, p.disclosures, facts, licenseCrypto, list);

  // single use, last: consume the nonce only when everything else holds
  const registered = facts.registered;
  const row = registered ? await deps.db.selectFrom('licenses').select(['id', 'holder_enc', 'holder_kind', 'type_code', 'identifier']).where('id', '=', registered.id).executeTakeFirst() : undefined;
  const type = row ? await cachedLicenseType(deps, row.type_code) : undefined;
  const typeName = type?.name;
  const definitions = registered ? await fieldsOfDocument(p.license, deps, registered) : undefined;
  const allOk = list.checks.every((c) => c.ok);
  await deps.db.transaction().execute(async (trx) => {
    if (allOk && registered) {
      const consumed = await trx.updateTable('license_presentations').set({ consumed_at: now, consumed_by: actor.id })
        .where('nonce', '=', p.nonce).where('consumed_at', 'is', null).where('license_id', '=', registered.id).returning('nonce').executeTakeFirst();
      if (consumed) list.pass('single_use', '首次使用，已核销', 'First use; now consumed');
      else {
        const prior = await trx.selectFrom('license_presentations').select(['consumed_at', 'license_id']).where('nonce', '=', p.nonce).executeTakeFirst();
        if (!prior || prior.license_id !== registered.id) list.fail('single_use', 'LICENSE.PRESENTATION_UNKNOWN', '平台没有该亮证记录', 'The platform has no record of this presentation');
        else list.fail('single_use', 'LICENSE.PRESENTATION_REPLAYED', `该亮证码已于 ${new Date(prior.consumed_at!).toISOString()} 被核验，不能重复使用`, `Already used at ${new Date(prior.consumed_at!).toISOString()}; presentations are single-use`);
      }
    } else {
      list.checks.push({ name: 'single_use', ok: false, detail: '未核销（其他检查未通过）', detailEn: 'Not consumed (other checks failed)' });
    }
    const result = list.result();
    if (bound && row) {
      const holderCode = deps.pii.reveal(row.holder_enc, HOLDER_PII_KIND);
      // a verified presentation hands over the disclosed fields and the always-shown (clear) ones: a person they name by identity number
      // (the spouse on a 结婚证) gets the entry too
      const named = result.verified && out ? namedPersons({ ...p.license.claims, ...out.claims }, holderCode, definitions, { ignore: RESERVED_CLAIMS, today: shanghaiDate(now) }) : [];
      await recordDataAccesses(trx, deps.pii, accessesWithNamedPersons({
        subjectCode: holderCode, subjectKind: row.holder_kind === '111' ? 'person' : 'enterprise',
        accessorDepartmentId: actor.departmentId, accessorName: actor.departmentName ?? actor.displayName, accessorAccountId: actor.id, accessorRole: actor.roles[0] ?? null,
        dataItem: `license:${row.type_code}`, dataItemLabel: typeName ?? row.type_code, purpose: '亮证核验', legalBasis: '持证人本人亮证并选择披露字段',
        outcome: result.verified ? 'verified' : 'rejected',
        detail: { licenseId: row.id, identifier: row.identifier, disclosed: p.disclosures.length, failed: result.errors.map((e) => e.code) },
      }, named));
    } else {
      await appendAudit(trx, {
        actorId: actor.id, actorRole: actor.roles[0] ?? null, action: 'license.presentation.verify', subjectType: 'license', subjectId: p.license.identifier.slice(0, 120),
        change: { verified: false, failed: result.errors.map((e) => e.code) },
      });
    }
  });
  const result = list.result();
  const claims: Record<string, FieldValue> | undefined = result.verified ? out?.claims : undefined;
  return {
    ...result,
    license: { identifier: p.license.identifier, licenseNumber: p.license.licenseNumber, licenseType: p.license.licenseType, issuer: p.license.issuer, issuedAt: p.license.issuedAt, validFrom: p.license.validFrom, validUntil: p.license.validUntil, status: registered?.status ?? 'unregistered' },
    fields: claims ? displayFields(p.license, claims, definitions ?? await fieldsOfDocument(p.license, deps, undefined)) : null,
    audience: p.audience, expiresAt: p.expiresAt,
  };
}

async function audit(deps: Deps, actor: Actor, subject: string, result: Verification): Promise<void> {
  await deps.db.transaction().execute((trx) => appendAudit(trx, {
    actorId: actor.id, actorRole: actor.roles[0] ?? null, action: 'license.presentation.verify', subjectType: 'license', subjectId: subject,
    change: { verified: result.verified, failed: result.errors.map((e) => e.code) },
  }));
}
