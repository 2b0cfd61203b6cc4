import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call, fileApplication, material, PDF, scriptPorts, upload, type ScriptedDataSharing, type ScriptedLicenses } from './helpers.ts';

let p: TestPlatform;
let licenses: ScriptedLicenses;
let dataSharing: ScriptedDataSharing;
beforeAll(async () => {
  p = await createTestPlatform();
  ({ licenses, dataSharing } = scriptPorts(p));
});
afterAll(async () => { await p?.close(); });

const JHDJ = '340500-JHDJ';
const HKQY = '340500-HKQY';

describe('before submitting', () => {
  it('tells per material: nothing to provide — we will …, or please upload, with the legal basis', async () => {
    const res = await call(p, 'citizen', 'GET', `/api/v1/applications/preview?serviceItemCode=${JHDJ}`);
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    expect(plan.materials.map((m: { proofItemId: string }) => m.proofItemId).sort()).toEqual(['ZM-MAS-HJZM', 'ZM-MAS-HYZK', 'ZM-MAS-SFXX']);
    const hyzk = plan.materials.find((m: { proofItemId: string }) => m.proofItemId === 'ZM-MAS-HYZK');
    expect(hyzk).toMatchObject({ method: 'data_sharing', mustProvide: false });
    expect(hyzk.explanation).toContain('《婚姻登记条例》第五条');
    expect(plan.forms).toHaveLength(1);
    expect(plan.commitmentRoute).toEqual({ offered: true, reason: null });
  });
});

describe('submit → resolve → sign → review (e-license, data sharing, fallback to commitment)', () => {
  let app: Record<string, any>;
  it('resolves every material by its methods in order and records the catalog version', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
    licenses.outcomes.set('ZM-MAS-HJZM', 'missing');
    dataSharing.outcomes.set('ZM-MAS-HJZM', 'answered');
    dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
    app = await fileApplication(p, 'citizen', JHDJ, {}, { 'idempotency-key': 'jhdj-key-0001' });
    expect(app.catalogVersion).toBe(2);
    expect(app.status).toBe('awaiting');
    expect(material(app, 'sfxx').resolution).toMatchObject({ status: 'satisfied', method: 'e_license', withoutSubmission: true });
    const hjzm = material(app, 'hjzm').resolution;
    expect(hjzm).toMatchObject({ status: 'satisfied', method: 'data_sharing' });
    expect(hjzm.attempts.map((a) => `${a.method}:${a.outcome}`)).toEqual(['e_license:missing', 'data_sharing:satisfied']);
    expect(hjzm.evidence).toMatchObject({ asOf: '2026-03-01T00:00:00Z', signature: { suite: 'SM2-SM3' } });
    const hyzk = material(app, 'hyzk').resolution;
    expect(hyzk).toMatchObject({ status: 'awaiting_signature', method: 'commitment' });
    expect(hyzk.attempts[0]).toMatchObject({ method: 'data_sharing', outcome: 'unavailable', reason: '提供部门节点无响应' });
    expect(hyzk.explanation).toContain('提供部门节点无响应');
    expect(hyzk.options).toContain('upload');
  });

  it('replays the same Idempotency-Key with the same answer and refuses it for another body', async () => {
    const again = await call(p, 'citizen', 'POST', '/api/v1/applications', { serviceItemCode: JHDJ, form: { 备注: '测试' } }, { 'idempotency-key': 'jhdj-key-0001' });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(app.id);
    const other = await call(p, 'citizen', 'POST', '/api/v1/applications', { serviceItemCode: JHDJ, form: { 备注: '另一个' } }, { 'idempotency-key': 'jhdj-key-0001' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('REQUEST.IDEMPOTENCY_CONFLICT');
  });

  it('lets only the applicant sign the commitment: an agent cannot, a second signature is refused', async () => {
    const commitmentId = material(app, 'hyzk').resolution.commitment!.id;
    const c = await call(p, 'citizen', 'GET', `/api/v1/commitments/${commitmentId}`);
    expect(c.statusCode).toBe(200);
    expect(c.json().text).toContain('证明事项告知承诺书');
    expect(c.json().canSign).toBe(true);
    const byAgent = await call(p, 'agent', 'POST', `/api/v1/commitments/${commitmentId}/sign`, { accept: true });
    expect(byAgent.statusCode).toBe(403);
    const byEnterprise = await call(p, 'enterprise', 'POST', `/api/v1/commitments/${commitmentId}/sign`, { accept: true });
    expect(byEnterprise.statusCode).toBe(403);
    expect(byEnterprise.json().error.code).toBe('COMMITMENT.SIGNER_NOT_APPLICANT');
    const signed = await call(p, 'citizen', 'POST', `/api/v1/commitments/${commitmentId}/sign`, { accept: true });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().commitment.seal).toMatchObject({ suite: 'SM2-SM3' });
    const twice = await call(p, 'citizen', 'POST', `/api/v1/commitments/${commitmentId}/sign`, { accept: true });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('COMMITMENT.NOT_PENDING');
    const view = (await call(p, 'citizen', 'GET', `/api/v1/applications/${app.id}`)).json();
    expect(view.status).toBe('under_review');
    expect(view.reviewDueAt).toBeTruthy();
    expect(view.summary).toMatchObject({ proofMaterials: 3, satisfiedWithoutSubmission: 3 });
  });

  it('prints the commitment as a PDF with the Chinese text', async () => {
    const commitmentId = material(app, 'hyzk').resolution.commitment!.id;
    const res = await call(p, 'citizen', 'GET', `/api/v1/commitments/${commitmentId}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(5000);
    expect(res.rawPayload.length).toBeLessThan(2_000_000);
  });

  it('logs every data use in the application where the applicant reads it', async () => {
    const res = await call(p, 'citizen', 'GET', '/api/v1/me/access-log?pageSize=50');
    const mine = res.json().items.filter((e: { applicationRef: string }) => e.applicationRef === app.ref);
    expect(mine.map((e: { outcome: string }) => e.outcome).sort()).toEqual(['answered', 'verified']);
    expect(mine.every((e: { accessorName: string; purpose: string }) => e.accessorName === '马鞍山市民政局' && e.purpose === 'application')).toBe(true);
  });
});

describe('a concurrent double submit yields one application', () => {
  it('with the same Idempotency-Key, two simultaneous requests create one', async () => {
    const before = await p.database.db.selectFrom('applications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const body = { serviceItemCode: '340500-SBK', form: {} };
    const [a, b] = await Promise.all([
      call(p, 'citizen', 'POST', '/api/v1/applications', body, { 'idempotency-key': 'double-submit-1' }),
      call(p, 'citizen', 'POST', '/api/v1/applications', body, { 'idempotency-key': 'double-submit-1' }),
    ]);
    // The second either waited for the first and replays its stored answer (201) or saw it under way (200, current state).
    expect([a.statusCode, b.statusCode].every((s) => s === 200 || s === 201)).toBe(true);
    expect(a.json().id).toBe(b.json().id);
    const after = await p.database.db.selectFrom('applications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(1);
  });
  it('submitting one draft twice at once: one succeeds, the other is refused by the state machine', async () => {
    const draft = await fileApplication(p, 'citizen', '340500-SBK', { submit: false });
    expect(draft.status).toBe('draft');
    const [a, b] = await Promise.all([
      call(p, 'citizen', 'POST', `/api/v1/applications/${draft.id}/submit`),
      call(p, 'citizen', 'POST', `/api/v1/applications/${draft.id}/submit`),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const audits = await p.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', draft.id).where('action', '=', 'application.submit').execute();
    expect(audits).toHaveLength(1);
  });
});

describe('clerk decisions and wrong states', () => {
  let app: Record<string, any>;
  it('the clerk of the accepting department approves once; a second approval is 409', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    dataSharing.outcomes.set('ZM-MAS-QSGX', 'answered');
    app = await fileApplication(p, 'citizen', HKQY);
    expect(app.status).toBe('under_review');
    expect(material(app, 'hkbg').resolution).toMatchObject({ status: 'satisfied', method: 'cancelled' });
    const queue = (await call(p, 'clerk', 'GET', '/api/v1/workbench/applications?status=under_review')).json();
    expect(queue.items.some((i: { id: string }) => i.id === app.id)).toBe(true);
    const first = await call(p, 'clerk', 'POST', `/api/v1/applications/${app.id}/approve`, {});
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().status).toBe('approved');
    const second = await call(p, 'clerk', 'POST', `/api/v1/applications/${app.id}/approve`, {});
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({ code: 'APPLICATION.INVALID_TRANSITION', details: { from: 'approved', event: 'approve' } });
    const withdraw = await call(p, 'citizen', 'POST', `/api/v1/applications/${app.id}/withdraw`);
    expect(withdraw.statusCode).toBe(409);
    const done = await call(p, 'clerk', 'POST', `/api/v1/applications/${app.id}/complete`);
    expect(done.json().status).toBe('completed');
  });

  it('notifies the applicant in the app', async () => {
    const n = (await call(p, 'citizen', 'GET', '/api/v1/me/notifications')).json();
    expect(n.items.some((i: { title: string; kind: string }) => i.kind === 'application.decided' && i.title.includes(app.ref))).toBe(true);
  });

  it('reject and return need a reason; return → resubmit works', async () => {
    const a = await fileApplication(p, 'citizen', HKQY);
    const noReason = await call(p, 'clerk', 'POST', `/api/v1/applications/${a.id}/return`, {});
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().error).toMatchObject({ code: 'APPLICATION.REASON_REQUIRED', field: 'reason' });
    const ret = await call(p, 'clerk', 'POST', `/api/v1/applications/${a.id}/return`, { reason: '申请表联系电话缺失' });
    expect(ret.json()).toMatchObject({ status: 'returned', decisionReason: '申请表联系电话缺失' });
    const resubmit = await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/submit`);
    expect(resubmit.statusCode, resubmit.body).toBe(200);
    expect(resubmit.json().status).toBe('under_review');
  });

  it('a withdrawn application cannot be submitted', async () => {
    const a = await fileApplication(p, 'citizen', '340500-SBK', { submit: false });
    expect((await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/withdraw`)).json().status).toBe('withdrawn');
    const res = await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/submit`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('APPLICATION.INVALID_TRANSITION');
  });

  it('scopes the workbench to the clerk\'s department', async () => {
    const jhdj = await fileApplication(p, 'citizen', JHDJ);
    const detail = await call(p, 'clerk', 'GET', `/api/v1/applications/${jhdj.id}`);
    expect(detail.statusCode).toBe(403);
    const approve = await call(p, 'clerk', 'POST', `/api/v1/applications/${jhdj.id}/approve`, {});
    expect(approve.statusCode).toBe(403);
    const queue = (await call(p, 'clerk', 'GET', '/api/v1/workbench/applications?pageSize=100')).json();
    expect(queue.items.every((i: { departmentName: string }) => i.departmentName === '马鞍山市公安局')).toBe(true);
  });
});

describe('retained and uploads', () => {
  it('asks for an upload when no method can be used, refuses wrong types and sizes, accepts a PDF', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'unavailable');
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    const a = await fileApplication(p, 'citizen', '340500-SBK');
    const sfxx = material(a, 'sfxx');
    expect(sfxx.resolution).toMatchObject({ status: 'awaiting_upload', method: 'upload' });
    expect(sfxx.resolution.explanation).toContain('电子证照库暂不可用');
    const gif = await upload(p, 'citizen', a.id, sfxx.materialId, 'x.pdf', Buffer.from('GIF89a......'));
    expect(gif.statusCode).toBe(415);
    expect(gif.json().error.code).toBe('APPLICATION.FILE_TYPE_NOT_ALLOWED');
    const big = await upload(p, 'citizen', a.id, sfxx.materialId, 'big.pdf', Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]));
    expect(big.statusCode).toBe(413);
    const other = await upload(p, 'enterprise', a.id, sfxx.materialId, 'x.pdf', PDF);
    expect(other.statusCode).toBe(403);
    const ok = await upload(p, 'citizen', a.id, sfxx.materialId, '身份证.pdf', PDF);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(material(ok.json(), 'sfxx').resolution).toMatchObject({ status: 'satisfied', method: 'upload', withoutSubmission: false });
    expect(ok.json().status).toBe('under_review');
    const fileId = material(ok.json(), 'sfxx').resolution.evidence!.fileId as string;
    const dl = await call(p, 'citizen', 'GET', `/api/v1/applications/${a.id}/files/${fileId}`);
    expect(dl.rawPayload.equals(PDF)).toBe(true);
  });

  it('lets the applicant decline the commitment (voluntary) and upload instead', async () => {
    dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
    licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
    const a = await fileApplication(p, 'citizen', JHDJ);
    const hyzk = material(a, 'hyzk');
    expect(hyzk.resolution.status).toBe('awaiting_signature');
    const bad = await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/materials/${hyzk.materialId}/method`, { method: 'e_license' });
    expect(bad.statusCode).toBe(409);
    const res = await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/materials/${hyzk.materialId}/method`, { method: 'upload' });
    expect(res.statusCode, res.body).toBe(200);
    expect(material(res.json(), 'hyzk').resolution).toMatchObject({ status: 'awaiting_upload', method: 'upload' });
    const c = await p.database.db.selectFrom('commitments').select('status').where('id', '=', hyzk.resolution.commitment!.id).executeTakeFirstOrThrow();
    expect(c.status).toBe('declined');
  });

  it('asks for a use grant and retries the e-license after it', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'grant_required');
    const a = await fileApplication(p, 'citizen', '340500-SBK');
    const sfxx = material(a, 'sfxx');
    expect(sfxx.resolution.status).toBe('awaiting_grant');
    licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
    const res = await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/materials/${sfxx.materialId}/retry`);
    expect(res.statusCode, res.body).toBe(200);
    expect(material(res.json(), 'sfxx').resolution.status).toBe('satisfied');
    expect(res.json().status).toBe('under_review');
  });
});

describe('who may call', () => {
  it('anonymous → 401, issuer or supervisor filing → 403, other applicants cannot read', async () => {
    expect((await call(p, null, 'POST', '/api/v1/applications', { serviceItemCode: JHDJ })).statusCode).toBe(401);
    expect((await call(p, 'issuer', 'POST', '/api/v1/applications', { serviceItemCode: JHDJ })).statusCode).toBe(403);
    expect((await call(p, 'supervisor', 'POST', '/api/v1/applications', { serviceItemCode: JHDJ })).statusCode).toBe(403);
    expect((await call(p, 'citizen', 'GET', '/api/v1/workbench/applications')).statusCode).toBe(403);
    expect((await call(p, 'citizen', 'POST', '/api/v1/applications/00000000-0000-4000-8000-000000000000/approve', {})).statusCode).toBe(403);
    const a = await fileApplication(p, 'citizen', '340500-SBK', { submit: false });
    expect((await call(p, 'enterprise', 'GET', `/api/v1/applications/${a.id}`)).statusCode).toBe(403);
    // a draft is the applicant's own until submitted (the supervisor reads it then: workbench-and-upload-review.test.ts)
    expect((await call(p, 'supervisor', 'GET', `/api/v1/applications/${a.id}`)).statusCode).toBe(403);
    expect((await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/submit`)).statusCode).toBe(200);
    expect((await call(p, 'supervisor', 'GET', `/api/v1/applications/${a.id}`)).statusCode).toBe(200);
    expect((await call(p, 'agent', 'POST', '/api/v1/applications', { serviceItemCode: JHDJ })).statusCode).toBe(403);
  });
  it('validates input', async () => {
    const unknown = await call(p, 'citizen', 'POST', '/api/v1/applications', { serviceItemCode: JHDJ, extra: 1 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toBe('extra');
    const missing = await call(p, 'citizen', 'POST', '/api/v1/applications', { serviceItemCode: '340500-NOPE' });
    expect(missing.statusCode).toBe(404);
    expect((await call(p, 'citizen', 'GET', '/api/v1/applications/not-a-uuid')).statusCode).toBe(400);
    const badKey = await call(p, 'citizen', 'POST', '/api/v1/applications', { serviceItemCode: JHDJ }, { 'idempotency-key': 'x' });
    expect(badKey.statusCode).toBe(400);
  });
});
