import { identityNumberCheckChar } from '@mianzheng/crypto';
import { DEMO_ACCOUNTS } from '../../src/seed/demo-accounts.ts';
import { licenseTypeCode } from '../../src/seed/demo-licenses.ts';
import type { LicenseDocument } from '../../src/licenses/domain/license-document.ts';
import type { TestPlatform } from '../support/test-platform.ts';

export const CITIZEN_ID = DEMO_ACCOUNTS.find((a) => a.username === 'citizen')!.idNumber!;
export const CITIZEN_NAME = DEMO_ACCOUNTS.find((a) => a.username === 'citizen')!.displayName;
export const ENTERPRISE_USCC = DEMO_ACCOUNTS.find((a) => a.username === 'enterprise')!.uscc!;
export const MARRIAGE = licenseTypeCode('jhz');
export const ID_CARD = licenseTypeCode('sfz');
export const HOUSEHOLD = licenseTypeCode('hkb');
export const BUSINESS = licenseTypeCode('yyzz');

export function idNumber(first17: string): string {
  return first17 + identityNumberCheckChar(first17);
}

export const SPOUSE_ID = idNumber('34050419880506001');

export function marriageInput(overrides: Record<string, unknown> = {}) {
  return {
    typeCode: MARRIAGE, holder: { code: CITIZEN_ID, name: CITIZEN_NAME },
    fields: { registrationDate: '2026-02-14', spouseName: '刘明', spouseIdNumber: SPOUSE_ID, registrationAuthority: '马鞍山市民政局' },
    ...overrides,
  };
}

export interface Issued { id: string; identifier: string; keyId: string; suite: string; status: string }

/** Issues a 结婚证 to the demo citizen as the demo issuer (马鞍山市民政局). */
export async function issueMarriage(p: TestPlatform, overrides: Record<string, unknown> = {}): Promise<Issued> {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: await p.as('issuer'), payload: marriageInput(overrides) });
  if (res.statusCode !== 201) throw new Error(`issue: ${res.statusCode} ${res.body}`);
  return res.json() as Issued;
}

export async function holderDocument(p: TestPlatform, licenseId: string, holder = 'citizen'): Promise<LicenseDocument> {
  const res = await p.app.inject({ method: 'GET', url: `/api/v1/me/licenses/${licenseId}/document`, headers: await p.as(holder) });
  if (res.statusCode !== 200) throw new Error(`document: ${res.statusCode} ${res.body}`);
  return res.json() as LicenseDocument;
}

export async function verifyDoc(p: TestPlatform, document: unknown) {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/licenses/verify', payload: { document } });
  if (res.statusCode !== 200) throw new Error(`verify: ${res.statusCode} ${res.body}`);
  return res.json() as { verified: boolean; checks: { name: string; ok: boolean; detail: string }[]; errors: { code: string; check: string }[]; fields: { name: string; value: unknown }[] | null };
}

export { accountId } from '../support/test-platform.ts';

export async function setStatus(p: TestPlatform, id: string, action: 'suspend' | 'reinstate' | 'revoke', reason = '测试原因') {
  return p.app.inject({ method: 'POST', url: `/api/v1/licenses/${id}/status`, headers: await p.as('issuer'), payload: { action, reason } });
}

export async function present(p: TestPlatform, licenseId: string, body: Record<string, unknown>, holder = 'citizen') {
  const res = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${licenseId}/presentations`, headers: await p.as(holder), payload: body });
  if (res.statusCode !== 201) throw new Error(`present: ${res.statusCode} ${res.body}`);
  return res.json() as { text: string; nonce: string; expiresAt: string; disclosed: string[] };
}

export async function verifyPresentationAs(p: TestPlatform, username: string, text: string) {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/presentations/verify', headers: await p.as(username), payload: { presentation: text } });
  if (res.statusCode !== 200) throw new Error(`verify presentation: ${res.statusCode} ${res.body}`);
  return res.json() as { verified: boolean; checks: { name: string; ok: boolean; detail: string }[]; errors: { code: string; check: string }[]; fields: { name: string; value: unknown; label: string }[] | null };
}

export const errorCodes = (r: { errors: { code: string }[] }) => r.errors.map((e) => e.code);
