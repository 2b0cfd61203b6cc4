/**
 * The audit log says in which capacity an account acted on an application, not which roles the
 * account holds: on its own application an account acts as `applicant` (onBehalfOf empty), whatever
 * other roles it has — an agent's included; under a mandate for someone else as `agent`, in both
 * names. The demo 李帮办 (`agent`) is given a second role here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/seed/demo-accounts.ts';
import type { Role } from '../../src/identity/domain/roles.ts';
import { forgetCachedSessionsOf } from '../../src/identity/use-cases/authenticate-session.ts';
import { accountId, createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { authorizeAgent, call, fileApplication, scriptPorts } from './helpers.ts';

const HKQY = '340500-HKQY'; // 户口迁移, accepted by 马鞍山市公安局, the demo clerk's department

let p: TestPlatform;
let agentId: string;
let citizenId: string;
beforeAll(async () => {
  p = await createTestPlatform();
  const { licenses, dataSharing } = scriptPorts(p);
  for (const id of ['ZM-MAS-SFXX', 'ZM-MAS-HJZM']) licenses.outcomes.set(id, 'verified');
  dataSharing.outcomes.set('ZM-MAS-QSGX', 'answered');
  agentId = await accountId(p, 'agent');
  citizenId = await accountId(p, 'citizen');
});
afterAll(async () => { await p?.close(); });

/** 李帮办's roles from now on (the sessions cached with the old ones forgotten). */
async function agentRoles(roles: Role[]): Promise<void> {
  await p.database.db.updateTable('accounts').set({ roles }).where('id', '=', agentId).execute();
  forgetCachedSessionsOf(agentId, p.app.deps);
}

/** What 李帮办 did to an application, as the audit log has it. */
async function byAgent(applicationId: string) {
  return p.database.db.selectFrom('audit_log').select(['action', 'actor_role', 'on_behalf_of']).where('subject_id', '=', applicationId).where('actor_id', '=', agentId).execute();
}

describe('an agent who is also an applicant', () => {
  it('is audited as applicant on its own application and as agent, for the principal, under a mandate', async () => {
    await agentRoles(['agent', 'applicant']);
    const own = await fileApplication(p, 'agent', HKQY);
    const mine = await byAgent(own.id);
    expect(mine.map((a) => a.action)).toEqual(expect.arrayContaining(['application.create', 'application.submit']));
    expect(mine.filter((a) => a.actor_role !== 'applicant' || a.on_behalf_of !== null)).toEqual([]);
    const withdrawn = await call(p, 'agent', 'POST', `/api/v1/applications/${own.id}/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect((await byAgent(own.id)).filter((a) => a.action === 'application.withdraw')).toEqual([{ action: 'application.withdraw', actor_role: 'applicant', on_behalf_of: null }]);

    expect((await authorizeAgent(p, [HKQY])).statusCode).toBe(201);
    const forCitizen = await fileApplication(p, 'agent', HKQY, { onBehalfOf: citizenId });
    const asAgent = await byAgent(forCitizen.id);
    expect(asAgent.map((a) => a.action)).toEqual(expect.arrayContaining(['application.create', 'application.submit']));
    expect(asAgent.filter((a) => a.actor_role !== 'agent' || a.on_behalf_of !== citizenId)).toEqual([]);
  });
});

describe('an agent who is also window staff, on its own case filed at the window', () => {
  it('withdraws it as applicant, not as agent', async () => {
    await agentRoles(['agent', 'clerk']);
    const agent = DEMO_ACCOUNTS.find((a) => a.username === 'agent')!;
    const check = await call(p, 'clerk', 'POST', '/api/v1/identity-checks', { name: agent.displayName, code: agent.idNumber, documentInspected: true });
    expect(check.statusCode, check.body).toBe(201);
    const app = await fileApplication(p, 'clerk', HKQY, { identityCheckId: check.json().id });
    expect(app.applicant.name).toBe(agent.displayName);
    const row = await p.database.db.selectFrom('applications').select(['applicant_account_id', 'agent_account_id']).where('id', '=', app.id).executeTakeFirstOrThrow();
    expect(row.applicant_account_id).toBe(agentId);

    const withdrawn = await call(p, 'agent', 'POST', `/api/v1/applications/${app.id}/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(await byAgent(app.id)).toEqual([{ action: 'application.withdraw', actor_role: 'applicant', on_behalf_of: null }]);
  });
});
