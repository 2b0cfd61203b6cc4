/**
 * 服务对象 in 帮办代办 authorizations: a principal may authorise an agent only for service items
 * its own kind may apply for — an enterprise not for 结婚登记 (natural persons), a citizen not for
 * 企业设立登记 (legal persons) — refused with 422 naming the item's place in `serviceItemCodes`,
 * every such item listed, nothing written. The authorization says the principal's kind, so the
 * agent's apply page offers only what the principal may apply for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalKindOf, scopeNotForPrincipal } from '../../src/agents/domain/authorization.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { authorizeAgent, call } from '../applications/helpers.ts';

const JHDJ = '340500-JHDJ'; // 结婚登记: persons
const HKQY = '340500-HKQY'; // 户口迁移登记: persons
const QYSL = '340500-QYSL'; // 企业设立登记: enterprises
const SPJY = '340500-SPJY'; // 食品经营许可: enterprises
const BDCZY = '340500-BDCZY'; // 不动产转移登记: both

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform();
  for (const u of ['citizen', 'enterprise', 'agent']) await p.as(u); // a sign-in is audited: before any count
});
afterAll(async () => { await p?.close(); });

/** What creating an authorization writes. */
async function written() {
  const db = p.database.db;
  const n = async (q: { executeTakeFirstOrThrow(): Promise<{ n: unknown }> }) => Number((await q.executeTakeFirstOrThrow()).n);
  return {
    authorizations: await n(db.selectFrom('agent_authorizations').select((eb) => eb.fn.countAll().as('n'))),
    audit: await n(db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'agent.authorize')),
  };
}

describe('the scope of an authorization and the principal\'s kind', () => {
  it('an enterprise cannot authorise 结婚登记: 422 on that item\'s place, its reason in both languages, nothing written', async () => {
    const before = await written();
    const res = await authorizeAgent(p, [QYSL, JHDJ], 'enterprise');
    expect(res.statusCode, res.body).toBe(422);
    const error = res.json().error;
    expect(error).toMatchObject({
      code: 'APPLICATION.WRONG_APPLICANT_KIND', field: 'serviceItemCodes.1',
      details: [{ field: 'serviceItemCodes.1', serviceItemCode: JHDJ, applicantKinds: ['person'], applicantKind: 'enterprise' }],
    });
    expect(error.details).toHaveLength(1);
    expect(error.message).toMatch(/结婚登记.*服务对象为自然人.*企业不能申请.*代办/);
    expect(error.messageEn).toMatch(/结婚登记.*natural persons only.*enterprise may not apply.*agent/);
    expect(await written()).toEqual(before);
  });

  it('every item the principal cannot apply for is listed, the first one named as the field', async () => {
    const before = await written();
    const res = await authorizeAgent(p, [JHDJ, QYSL, HKQY, BDCZY], 'enterprise');
    expect(res.statusCode, res.body).toBe(422);
    const error = res.json().error;
    expect(error.field).toBe('serviceItemCodes.0');
    expect(error.details.map((d: { field: string; serviceItemCode: string }) => [d.field, d.serviceItemCode])).toEqual([['serviceItemCodes.0', JHDJ], ['serviceItemCodes.2', HKQY]]);
    expect(error.details[1].message).toMatch(/户口迁移登记/);
    expect(await written()).toEqual(before);
  });

  it('a citizen cannot authorise 企业设立登记 or 食品经营许可', async () => {
    const before = await written();
    const res = await authorizeAgent(p, [SPJY, BDCZY, QYSL], 'citizen');
    expect(res.statusCode, res.body).toBe(422);
    const error = res.json().error;
    expect(error).toMatchObject({ code: 'APPLICATION.WRONG_APPLICANT_KIND', field: 'serviceItemCodes.0' });
    expect(error.details.map((d: { serviceItemCode: string; applicantKind: string }) => [d.serviceItemCode, d.applicantKind])).toEqual([[SPJY, 'person'], [QYSL, 'person']]);
    expect(error.message).toMatch(/服务对象为法人.*个人不能申请/);
    expect(error.messageEn).toMatch(/natural person may not apply/);
    expect(await written()).toEqual(before);
  });

  it('an unknown item is still 404 naming its place, before any kind is looked at', async () => {
    const res = await authorizeAgent(p, [JHDJ, '340500-NOPE'], 'enterprise');
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'CATALOG.SERVICE_ITEM_NOT_FOUND', field: 'serviceItemCodes.1' });
  });

  it('items the principal may apply for are authorised, and the authorization says the principal\'s kind everywhere', async () => {
    const before = await written();
    const forEnterprise = await authorizeAgent(p, [QYSL, BDCZY], 'enterprise');
    expect(forEnterprise.statusCode, forEnterprise.body).toBe(201);
    expect(forEnterprise.json()).toMatchObject({ principal: { name: '马鞍山市皖江新材料有限公司', kind: 'enterprise' }, serviceItemCodes: [QYSL, BDCZY] });
    const forCitizen = await authorizeAgent(p, [JHDJ, BDCZY], 'citizen');
    expect(forCitizen.statusCode, forCitizen.body).toBe(201);
    expect(forCitizen.json().principal.kind).toBe('person');
    expect(await written()).toEqual({ authorizations: before.authorizations + 2, audit: before.audit + 2 });

    const received = (await call(p, 'agent', 'GET', '/api/v1/agent-authorizations?side=received')).json();
    const kindOf = (id: string) => received.items.find((a: { id: string }) => a.id === id)?.principal.kind;
    expect([kindOf(forEnterprise.json().id), kindOf(forCitizen.json().id)]).toEqual(['enterprise', 'person']);
    const given = (await call(p, 'enterprise', 'GET', '/api/v1/agent-authorizations?side=given')).json();
    expect(given.items.every((a: { principal: { kind: string } }) => a.principal.kind === 'enterprise')).toBe(true);
    expect(given.items.some((a: { id: string }) => a.id === forEnterprise.json().id)).toBe(true);

    const revoked = await call(p, 'enterprise', 'POST', `/api/v1/agent-authorizations/${forEnterprise.json().id}/revoke`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', principal: { kind: 'enterprise' } });
  });
});

describe('scopeNotForPrincipal (pure)', () => {
  const items = [
    { code: 'A', name: '结婚登记', applicantKinds: ['person' as const] },
    { code: 'B', name: '不动产转移登记', applicantKinds: ['person' as const, 'enterprise' as const] },
    { code: 'C', name: '企业设立登记', applicantKinds: ['enterprise' as const] },
  ];
  it('lists the items a kind may not apply for, with their places', () => {
    expect(scopeNotForPrincipal(items, 'enterprise').map((v) => [v.index, v.serviceItemCode])).toEqual([[0, 'A']]);
    expect(scopeNotForPrincipal(items, 'person').map((v) => [v.index, v.serviceItemCode])).toEqual([[2, 'C']]);
    expect(scopeNotForPrincipal(items.slice(1, 2), 'person')).toEqual([]);
  });
  it('an enterprise account authorises as 法人, any other as 自然人 (as filing takes it)', () => {
    expect(['enterprise', 'person', 'staff'].map(principalKindOf)).toEqual(['enterprise', 'person', 'person']);
  });
});
