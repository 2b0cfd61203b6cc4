/**
 * Regression tests of a second review (applications, commitments, verifications): each failed before its fix.
 * - a withdrawal while the engine is still resolving (waiting on a provider) leaves no verification
 *   request in the issuer's inbox and no commitment to sign for the withdrawn application;
 * - after the issuing department denies a fact, the commitment route is not offered for it — neither
 *   as an option to switch to nor by the engine when the application is resubmitted after 退回补正;
 * - an upload's file name with control characters is stored without them (no 500), and the evidence
 *   names the file as stored.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { setResolutionPorts } from '../../src/applications/adapters/resolution-ports.ts';
import { call, fileApplication, material, PDF, GatedDataSharing, ScriptedLicenses, upload } from './helpers.ts';


let p: TestPlatform;
let licenses: ScriptedLicenses;
let dataSharing: GatedDataSharing;

/** A staff account with the demo password (the demo clerk's hash). */
async function addStaff(username: string, roles: string[], departmentId: string): Promise<void> {
  const clerk = await p.database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'clerk').executeTakeFirstOrThrow();
  await p.database.db.insertInto('accounts').values({
    id: randomUUID(), username, display_name: username, kind: 'staff', password_hash: clerk.password_hash, roles, department_id: departmentId, region_code: '340500',
    id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, external_subject: null,
  }).execute();
}

beforeAll(async () => {
  p = await createTestPlatform();
  licenses = new ScriptedLicenses();
  dataSharing = new GatedDataSharing();
  setResolutionPorts(p.app.deps, { licenses, dataSharing });
  licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
  licenses.outcomes.set('ZM-MAS-TYJR', 'verified');
  await addStaff('issuer-ga', ['issuer'], 'mas-ga');
  await addStaff('clerk-tyjr', ['clerk'], 'mas-tyjr');
});
afterAll(async () => { await p?.close(); });

describe('a withdrawal racing the resolution engine', () => {
  it('withdrawn while a provider is still answering: no verification request is left open and no commitment is left to sign', async () => {
    // 教师资格认定: 学历证明 by data sharing (held, then unavailable → commitment), 无犯罪记录证明 by department verification
    dataSharing.gated.add('ZM-MAS-XLZM');
    dataSharing.outcomes.set('ZM-MAS-XLZM', 'unavailable');
    const filing = call(p, 'citizen', 'POST', '/api/v1/applications', { serviceItemCode: '340500-JSZG', form: {} }, { 'idempotency-key': 'race-withdraw-0001' });
    await dataSharing.reached;
    const created = await p.database.db.selectFrom('applications').select('id').where('service_item_code', '=', '340500-JSZG').where('status', '=', 'submitted').executeTakeFirstOrThrow();
    const withdrawn = await call(p, 'citizen', 'POST', `/api/v1/applications/${created.id}/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    dataSharing.open();
    const res = await filing;
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().status).toBe('withdrawn');

    const open = await p.database.db.selectFrom('verification_requests').select('status').where('application_id', '=', created.id).where('status', 'in', ['pending', 'escalated']).execute();
    expect(open).toEqual([]);
    const inbox = (await call(p, 'issuer-ga', 'GET', '/api/v1/verifications/inbox?status=open&pageSize=100')).json();
    expect(inbox.items.filter((i: { applicationId: string }) => i.applicationId === created.id)).toEqual([]);
    const toSign = await p.database.db.selectFrom('commitments').select('status').where('application_id', '=', created.id).where('status', '=', 'pending_signature').execute();
    expect(toSign).toEqual([]);
    dataSharing.gated.clear();
    dataSharing.reset();
  });
});

describe('a fact the issuing department denied is not replaced by a commitment', () => {
  let app: Record<string, any>;
  it('after the denial, the commitment route is not among the options for the material', async () => {
    // 退役军人优待证申领: 无犯罪记录证明 = department verification, then commitment
    app = await fileApplication(p, 'citizen', '340500-YHZ');
    const wfzjl = material(app, 'wfzjl').resolution;
    expect(wfzjl).toMatchObject({ status: 'awaiting_verification', method: 'dept_verification' });
    const denied = await call(p, 'issuer-ga', 'POST', `/api/v1/verifications/${wfzjl.verification!.id}/answer`, { confirmed: false, reason: '经查,申请人有犯罪记录' });
    expect(denied.statusCode, denied.body).toBe(200);
    const view = (await call(p, 'citizen', 'GET', `/api/v1/applications/${app.id}`)).json();
    expect(view.status).toBe('under_review');
    const failed = material(view, 'wfzjl').resolution;
    expect(failed.status).toBe('failed');
    expect(failed.options).not.toContain('commitment');
    expect(failed.options).toContain('upload');
  });

  it('returned for correction and resubmitted: the engine asks for the document, not a commitment', async () => {
    const ret = await call(p, 'clerk-tyjr', 'POST', `/api/v1/applications/${app.id}/return`, { reason: '无犯罪记录核验未通过,请补正' });
    expect(ret.statusCode, ret.body).toBe(200);
    const forced = await call(p, 'citizen', 'POST', `/api/v1/applications/${app.id}/materials/${material(app, 'wfzjl').materialId}/method`, { method: 'commitment' });
    expect(forced.statusCode).toBe(409);
    expect(forced.json().error).toMatchObject({ code: 'APPLICATION.METHOD_NOT_OFFERED', field: 'method' });
    const resubmitted = await call(p, 'citizen', 'POST', `/api/v1/applications/${app.id}/submit`);
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    const wfzjl = material(resubmitted.json(), 'wfzjl').resolution;
    expect(wfzjl).toMatchObject({ status: 'awaiting_upload', method: 'upload' });
    expect(wfzjl.attempts.find((a) => a.method === 'commitment')).toMatchObject({ outcome: 'skipped' });
    const commitments = await p.database.db.selectFrom('commitments').select('id').where('application_id', '=', app.id).execute();
    expect(commitments).toEqual([]);
  });
});

describe('upload file names', () => {
  it('a name with control characters (NUL, BEL) is stored without them (was 500); the evidence names the stored file', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'unavailable');
    const a = await fileApplication(p, 'citizen', '340500-SBK');
    licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
    const sfxx = material(a, 'sfxx');
    expect(sfxx.resolution.status).toBe('awaiting_upload');
    const res = await upload(p, 'citizen', a.id, sfxx.materialId, 'a\u0000b\u0007c.pdf', PDF);
    expect(res.statusCode, res.body).toBe(200);
    const r = material(res.json(), 'sfxx').resolution as unknown as { status: string; evidence: { filename: string }; files: { filename: string }[] };
    expect(r.status).toBe('satisfied');
    expect(r.files[0]!.filename).toBe('abc.pdf');
    expect(r.evidence.filename).toBe('abc.pdf');
  });
});
