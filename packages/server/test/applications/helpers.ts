import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestPlatform } from '../support/test-platform.ts';
import { setResolutionPorts } from '../../src/applications/adapters/resolution-ports.ts';
import type { DataSharingOutcome, DataSharingResolver, LicenseOutcome, LicenseResolver, ResolutionRequest } from '../../src/applications/ports/resolvers.ts';

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * Port adapters for engine tests: the outcome per proof item id is set by the test (the
 * real licenses / exchange contexts are tested against these same ports in their wiring tests).
 */
export class ScriptedLicenses implements LicenseResolver {
  outcomes = new Map<string, LicenseOutcome['kind']>();
  calls: ResolutionRequest[] = [];
  async resolve(req: ResolutionRequest): Promise<LicenseOutcome> {
    this.calls.push(req);
    const kind = this.outcomes.get(req.proofItem.id) ?? 'unavailable';
    switch (kind) {
      case 'verified': return {
        kind, licenseTypeCode: 'LT-TEST', licenseTypeName: req.proofItem.name, identifier: '1.2.156.3005.2.TEST.TEST.1.001.X', licenseId: 'lic-1', issuerName: req.proofItem.issuingDepartmentName,
        validUntil: null, grantId: 'grant-1', verification: { verified: true, checks: [], errors: [] }, accessLogged: false,
      };
      case 'grant_required': return { kind, licenseTypeCode: 'LT-TEST', licenseTypeName: req.proofItem.name, reason: '请先授权', reasonEn: 'grant first' };
      case 'missing': return { kind, reason: '您尚无该电子证照', reasonEn: 'no such license' };
      case 'invalid': return { kind, reason: '证照已注销', reasonEn: 'revoked', accessLogged: false };
      default: return { kind: 'unavailable', reason: '电子证照库暂不可用', reasonEn: 'unavailable' };
    }
  }
}

export class ScriptedDataSharing implements DataSharingResolver {
  outcomes = new Map<string, DataSharingOutcome['kind']>();
  async query(req: ResolutionRequest): Promise<DataSharingOutcome> {
    const kind = this.outcomes.get(req.proofItem.id) ?? 'unavailable';
    if (kind === 'answered') {
      return { kind, providerId: 'node-test', providerName: req.proofItem.issuingDepartmentName, queryId: 'q-1', answer: { matched: true }, asOf: '2026-03-01T00:00:00Z', signature: { suite: 'SM2-SM3', keyId: 'k', value: 'ab' }, accessLogged: false };
    }
    return { kind, reason: kind === 'unavailable' ? '提供部门节点无响应' : '提供部门无此记录', reasonEn: kind, accessLogged: false };
  }
}

export function scriptPorts(p: TestPlatform) {
  const licenses = new ScriptedLicenses();
  const dataSharing = new ScriptedDataSharing();
  setResolutionPorts(p.app.deps, { licenses, dataSharing });
  return { licenses, dataSharing };
}

export async function call(p: TestPlatform, user: string | null, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const auth = user ? await p.as(user) : {};
  return p.app.inject({ method, url, payload: payload as never, headers: { ...auth, ...headers } });
}

export async function fileApplication(p: TestPlatform, user: string, serviceItemCode: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await call(p, user, 'POST', '/api/v1/applications', { serviceItemCode, form: { 备注: '测试' }, ...extra }, headers);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

export function multipart(filename: string, data: Buffer, contentType = 'application/octet-stream') {
  const boundary = '----mz' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    data, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function upload(p: TestPlatform, user: string, appId: string, materialId: string, filename: string, data: Buffer) {
  const m = multipart(filename, data);
  return p.app.inject({ method: 'POST', url: `/api/v1/applications/${appId}/materials/${materialId}/upload`, payload: m.payload, headers: { ...(await p.as(user)), ...m.headers } });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function material(view: any, proofKey: string) {
  const m = (view.materials as { proofItemId: string | null }[]).find((x) => x.proofItemId?.endsWith(`-${proofKey.toUpperCase()}`));
  if (!m) throw new Error(`no material ${proofKey}`);
  return m as { materialId: string; proofItemId: string; resolution: { id: string; status: string; method: string; attempts: { method: string; outcome: string; reason: string }[]; commitment: { id: string } | null; verification: { id: string } | null; options: string[]; withoutSubmission: boolean | null; explanation: string; evidence: Record<string, unknown> | null } };
}

/** A staff account with the demo password (the demo supervisor's hash): a supervisor of `regionCode`, or of a department's region. */
export async function addSupervisor(p: TestPlatform, username: string, regionCode: string | null, departmentId: string | null = null): Promise<void> {
  const sup = await p.database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'supervisor').executeTakeFirstOrThrow();
  await p.database.db.insertInto('accounts').values({
    id: randomUUID(), username, display_name: username, kind: 'staff', password_hash: sup.password_hash, roles: ['supervisor'], department_id: departmentId, region_code: regionCode,
    id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, external_subject: null,
  }).execute();
}
