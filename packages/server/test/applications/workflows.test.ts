import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/seed/demo-accounts.ts';
import ExcelJS from 'exceljs';
import { canonicalizeToBytes, getSuite, hexToBytes } from '@mianzheng/crypto';
import { accountId, createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { setResolutionPorts } from '../../src/applications/adapters/resolution-ports.ts';
import { authorizeAgent, call, fileApplication, material, postCheckEveryCommitmentOfCitizen, ScriptedDataSharing } from './helpers.ts';

let p: TestPlatform;
let dataSharing: ScriptedDataSharing;
let citizenId: string;
beforeAll(async () => {
  p = await createTestPlatform();
  dataSharing = new ScriptedDataSharing();
  // Real licenses context (demo licenses and grants); data sharing scripted until the exchange context is wired.
  setResolutionPorts(p.app.deps, { dataSharing });
  citizenId = await accountId(p, 'citizen');
});
afterAll(async () => { await p?.close(); });

describe('e-license through the licenses context', () => {
  it('reads a license under a live grant, asks for a grant when missing, and retries after it', async () => {
    const app = await fileApplication(p, 'citizen', '340500-HKQY');
    const hjzm = material(app, 'hjzm').resolution;
    expect(hjzm).toMatchObject({ status: 'satisfied', method: 'e_license' });
    expect(String(hjzm.evidence!.identifier)).toMatch(/^1\.2\.156\.3005\.2\./);
    const sfxx = material(app, 'sfxx');
    expect(sfxx.resolution.status).toBe('awaiting_grant');
    const licenses = (await call(p, 'citizen', 'GET', '/api/v1/me/licenses')).json();
    const sfz = (licenses.items ?? licenses).find((l: { licenseType: { name: string } }) => l.licenseType.name === '居民身份证');
    const grant = await call(p, 'citizen', 'POST', `/api/v1/me/licenses/${sfz.id}/grants`, { departmentId: 'mas-ga', serviceItemCode: '340500-HKQY', validUntil: new Date(Date.now() + 86_400_000).toISOString() });
    expect(grant.statusCode, grant.body).toBeLessThan(300);
    const retried = await call(p, 'citizen', 'POST', `/api/v1/applications/${app.id}/materials/${sfxx.materialId}/retry`);
    expect(material(retried.json(), 'sfxx').resolution).toMatchObject({ status: 'satisfied', method: 'e_license' });
    const log = (await call(p, 'citizen', 'GET', '/api/v1/me/access-log?pageSize=100')).json();
    expect(log.items.filter((e: { applicationRef: string; dataItem: string }) => e.applicationRef === app.ref && e.dataItem.startsWith('license:')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('department verification', () => {
  it('asks the issuing department, which confirms with a reason in its inbox; the use is logged', async () => {
    dataSharing.outcomes.set('ZM-MAS-DBZM', 'unavailable');
    const app = await fileApplication(p, 'citizen', '340500-LSJZ');
    const dbzm = material(app, 'dbzm');
    expect(dbzm.resolution).toMatchObject({ status: 'awaiting_verification', method: 'dept_verification' });
    expect(dbzm.resolution.attempts[0]).toMatchObject({ method: 'data_sharing', outcome: 'unavailable' });
    const inbox = (await call(p, 'issuer', 'GET', '/api/v1/verifications/inbox?status=open')).json();
    const req = inbox.items.find((i: { applicationId: string }) => i.applicationId === app.id);
    expect(req).toMatchObject({ proofItemName: '最低生活保障证明', requestingDepartmentName: '马鞍山市民政局', workingDays: 3, subjectCodeMask: expect.stringContaining('****') });
    const noReason = await call(p, 'issuer', 'POST', `/api/v1/verifications/${req.id}/answer`, { confirmed: true, reason: ' ' });
    expect(noReason.statusCode).toBe(422);
    const byClerk = await call(p, 'clerk', 'POST', `/api/v1/verifications/${req.id}/answer`, { confirmed: true, reason: '属实' });
    expect(byClerk.statusCode).toBe(403);
    const ok = await call(p, 'issuer', 'POST', `/api/v1/verifications/${req.id}/answer`, { confirmed: true, reason: '经查，申请人在册低保对象' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', onTime: true });
    const twice = await call(p, 'issuer', 'POST', `/api/v1/verifications/${req.id}/answer`, { confirmed: false, reason: '重复' });
    expect(twice.statusCode).toBe(409);
    const view = (await call(p, 'citizen', 'GET', `/api/v1/applications/${app.id}`)).json();
    expect(material(view, 'dbzm').resolution).toMatchObject({ status: 'satisfied', withoutSubmission: true });
    const jbzk = material(view, 'jbzk').resolution;
    expect(jbzk.status).toBe('awaiting_verification');
    const other = await call(p, 'issuer', 'POST', `/api/v1/verifications/${jbzk.verification!.id}/answer`, { confirmed: true, reason: '越权' });
    expect(other.statusCode).toBe(403);
    const log = (await call(p, 'citizen', 'GET', '/api/v1/me/access-log?pageSize=100')).json();
    expect(log.items.some((e: { applicationRef: string; outcome: string }) => e.applicationRef === app.ref && e.outcome === 'confirmed')).toBe(true);
  });
});

describe('post-check, credit record and the withdrawn commitment route', () => {
  let creditId: string;
  it('a false post-check result records credit, tells the applicant, and withdraws the commitment route', async () => {
    // A repaired earlier record: the committer's credit history makes every commitment checked.
    await postCheckEveryCommitmentOfCitizen(p);
    dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
    const app = await fileApplication(p, 'citizen', '340500-JHDJ');
    const c = material(app, 'hyzk').resolution.commitment!;
    const signed = await call(p, 'citizen', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true });
    expect(signed.json().postCheckScheduled).toBe(true);
    const tasks = (await call(p, 'issuer', 'GET', '/api/v1/post-checks?status=open')).json();
    const task = tasks.items.find((t: { commitmentId: string }) => t.commitmentId === c.id);
    expect(task).toMatchObject({ reason: 'credit_history', proofItemName: '婚姻状况证明' });
    expect(new Date(task.dueAt).getTime() - new Date(task.createdAt).getTime()).toBe(90 * 86_400_000);
    // the issuing department's staff are told in their messages
    const issuerNotes = (await call(p, 'issuer', 'GET', '/api/v1/me/notifications')).json();
    expect(issuerNotes.items.find((n: { kind: string; body: string }) => n.kind === 'post_check.assigned' && n.body.includes(app.ref))).toMatchObject({ title: '事后核查任务：婚姻状况证明', link: '/post-checks' });
    expect((await call(p, 'issuer', 'POST', `/api/v1/post-checks/${task.id}/result`, { truthful: false })).statusCode).toBe(422);
    const res = await call(p, 'issuer', 'POST', `/api/v1/post-checks/${task.id}/result`, { truthful: false, note: '经查申请人已有婚姻登记记录' });
    expect(res.statusCode, res.body).toBe(200);
    creditId = res.json().creditRecordId;
    expect(creditId).toBeTruthy();
    expect((await call(p, 'issuer', 'POST', `/api/v1/post-checks/${task.id}/result`, { truthful: true })).statusCode).toBe(409);
    const decided = (await call(p, 'citizen', 'GET', `/api/v1/applications/${app.id}`)).json();
    expect(decided.revocationSuggested).toBe(true);
    const notes = (await call(p, 'citizen', 'GET', '/api/v1/me/notifications')).json();
    expect(notes.items.some((n: { kind: string }) => n.kind === 'credit.recorded')).toBe(true);

    const plan = (await call(p, 'citizen', 'GET', '/api/v1/applications/preview?serviceItemCode=340500-JHDJ')).json();
    expect(plan.commitmentRoute.offered).toBe(false);
    expect(plan.commitmentRoute.reason).toContain('失信记录');
    // at the window: the preview is for the person the helper checked, not for the helper
    const citizenIdNumber = DEMO_ACCOUNTS.find((a) => a.username === 'citizen')!.idNumber!;
    const check = (await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '张晓梅', code: citizenIdNumber, documentInspected: true })).json();
    const walkIn = (await call(p, 'agent', 'GET', `/api/v1/applications/preview?serviceItemCode=340500-JHDJ&identityCheckId=${check.id}`)).json();
    expect(walkIn.commitmentRoute).toMatchObject({ offered: false });
    expect(walkIn.commitmentRoute.reason).toContain('失信记录');
    // a clerk may preview too; without a subject the plan is the general one
    const general = await call(p, 'clerk', 'GET', '/api/v1/applications/preview?serviceItemCode=340500-JHDJ');
    expect(general.statusCode).toBe(200);
    expect(general.json().commitmentRoute.offered).toBe(true);
    // someone else's identity check, or a principal who did not authorise this agent: refused as for filing
    expect((await call(p, 'clerk', 'GET', `/api/v1/applications/preview?serviceItemCode=340500-JHDJ&identityCheckId=${check.id}`)).json().error.code).toBe('AGENT.IDENTITY_CHECK_NOT_FOUND');
    expect((await call(p, 'agent', 'GET', `/api/v1/applications/preview?serviceItemCode=340500-SBK&onBehalfOf=${citizenId}`)).json().error.code).toBe('AGENT.NOT_AUTHORIZED');
    const again = await fileApplication(p, 'citizen', '340500-JHDJ');
    const hyzk = material(again, 'hyzk').resolution;
    expect(hyzk.method).toBe('upload');
    expect(hyzk.attempts.map((a: { method: string; outcome: string }) => `${a.method}:${a.outcome}`)).toEqual(['data_sharing:unavailable', 'commitment:skipped', 'upload:awaiting']);
    expect(hyzk.explanation).toContain('失信记录');
    const force = await call(p, 'citizen', 'POST', `/api/v1/applications/${again.id}/materials/${material(again, 'hyzk').materialId}/method`, { method: 'commitment' });
    expect(force.statusCode).toBe(409);
    expect(force.json().error.code).toBe('COMMITMENT.EXCLUDED_BY_CREDIT');
  });

  it('supervisors list and export credit records; repair restores the route', async () => {
    expect((await call(p, 'citizen', 'GET', '/api/v1/credit/records')).statusCode).toBe(403);
    const list = (await call(p, 'supervisor', 'GET', '/api/v1/credit/records?status=active')).json();
    expect(list.items.find((r: { id: string }) => r.id === creditId)).toMatchObject({ type: 'false_commitment', subjectName: '张晓梅', status: 'active' });
    const xlsx = await call(p, 'supervisor', 'GET', '/api/v1/credit/records/export.xlsx');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const ws = wb.getWorksheet('信用记录')!;
    expect(ws.getRow(1).getCell(1).value).toBe('主体名称');
    expect(ws.rowCount).toBeGreaterThanOrEqual(3);
    expect((await call(p, 'supervisor', 'POST', `/api/v1/credit/records/${creditId}/repair`, { reason: '已履行信用修复承诺' })).statusCode).toBe(200);
    expect((await call(p, 'supervisor', 'POST', `/api/v1/credit/records/${creditId}/repair`, { reason: '再次' })).statusCode).toBe(409);
    const plan = (await call(p, 'citizen', 'GET', '/api/v1/applications/preview?serviceItemCode=340500-JHDJ')).json();
    expect(plan.commitmentRoute.offered).toBe(true);
  });
});

describe('agents (帮办代办)', () => {
  it('an authorised agent files for the applicant, logged in both names; the agent cannot sign the commitment', async () => {
    const auth = await authorizeAgent(p, ['340500-JHDJ']);
    expect(auth.statusCode, auth.body).toBe(201);
    expect((await call(p, 'citizen', 'POST', '/api/v1/agent-authorizations', { agentUsername: 'clerk', serviceItemCodes: ['340500-JHDJ'], validUntil: new Date(Date.now() + 86_400_000).toISOString() })).statusCode).toBe(422);
    const notCovered = await call(p, 'agent', 'POST', '/api/v1/applications', { serviceItemCode: '340500-SBK', onBehalfOf: citizenId });
    expect(notCovered.statusCode).toBe(403);
    expect(notCovered.json().error.code).toBe('AGENT.NOT_AUTHORIZED');
    dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
    const app = await fileApplication(p, 'agent', '340500-JHDJ', { onBehalfOf: citizenId });
    expect(app.agent).toMatchObject({ name: '李帮办' });
    expect(app.applicant.name).toBe('张晓梅');
    const audit = await p.database.db.selectFrom('audit_log').select(['actor_id', 'actor_role', 'on_behalf_of', 'action']).where('subject_id', '=', app.id).where('action', 'in', ['application.create', 'application.submit']).execute();
    const agentId = app.agent.id;
    expect(audit.every((a) => a.actor_id === agentId && a.actor_role === 'agent' && a.on_behalf_of === citizenId)).toBe(true);
    const c = material(app, 'hyzk').resolution.commitment!;
    const byAgent = await call(p, 'agent', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true });
    expect(byAgent.statusCode).toBe(403);
    expect((await call(p, 'citizen', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true })).statusCode).toBe(200);
    const mine = (await call(p, 'agent', 'GET', '/api/v1/applications')).json();
    expect(mine.items.some((i: { id: string }) => i.id === app.id)).toBe(true);
    const revoke = await call(p, 'citizen', 'POST', `/api/v1/agent-authorizations/${auth.json().id}/revoke`);
    expect(revoke.json().status).toBe('revoked');
    expect((await call(p, 'agent', 'POST', '/api/v1/applications', { serviceItemCode: '340500-JHDJ', onBehalfOf: citizenId })).statusCode).toBe(403);
  });

  it('a helper files for a walk-in applicant after a document check; the applicant signs in person', async () => {
    const bad = await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '王五', code: '110105194912310021', documentInspected: true });
    expect(bad.statusCode).toBe(422);
    expect((await call(p, 'citizen', 'POST', '/api/v1/identity-checks', { name: '王五', code: '11010519491231002X', documentInspected: true })).statusCode).toBe(403);
    const face = await call(p, 'agent', 'POST', '/api/v1/identity-checks', { method: 'face', name: '王五', code: '11010519491231002X', documentInspected: true });
    expect(face.statusCode).toBe(422);
    const check = await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '王五', code: '11010519491231002X', documentInspected: true });
    expect(check.statusCode, check.body).toBe(201);
    dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
    const app = await fileApplication(p, 'agent', '340500-JHDJ', { identityCheckId: check.json().id });
    expect(app).toMatchObject({ walkIn: true, applicant: { name: '王五', codeMask: '110105********002X', hasAccount: false } });
    const c = material(app, 'hyzk').resolution.commitment!;
    expect((await call(p, 'agent', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true })).statusCode).toBe(403);
    const other = (await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '赵六', code: '440524188001010014', documentInspected: true })).json();
    expect((await call(p, 'agent', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true, identityCheckId: other.id })).statusCode).toBe(422);
    // a clerk of another department, even with a good check of the same person, may not take the signature — and nothing is written
    const clerkCheck = (await call(p, 'clerk', 'POST', '/api/v1/identity-checks', { name: '王五', code: '11010519491231002X', documentInspected: true })).json();
    const foreign = await call(p, 'clerk', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true, identityCheckId: clerkCheck.id });
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([403, 'APPLICATION.NOT_YOURS']);
    expect((await p.database.db.selectFrom('commitments').select('status').where('id', '=', c.id).executeTakeFirstOrThrow()).status).toBe('pending_signature');
    const signed = await call(p, 'agent', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true, identityCheckId: check.json().id });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().commitment).toMatchObject({ signedVia: 'in_person', status: 'signed', applicationRef: app.ref });
    // the answer built from the written row is what a later read returns
    const reread = (await call(p, 'agent', 'GET', `/api/v1/commitments/${c.id}`)).json();
    expect(reread).toEqual(signed.json().commitment);
  });
});

describe('integrated services (一件事)', () => {
  it('新生儿出生一件事: one form, proofs de-duplicated, each item decided on its own', async () => {
    dataSharing.outcomes.set('ZM-MAS-CSYX', 'answered');
    dataSharing.outcomes.set('ZM-MAS-HYZK', 'answered');
    const bundles = (await call(p, null, 'GET', '/api/v1/bundles?region=340500')).json();
    const xsecs = bundles.items.find((b: { code: string }) => b.code === 'XSECS');
    expect(xsecs.plan.summary).toEqual({ proofMaterials: 9, uniqueProofs: 5, nothingToProvide: 5 });
    const res = await call(p, 'citizen', 'POST', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: { 新生儿姓名: '张小宝' } }, { 'idempotency-key': 'bundle-xsecs-1' });
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    expect(b.applications.map((a: { serviceItem: { code: string } }) => a.serviceItem.code)).toEqual(['340500-CSDJ', '340500-SYDJX', '340500-SBK']);
    const ids = new Set(b.applications.flatMap((a: { materials: { resolution: { id: string } | null }[] }) => a.materials.filter((m) => m.resolution).map((m) => m.resolution!.id)));
    expect(ids.size).toBe(5);
    expect(b.applications[2].materials.some((m: { resolution: { shared: boolean } | null }) => m.resolution?.shared)).toBe(true);
    const csdj = b.applications[0];
    if (csdj.status === 'under_review') {
      const ok = await call(p, 'clerk', 'POST', `/api/v1/applications/${csdj.id}/approve`, {});
      expect(ok.json().status).toBe('approved');
      const after = (await call(p, 'citizen', 'GET', `/api/v1/bundle-applications/${b.id}`)).json();
      expect(after.applications.map((a: { status: string }) => a.status)[0]).toBe('approved');
      expect(after.applications[1].status).not.toBe('approved');
    } else {
      expect(csdj.status).toBe('awaiting');
    }
    const replay = await call(p, 'citizen', 'POST', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: { 新生儿姓名: '张小宝' } }, { 'idempotency-key': 'bundle-xsecs-1' });
    expect(replay.json().id).toBe(b.id);
  });
});

describe('online issue', () => {
  it('the issuing department issues the proof into the application, signed with its SM2 key', async () => {
    const app = await fileApplication(p, 'citizen', '340500-GJJTQ');
    const gjj = material(app, 'gjjjc').resolution;
    expect(gjj).toMatchObject({ status: 'satisfied', method: 'online_issue', withoutSubmission: true });
    const doc = gjj.evidence!.document as { signature: { keyId: string; value: string }; issuerId: string };
    expect(doc.issuerId).toBe('mas-gjj');
    const { signature, ...unsigned } = doc;
    const key = await p.app.deps.keys.findPublicKey(signature.keyId);
    const suite = getSuite('SM2-SM3');
    expect(await suite.verify(hexToBytes(key!.publicKey), canonicalizeToBytes(unsigned), hexToBytes(signature.value))).toBe(true);
  });
});
