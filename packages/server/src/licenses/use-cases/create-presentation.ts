import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { toBase64Url } from '../domain/crypto-port.ts';
import { signedPart } from '../domain/license-document.ts';
import { DEFAULT_PRESENTATION_SECONDS, MAX_PRESENTATION_SECONDS, PRESENTATION_FORMAT, presentationSigningInput, type Presentation, type PresentationAudience, type UnsignedPresentation } from '../domain/presentation.ts';
import { decodeDisclosure } from '../domain/selective-disclosure.ts';
import { findDepartment, isUuid, openDocument } from '../adapters/license-store.ts';
import { decodePresentation, encodePresentation } from '../adapters/presentation-codec.ts';
import { getHeldLicense } from './grant-license-use.ts';
import { PLATFORM_OWNER } from './issuer-keys.ts';

export interface CreatePresentationInput {
  /** Names of the disclosable claims to show (holderName, holderCode, disclosable fields). Clear fields are always shown. */
  fields: string[];
  audience?: { kind: 'account' | 'department'; id: string } | null;
  expiresInSeconds?: number;
}

export interface CreatedPresentation { text: string; nonce: string; createdAt: string; expiresAt: string; disclosed: string[]; audience: PresentationAudience | null }

/**
 * 亮证: the holder presents one license with the fields they choose, optionally to one verifier,
 * for at most 5 minutes, once. The platform signs it on the holder's behalf (see domain/presentation.ts).
 */
export async function createPresentation(licenseId: string, input: CreatePresentationInput, actor: Actor, deps: Deps): Promise<CreatedPresentation> {
  const { row } = await getHeldLicense(licenseId, actor, deps);
  if (row.status !== 'valid') throw new AppError(row.status === 'revoked' ? 'LICENSE.REVOKED' : 'LICENSE.SUSPENDED', { field: 'id' });
  const seconds = input.expiresInSeconds ?? DEFAULT_PRESENTATION_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 30 || seconds > MAX_PRESENTATION_SECONDS) {
    throw new AppError('LICENSE.PRESENTATION_INVALID', { field: 'expiresInSeconds', message: '有效时长应为 30 至 300 秒', messageEn: 'expiresInSeconds must be 30 to 300' });
  }
  const doc = openDocument(deps, row);
  const byName = new Map(doc.disclosures.map((d) => [decodeDisclosure(d)?.name, d] as const));
  const wanted = [...new Set(input.fields)];
  for (const f of wanted) {
    if (!byName.has(f)) throw new AppError('LICENSE.PRESENTATION_INVALID', { field: 'fields', message: `“${f}”不是该证照可选择披露的字段`, messageEn: `"${f}" is not a selectively disclosable field of this license` });
  }
  let audience: PresentationAudience | null = null;
  if (input.audience) {
    if (input.audience.kind === 'department') {
      const d = await findDepartment(deps.db, input.audience.id);
      if (!d) throw new AppError('DEPARTMENT.NOT_FOUND', { field: 'audience.id' });
      audience = { kind: 'department', id: d.id, name: d.name };
    } else {
      const a = isUuid(input.audience.id)
        ? await deps.db.selectFrom('accounts').select(['id', 'display_name', 'roles']).where('id', '=', input.audience.id).executeTakeFirst()
        : undefined;
      if (!a || !a.roles.some((r) => r === 'verifier' || r === 'clerk' || r === 'issuer')) throw new AppError('LICENSE.PRESENTATION_INVALID', { field: 'audience.id', message: '出示对象不是核验方账号', messageEn: 'The audience is not a verifier account' });
      audience = { kind: 'account', id: a.id, name: a.display_name };
    }
  }
  const created = deps.now();
  const expires = new Date(created.getTime() + seconds * 1000);
  const nonce = toBase64Url(randomBytes(16));
  const unsigned: UnsignedPresentation = {
    format: PRESENTATION_FORMAT, license: signedPart(doc), disclosures: wanted.map((f) => byName.get(f)!),
    audience, nonce, createdAt: created.toISOString(), expiresAt: expires.toISOString(),
  };
  const key = await deps.keys.ensureKey(PLATFORM_OWNER, 'SM2-SM3');
  const message = new TextEncoder().encode(presentationSigningInput({ ...unsigned, binding: { suite: 'SM2-SM3', keyId: key.keyId } }));
  const { keyId, signature } = await deps.keys.sign(PLATFORM_OWNER, 'SM2-SM3', message);
  if (keyId !== key.keyId) throw new Error('the platform key changed while signing a presentation');
  const presentation: Presentation = { ...unsigned, binding: { method: 'platform', suite: 'SM2-SM3', keyId, signature: toBase64Url(signature) } };
  const text = encodePresentation(presentation);
  // a text the verifier would refuse as too long (long always-shown fields): refused here, rather than shown as a QR that never verifies
  if (!decodePresentation(text).ok) {
    throw new AppError('LICENSE.PRESENTATION_INVALID', { field: 'fields', message: '亮证码超出容量（证照内容过长），请减少选择披露的字段', messageEn: 'The presentation would be too large to verify (the license content is too long); choose fewer fields' });
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('license_presentations').values({
      nonce, license_id: row.id, holder_account_id: actor.id, audience_kind: audience?.kind ?? null, audience_id: audience?.id ?? null, disclosed: wanted,
      created_at: created, expires_at: expires, consumed_at: null, consumed_by: null,
    }).execute();
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'applicant', action: 'license.present', subjectType: 'license', subjectId: row.identifier,
      change: { nonce, disclosed: wanted, audience, expiresAt: expires.toISOString() },
    });
  });
  return { text, nonce, createdAt: created.toISOString(), expiresAt: expires.toISOString(), disclosed: wanted, audience };
}
