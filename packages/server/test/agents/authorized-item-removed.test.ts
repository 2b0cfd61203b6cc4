/**
 * A service item that 帮办代办 authorizations name, removed from the list: the administrator sees
 * how many authorizations in force name it before removing it; once a version without it is
 * published, the authorizations show it by its last published name as no longer offered, and the
 * agent cannot apply for it (the other items they name stay usable).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountId, createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { authorizeAgent, call, fileApplication } from '../applications/helpers.ts';

const JHDJ = '340500-JHDJ'; // 结婚登记
const CODE = '340500-T-DBYX';
const URL = '/api/v1/admin/catalog/service-items';

let p: TestPlatform;
let admin: Record<string, string>;
beforeAll(async () => {
  p = await createTestPlatform();
  admin = await p.as('catalogadmin');
});
afterAll(async () => { await p?.close(); });

async function listed(code: string) {
  const res = await p.app.inject({ url: `${URL}?q=${encodeURIComponent(code)}`, headers: admin });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Array<{ code: string; activeAuthorizations: number }>).find((i) => i.code === code);
}

async function publish(note: string) {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/publish', headers: admin, payload: { note } });
  expect(res.statusCode, res.body).toBe(201);
}

type View = { id: string; serviceItemCodes: string[]; serviceItems: Array<{ code: string; name: string; applicantKinds: string[]; offered: boolean }> };

async function authorizations(user: string, side: 'given' | 'received'): Promise<View[]> {
  const res = await call(p, user, 'GET', `/api/v1/agent-authorizations?side=${side}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

describe('an authorized service item removed from the list', () => {
  it('is counted for the administrator, then shown as no longer offered, and the agent cannot apply for it', async () => {
    const created = await p.app.inject({
      method: 'POST', url: URL, headers: admin,
      payload: { code: CODE, name: '代办测试事项', departmentId: 'mas-mz', applicantKinds: ['person'], materials: [{ name: '代办测试申请表', required: true }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().activeAuthorizations).toBe(0);
    await publish('新增代办测试事项');

    const given = await authorizeAgent(p, [CODE, JHDJ]);
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json().serviceItems).toEqual([
      { code: CODE, name: '代办测试事项', applicantKinds: ['person'], offered: true },
      { code: JHDJ, name: '结婚登记', applicantKinds: ['person'], offered: true },
    ]);
    // a revoked one is not in force: not counted
    const revoked = await authorizeAgent(p, [CODE]);
    expect((await call(p, 'citizen', 'POST', `/api/v1/agent-authorizations/${revoked.json().id}/revoke`)).statusCode).toBe(200);
    expect((await listed(CODE))!.activeAuthorizations).toBe(1);
    expect((await listed(JHDJ))!.activeAuthorizations).toBeGreaterThanOrEqual(1);

    expect((await p.app.inject({ method: 'DELETE', url: `${URL}/${CODE}`, headers: admin })).statusCode).toBe(204);
    // still offered until a version without it is published
    expect((await authorizations('agent', 'received')).find((a) => a.id === given.json().id)!.serviceItems[0]!.offered).toBe(true);
    await publish('取消代办测试事项');

    for (const [user, side] of [['citizen', 'given'], ['agent', 'received']] as const) {
      const mine = (await authorizations(user, side)).find((a) => a.id === given.json().id)!;
      expect(mine.serviceItemCodes).toEqual([CODE, JHDJ]);
      expect(mine.serviceItems).toEqual([
        { code: CODE, name: '代办测试事项', applicantKinds: ['person'], offered: false },
        { code: JHDJ, name: '结婚登记', applicantKinds: ['person'], offered: true },
      ]);
    }
    const citizenId = await accountId(p, 'citizen');
    const refused = await call(p, 'agent', 'POST', '/api/v1/applications', { serviceItemCode: CODE, onBehalfOf: citizenId, form: {} });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error).toMatchObject({ code: 'CATALOG.SERVICE_ITEM_NOT_FOUND', field: 'serviceItemCode' });
    // the other item of the same authorization still lets the agent apply
    const filed = await fileApplication(p, 'agent', JHDJ, { onBehalfOf: citizenId });
    expect(filed.serviceItem.code).toBe(JHDJ);
  });
});
