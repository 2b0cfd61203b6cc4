/**
 * Regression tests of a review of agents, walk-in filing and bundles: each failed before its fix.
 * - everything an agent's action does to an application is logged in both names (the state
 *   change the engine makes after the agent submits, too);
 * - a bundle's shared proof, once the member that generated it is withdrawn, is resolved for a
 *   member still in hand: the remaining member's department reads the data, for that member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountId, createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { authorizeAgent, call, fileApplication, material, scriptPorts, type ScriptedDataSharing, type ScriptedLicenses } from './helpers.ts';

let p: TestPlatform;
let licenses: ScriptedLicenses;
let dataSharing: ScriptedDataSharing;
let citizenId: string;
beforeAll(async () => {
  p = await createTestPlatform();
  ({ licenses, dataSharing } = scriptPorts(p));
  citizenId = await accountId(p, 'citizen');
  licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
});
afterAll(async () => { await p?.close(); });

describe('agents: logged in both names', () => {
  it('the state change that follows the agent\'s submission names the applicant too', async () => {
    const auth = await authorizeAgent(p, ['340500-JHDJ']);
    expect(auth.statusCode, auth.body).toBe(201);
    dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    const app = await fileApplication(p, 'agent', '340500-JHDJ', { onBehalfOf: citizenId });
    expect(app.status).toBe('awaiting');
    const byAgent = await p.database.db.selectFrom('audit_log').select(['action', 'actor_role', 'on_behalf_of']).where('subject_id', '=', app.id).where('actor_id', '=', app.agent.id).execute();
    expect(byAgent.map((a) => a.action)).toContain('application.awaiting');
    expect(byAgent.filter((a) => a.on_behalf_of !== citizenId || a.actor_role !== 'agent')).toEqual([]);
  });

  it('after the authorization is revoked, the agent\'s list no longer shows what was filed under it (a walk-in filing stays)', async () => {
    const auth = await authorizeAgent(p, ['340500-SBK']);
    expect(auth.statusCode, auth.body).toBe(201);
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    const app = await fileApplication(p, 'agent', '340500-SBK', { onBehalfOf: citizenId });
    const check = (await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '王五', code: '11010519491231002X', documentInspected: true })).json();
    const walkIn = await fileApplication(p, 'agent', '340500-SBK', { identityCheckId: check.id });
    const listed = async () => ((await call(p, 'agent', 'GET', '/api/v1/applications?pageSize=100')).json().items as { id: string }[]).map((i) => i.id);
    expect(await listed()).toEqual(expect.arrayContaining([app.id, walkIn.id]));
    expect((await call(p, 'citizen', 'POST', `/api/v1/agent-authorizations/${auth.json().id}/revoke`)).statusCode).toBe(200);
    expect((await call(p, 'agent', 'GET', `/api/v1/applications/${app.id}`)).statusCode).toBe(403);
    // the list used to keep showing it, with its status and decision as they changed
    const after = await listed();
    expect({ revoked: after.includes(app.id), walkIn: after.includes(walkIn.id) }).toEqual({ revoked: false, walkIn: true });
    expect(((await call(p, 'citizen', 'GET', '/api/v1/applications?pageSize=100')).json().items as { id: string }[]).some((i) => i.id === app.id)).toBe(true);
  });
});

describe('bundles: a shared proof outlives the member that generated it', () => {
  it('after 出生登记 (公安) is withdrawn, retrying the shared 户籍证明 for 社保卡申领 reads the license for 社保卡申领, by 人社', async () => {
    dataSharing.outcomes.set('ZM-MAS-CSYX', 'answered');
    dataSharing.outcomes.set('ZM-MAS-HYZK', 'answered');
    licenses.outcomes.set('ZM-MAS-HJZM', 'grant_required');
    const res = await call(p, 'citizen', 'POST', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: { 新生儿姓名: '张小三' } });
    expect(res.statusCode, res.body).toBe(201);
    const [csdj, , sbk] = res.json().applications;
    expect([csdj.serviceItem.code, sbk.serviceItem.code]).toEqual(['340500-CSDJ', '340500-SBK']);
    const hjzm = material(sbk, 'hjzm');
    expect(hjzm.resolution).toMatchObject({ status: 'awaiting_grant', shared: true });
    expect((await call(p, 'citizen', 'POST', `/api/v1/applications/${csdj.id}/withdraw`)).statusCode).toBe(200);
    // the applicant grants the use (scripted) and retries for the member still open
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    const before = licenses.calls.length;
    const retried = await call(p, 'citizen', 'POST', `/api/v1/applications/${sbk.id}/materials/${hjzm.materialId}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(material(retried.json(), 'hjzm').resolution.status).toBe('satisfied');
    const reads = licenses.calls.slice(before).map((c) => ({ application: c.application.id, department: c.requester.departmentId }));
    // it used to read for the withdrawn 出生登记, as 公安
    expect(reads).toEqual([{ application: sbk.id, department: sbk.department.id }]);
    const logs = await p.database.db.selectFrom('access_log').select(['application_ref']).where('application_ref', 'in', [csdj.ref, sbk.ref]).where('data_item', 'like', 'license:%').execute();
    expect(logs.map((l) => l.application_ref)).toEqual([sbk.ref]);
  });

});

describe('agents: told of an application only while the authorisation covers it', () => {
  const HKQY = '340500-HKQY'; // 户口迁移, accepted by 马鞍山市公安局, the demo clerk's department
  const notified = async (username: string, appId: string) => {
    const account = await p.database.db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    return p.database.db.selectFrom('notifications').select(['kind', 'body']).where('recipient_account_id', '=', account.id).where('link', '=', `/applications/${appId}`).orderBy('created_at').execute();
  };

  it('after revocation a decision (with its reason) and a request to act reach the applicant, not the former agent; a walk-in filing stays the helper\'s', async () => {
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    dataSharing.outcomes.set('ZM-MAS-QSGX', 'answered');
    const auth = await authorizeAgent(p, [HKQY]);
    expect(auth.statusCode, auth.body).toBe(201);
    const decidedBefore = await fileApplication(p, 'agent', HKQY, { onBehalfOf: citizenId });
    const decidedAfter = await fileApplication(p, 'agent', HKQY, { onBehalfOf: citizenId });
    const draft = await fileApplication(p, 'agent', HKQY, { onBehalfOf: citizenId, submit: false });
    expect([decidedBefore.status, decidedAfter.status, draft.status]).toEqual(['under_review', 'under_review', 'draft']);
    // while the authorisation covers it, the agent is told
    expect((await call(p, 'clerk', 'POST', `/api/v1/applications/${decidedBefore.id}/approve`, {})).statusCode).toBe(200);
    expect((await notified('agent', decidedBefore.id)).map((n) => n.kind)).toEqual(['application.decided']);

    expect((await call(p, 'citizen', 'POST', `/api/v1/agent-authorizations/${auth.json().id}/revoke`)).statusCode).toBe(200);
    const reason = '户口簿本人页复印不清,请补正';
    expect((await call(p, 'clerk', 'POST', `/api/v1/applications/${decidedAfter.id}/return`, { reason })).statusCode).toBe(200);
    // the former agent used to be told the decision and its reason
    expect(await notified('agent', decidedAfter.id)).toEqual([]);
    expect(await notified('citizen', decidedAfter.id)).toEqual([{ kind: 'application.returned', body: expect.stringContaining(reason) }]);

    // the applicant submits the draft the agent prepared; it waits for the applicant's grant
    licenses.outcomes.set('ZM-MAS-HJZM', 'grant_required');
    const submitted = await call(p, 'citizen', 'POST', `/api/v1/applications/${draft.id}/submit`);
    expect(submitted.json().status, submitted.body).toBe('awaiting');
    expect(await notified('agent', draft.id)).toEqual([]);
    expect((await notified('citizen', draft.id)).map((n) => n.kind)).toEqual(['application.awaiting']);

    // a walk-in filing is the helper's case: still told
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    const check = (await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '王五', code: '11010519491231002X', documentInspected: true })).json();
    const walkIn = await fileApplication(p, 'agent', HKQY, { identityCheckId: check.id });
    expect(walkIn.status).toBe('under_review');
    expect((await call(p, 'clerk', 'POST', `/api/v1/applications/${walkIn.id}/reject`, { reason: '不符合迁入条件' })).statusCode).toBe(200);
    expect((await notified('agent', walkIn.id)).map((n) => n.kind)).toEqual(['application.decided']);
  });
});

describe('bundles: submitting a bundle with a member withdrawn on its own', () => {
  it('submits the members still in draft and leaves the withdrawn one; with no draft left it is 409 (403 to a stranger)', async () => {
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    const res = await call(p, 'citizen', 'POST', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: { 新生儿姓名: '张小四' }, submit: false });
    expect(res.statusCode, res.body).toBe(201);
    const bundle = res.json();
    const [csdj, sydjx, sbk] = bundle.applications;
    expect(bundle.applications.map((a: { status: string }) => a.status)).toEqual(['draft', 'draft', 'draft']);
    expect((await call(p, 'citizen', 'POST', `/api/v1/applications/${sydjx.id}/withdraw`)).json().status).toBe('withdrawn');
    // it used to be 409 for the whole bundle
    const submitted = await call(p, 'citizen', 'POST', `/api/v1/bundle-applications/${bundle.id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    const status = new Map((submitted.json().applications as { id: string; status: string }[]).map((a) => [a.id, a.status]));
    expect(status.get(sydjx.id)).toBe('withdrawn');
    expect([csdj.id, sbk.id].map((id) => status.get(id))).not.toContain('draft');
    const audits = await p.database.db.selectFrom('audit_log').select('subject_id').where('action', '=', 'application.submit').where('subject_id', 'in', [csdj.id, sydjx.id, sbk.id]).execute();
    expect(audits.map((a) => a.subject_id).sort()).toEqual([csdj.id, sbk.id].sort());

    const again = await call(p, 'citizen', 'POST', `/api/v1/bundle-applications/${bundle.id}/submit`);
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'APPLICATION.INVALID_TRANSITION', field: 'id' });
    expect((await call(p, 'enterprise', 'POST', `/api/v1/bundle-applications/${bundle.id}/submit`)).statusCode).toBe(403);
  });
});
