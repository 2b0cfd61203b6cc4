/**
 * 受审分离 (separation of duties): the clerk who filed an application — a walk-in applicant's
 * case filed at the window — or who is its applicant does not decide it; another clerk of the
 * accepting department does. The refusal is 409 APPLICATION.SEPARATION_OF_DUTIES and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { validIdNumber } from '../../src/seed/demo-accounts.ts';
import { authorizeAgent, call, fileApplication, scriptPorts } from './helpers.ts';

const HKQY = '340500-HKQY'; // 户口迁移, accepted by 马鞍山市公安局 (mas-ga), the demo clerk's department
let p: TestPlatform;

/** A staff account of mas-ga with the demo password (the demo clerk's hash). */
async function addClerk(username: string, roles: string[], idNumber?: string): Promise<string> {
  const clerk = await p.database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'clerk').executeTakeFirstOrThrow();
  const pid = idNumber ? p.app.deps.pii.protect(idNumber, 'id_number') : null;
  const id = randomUUID();
  await p.database.db.insertInto('accounts').values({
    id, username, display_name: `${username}(公安窗口)`, kind: 'staff', password_hash: clerk.password_hash, roles, department_id: 'mas-ga', region_code: '340500',
    id_number_enc: pid?.enc ?? null, id_number_hash: pid?.hash ?? null, id_number_mask: pid?.mask ?? null, uscc: null, external_subject: null,
  }).execute();
  return id;
}

async function row(id: string) {
  return p.database.db.selectFrom('applications').select(['status', 'decided_at', 'decided_by', 'decision_reason', 'created_by_account_id', 'agent_account_id']).where('id', '=', id).executeTakeFirstOrThrow();
}

async function decisionAudits(id: string) {
  return p.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', id).where('action', 'in', ['application.approve', 'application.reject', 'application.return']).execute();
}

let clerk2Id: string;
beforeAll(async () => {
  p = await createTestPlatform();
  const { licenses, dataSharing } = scriptPorts(p);
  licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
  licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
  dataSharing.outcomes.set('ZM-MAS-QSGX', 'answered');
  clerk2Id = await addClerk('clerk2', ['clerk']);
});
afterAll(async () => { await p?.close(); });

describe('a clerk who filed a walk-in application does not decide it', () => {
  let app: { id: string; ref: string; status: string };
  it('the filer is refused approve, reject and return with 409 and nothing changes; the view says so', async () => {
    const check = await call(p, 'clerk', 'POST', '/api/v1/identity-checks', { name: '王五', code: '11010519491231002X', documentInspected: true });
    expect(check.statusCode, check.body).toBe(201);
    app = await fileApplication(p, 'clerk', HKQY, { identityCheckId: check.json().id });
    expect(app.status).toBe('under_review');
    const filed = await row(app.id);
    const clerkId = filed.created_by_account_id;
    expect(filed.agent_account_id).toBe(clerkId);

    const view = (await call(p, 'clerk', 'GET', `/api/v1/applications/${app.id}`)).json();
    expect(view.viewer).toEqual({ applicantSide: true, isApplicant: false, filedByMe: true });

    const approve = await call(p, 'clerk', 'POST', `/api/v1/applications/${app.id}/approve`, {});
    expect(approve.statusCode, approve.body).toBe(409);
    expect(approve.json().error).toMatchObject({ code: 'APPLICATION.SEPARATION_OF_DUTIES', field: 'id' });
    expect(approve.json().error.message).toContain('受审分离');
    expect(approve.json().error.messageEn).toContain('Separation of duties');
    for (const decision of ['reject', 'return'] as const) {
      const res = await call(p, 'clerk', 'POST', `/api/v1/applications/${app.id}/${decision}`, { reason: '材料不全,请补正' });
      expect([res.statusCode, res.json().error.code], decision).toEqual([409, 'APPLICATION.SEPARATION_OF_DUTIES']);
    }
    expect(await row(app.id)).toMatchObject({ status: 'under_review', decided_at: null, decided_by: null, decision_reason: null });
    expect(await decisionAudits(app.id)).toEqual([]);
  });

  it('another clerk of the department approves it', async () => {
    const view = (await call(p, 'clerk2', 'GET', `/api/v1/applications/${app.id}`)).json();
    expect(view.viewer).toEqual({ applicantSide: false, isApplicant: false, filedByMe: false });
    const res = await call(p, 'clerk2', 'POST', `/api/v1/applications/${app.id}/approve`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('approved');
    expect(await row(app.id)).toMatchObject({ status: 'approved', decided_by: clerk2Id });
    expect(await decisionAudits(app.id)).toEqual([{ action: 'application.approve' }]);
    // completing (delivering the result) is not a decision: the filer may do it
    expect((await call(p, 'clerk', 'POST', `/api/v1/applications/${app.id}/complete`)).json().status).toBe('completed');
  });

  it('the filer may still decide other applications of the department', async () => {
    const other = await fileApplication(p, 'citizen', HKQY);
    expect(other.status).toBe('under_review');
    const view = (await call(p, 'clerk', 'GET', `/api/v1/applications/${other.id}`)).json();
    expect(view.viewer).toMatchObject({ filedByMe: false });
    const res = await call(p, 'clerk', 'POST', `/api/v1/applications/${other.id}/return`, { reason: '申请表联系电话缺失' });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('a clerk who is the applicant does not decide their own application', () => {
  it('filed by an agent for the clerk: the clerk is refused, a colleague decides', async () => {
    await addClerk('clerk3', ['clerk', 'applicant'], validIdNumber('34050319880808003'));
    const auth = await authorizeAgent(p, [HKQY], 'clerk3');
    expect(auth.statusCode, auth.body).toBe(201);
    const clerk3 = await p.database.db.selectFrom('accounts').select('id').where('username', '=', 'clerk3').executeTakeFirstOrThrow();
    const app = await fileApplication(p, 'agent', HKQY, { onBehalfOf: clerk3.id });
    expect(app.status).toBe('under_review');
    const view = (await call(p, 'clerk3', 'GET', `/api/v1/applications/${app.id}`)).json();
    expect(view.viewer).toEqual({ applicantSide: true, isApplicant: true, filedByMe: false });
    const refused = await call(p, 'clerk3', 'POST', `/api/v1/applications/${app.id}/reject`, { reason: '不符合条件' });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'APPLICATION.SEPARATION_OF_DUTIES', field: 'id' });
    expect(refused.json().error.message).toContain('申请人');
    expect((await row(app.id)).status).toBe('under_review');
    expect((await call(p, 'clerk2', 'POST', `/api/v1/applications/${app.id}/approve`, {})).json().status).toBe('approved');
  });

  it('filed by the clerk for themself: refused as well', async () => {
    const app = await fileApplication(p, 'clerk3', HKQY);
    expect(app.status).toBe('under_review');
    const view = (await call(p, 'clerk3', 'GET', `/api/v1/applications/${app.id}`)).json();
    expect(view.viewer).toEqual({ applicantSide: true, isApplicant: true, filedByMe: true });
    const res = await call(p, 'clerk3', 'POST', `/api/v1/applications/${app.id}/approve`, {});
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'APPLICATION.SEPARATION_OF_DUTIES']);
    expect((await row(app.id)).status).toBe('under_review');
  });
});

describe('the demo history keeps separation of duties', () => {
  it('no seeded application was decided by the account that filed it (helpers file, the department\'s clerks decide)', async () => {
    const seeded = await sql<{ decided: number; own: number }>`
      SELECT count(*)::int AS decided,
             count(*) FILTER (WHERE a.decided_by = a.created_by_account_id OR a.decided_by = a.agent_account_id OR a.decided_by = a.applicant_account_id)::int AS own
        FROM applications a JOIN accounts f ON f.id = a.created_by_account_id
       WHERE a.decided_by IS NOT NULL AND f.username LIKE 'hist-%'`.execute(p.database.db);
    expect(Number(seeded.rows[0]!.decided)).toBeGreaterThan(50);
    expect(Number(seeded.rows[0]!.own)).toBe(0);
  });
});
