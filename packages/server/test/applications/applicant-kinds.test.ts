import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, validUscc } from '../../src/seed/demo-accounts.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call, scriptPorts } from './helpers.ts';

/** 服务对象: a service item says who may apply (自然人 / 法人 / both); filing refuses any other kind of applicant. */
let p: TestPlatform;
const JHDJ = '340500-JHDJ'; // 结婚登记: persons
const QYSL = '340500-QYSL'; // 企业设立登记: enterprises
const BDCZY = '340500-BDCZY'; // 不动产转移登记: both
const ENTERPRISE_USCC = DEMO_ACCOUNTS.find((a) => a.username === 'enterprise')!.uscc!;
const CITIZEN_ID = DEMO_ACCOUNTS.find((a) => a.username === 'citizen')!.idNumber!;
let citizenId: string;
let enterpriseId: string;

beforeAll(async () => {
  p = await createTestPlatform();
  scriptPorts(p);
  const ids = await p.database.db.selectFrom('accounts').select(['id', 'username']).where('username', 'in', ['citizen', 'enterprise']).execute();
  citizenId = ids.find((a) => a.username === 'citizen')!.id;
  enterpriseId = ids.find((a) => a.username === 'enterprise')!.id;
  // signed in before any count of what was written (a sign-in is audited)
  for (const u of ['citizen', 'enterprise', 'agent', 'clerk']) await p.as(u);
});
afterAll(async () => { await p?.close(); });

/** What a filing writes: applications, bundles, audit entries, idempotency keys. */
async function written() {
  const db = p.database.db;
  const count = async (table: 'applications' | 'bundle_applications' | 'audit_log' | 'idempotency_keys' | 'material_resolutions') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { applications: await count('applications'), bundles: await count('bundle_applications'), audit: await count('audit_log'), keys: await count('idempotency_keys'), resolutions: await count('material_resolutions') };
}

async function expectRefused(user: string, url: string, body: Record<string, unknown>, expected: { field: string; serviceItemCode: string; message: RegExp; messageEn: RegExp }) {
  const before = await written();
  const res = await call(p, user, 'POST', url, body, { 'idempotency-key': `kind-${Math.random().toString(36).slice(2)}` });
  expect(res.statusCode, res.body).toBe(422);
  const error = res.json().error;
  expect(error).toMatchObject({ code: 'APPLICATION.WRONG_APPLICANT_KIND', field: expected.field, details: { serviceItemCode: expected.serviceItemCode } });
  expect(error.message).toMatch(expected.message);
  expect(error.messageEn).toMatch(expected.messageEn);
  expect(await written()).toEqual(before);
  return error;
}

describe('the catalog says who may apply', () => {
  it('service items carry applicantKinds, in the latest and in an older published version', async () => {
    for (const version of ['', '?version=1']) {
      const kinds = async (code: string) => (await call(p, null, 'GET', `/api/v1/service-items/${code}${version}`)).json().applicantKinds;
      expect({ jhdj: await kinds(JHDJ), qysl: await kinds(QYSL), bdczy: await kinds(BDCZY) }).toEqual({ jhdj: ['person'], qysl: ['enterprise'], bdczy: ['person', 'enterprise'] });
    }
    const proof = (await call(p, null, 'GET', '/api/v1/proof-items/ZM-MAS-ZSCD')).json();
    expect(proof.serviceItems.find((s: { code: string }) => s.code === QYSL).applicantKinds).toEqual(['enterprise']);
  });

  it('the list filters by applicantKind, and rejects an unknown kind', async () => {
    const list = async (kind?: string) => {
      const res = await call(p, null, 'GET', `/api/v1/service-items?region=340500&pageSize=100${kind ? `&applicantKind=${kind}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { total: number; items: { code: string; applicantKinds: string[] }[] };
    };
    const all = await list();
    const persons = await list('person');
    const enterprises = await list('enterprise');
    expect(all.items.every((s) => s.applicantKinds.length > 0)).toBe(true);
    expect(persons.items.every((s) => s.applicantKinds.includes('person'))).toBe(true);
    expect(enterprises.items.every((s) => s.applicantKinds.includes('enterprise'))).toBe(true);
    expect(persons.items.map((s) => s.code)).toEqual(expect.arrayContaining([JHDJ, BDCZY]));
    expect(persons.items.map((s) => s.code)).not.toContain(QYSL);
    expect(enterprises.items.map((s) => s.code)).toEqual(expect.arrayContaining([QYSL, BDCZY]));
    expect(enterprises.items.map((s) => s.code)).not.toContain(JHDJ);
    // every item serves one kind or both: the two filtered lists overlap exactly in the items for both
    const both = all.items.filter((s) => s.applicantKinds.length === 2).length;
    expect(persons.total + enterprises.total - both).toBe(all.total);
    // an integrated service serves whom every member serves
    const bundles = (await call(p, null, 'GET', '/api/v1/bundles?region=340500')).json().items as { code: string; applicantKinds: string[] }[];
    expect(bundles.length).toBeGreaterThan(0);
    expect(bundles.map((b) => [b.code, b.applicantKinds])).toEqual(bundles.map((b) => [b.code, ['person']]));
    const bad = await call(p, null, 'GET', '/api/v1/service-items?applicantKind=robot');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('querystring.applicantKind');
  });
});

describe('filing refuses an applicant the item does not serve, and writes nothing', () => {
  it('an enterprise account cannot apply for 结婚登记', async () => {
    await expectRefused('enterprise', '/api/v1/applications', { serviceItemCode: JHDJ, form: {} }, {
      field: 'serviceItemCode', serviceItemCode: JHDJ, message: /结婚登记.*服务对象为自然人.*企业不能申请/, messageEn: /natural persons only.*enterprise may not apply/,
    });
  });

  it('a citizen cannot apply for 企业设立登记 (for enterprises), nor as a draft', async () => {
    for (const submit of [true, false]) {
      await expectRefused('citizen', '/api/v1/applications', { serviceItemCode: QYSL, form: {}, submit }, {
        field: 'serviceItemCode', serviceItemCode: QYSL, message: /服务对象为法人.*个人不能申请/, messageEn: /legal persons.*natural person may not apply/,
      });
    }
  });

  it('an item for both is accepted from a citizen and from an enterprise', async () => {
    for (const user of ['citizen', 'enterprise']) {
      const res = await call(p, user, 'POST', '/api/v1/applications', { serviceItemCode: BDCZY, form: { 备注: '服务对象' } });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().applicant.kind).toBe(user === 'citizen' ? 'person' : 'enterprise');
    }
    const enterprise = await call(p, 'enterprise', 'POST', '/api/v1/applications', { serviceItemCode: QYSL, form: {}, submit: false });
    expect(enterprise.statusCode, enterprise.body).toBe(201);
  });

  it('walk-in: the checked subject\'s kind counts, not the helper\'s', async () => {
    const checkOf = async (helper: 'agent' | 'clerk', subject: { name: string; kind: 'person' | 'enterprise'; code: string }) => {
      const res = await call(p, helper, 'POST', '/api/v1/identity-checks', { ...subject, documentInspected: true });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const citizen = { name: '张晓梅', kind: 'person' as const, code: CITIZEN_ID };
    const enterprise = { name: '马鞍山市皖江新材料有限公司', kind: 'enterprise' as const, code: ENTERPRISE_USCC };
    // a USCC of no account: the kind comes from the check alone
    const noAccount = { name: '某某商贸有限公司', kind: 'enterprise' as const, code: validUscc('91340500MA2N0Y7C1') };
    await expectRefused('agent', '/api/v1/applications', { serviceItemCode: JHDJ, form: {}, identityCheckId: await checkOf('agent', enterprise) }, {
      field: 'serviceItemCode', serviceItemCode: JHDJ, message: /服务对象为自然人.*企业不能申请/, messageEn: /natural persons only/,
    });
    await expectRefused('clerk', '/api/v1/applications', { serviceItemCode: QYSL, form: {}, identityCheckId: await checkOf('clerk', citizen) }, {
      field: 'serviceItemCode', serviceItemCode: QYSL, message: /服务对象为法人.*个人不能申请/, messageEn: /legal persons/,
    });
    for (const [code, subject] of [[JHDJ, citizen], [QYSL, noAccount], [BDCZY, enterprise]] as const) {
      const res = await call(p, 'agent', 'POST', '/api/v1/applications', { serviceItemCode: code, form: {}, identityCheckId: await checkOf('agent', subject), submit: false });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().applicant.kind).toBe(subject.kind);
    }
  });

  it('an agent files with the principal\'s kind', async () => {
    // an authorization may no longer name an item its principal cannot apply for (test/agents/authorization-kinds.test.ts):
    // these two are mandates given before that rule, as they stay in the table
    const agent = await p.database.db.selectFrom('accounts').select(['id', 'display_name']).where('username', '=', 'agent').executeTakeFirstOrThrow();
    const mandate = (principalId: string, principalName: string) => ({
      id: randomUUID(), principal_account_id: principalId, principal_name: principalName, agent_account_id: agent.id, agent_name: agent.display_name,
      service_item_codes: [JHDJ, QYSL], valid_from: new Date(Date.now() - 86_400_000), valid_until: new Date(Date.now() + 30 * 86_400_000),
      status: 'active' as const, created_at: new Date(), revoked_at: null,
    });
    await p.database.db.insertInto('agent_authorizations').values([mandate(enterpriseId, '马鞍山市皖江新材料有限公司'), mandate(citizenId, '张晓梅')]).execute();
    await expectRefused('agent', '/api/v1/applications', { serviceItemCode: JHDJ, form: {}, onBehalfOf: enterpriseId }, {
      field: 'serviceItemCode', serviceItemCode: JHDJ, message: /服务对象为自然人.*企业不能申请/, messageEn: /enterprise may not apply/,
    });
    await expectRefused('agent', '/api/v1/applications', { serviceItemCode: QYSL, form: {}, onBehalfOf: citizenId }, {
      field: 'serviceItemCode', serviceItemCode: QYSL, message: /服务对象为法人.*个人不能申请/, messageEn: /natural person may not apply/,
    });
    for (const [code, principal] of [[JHDJ, citizenId], [QYSL, enterpriseId]] as const) {
      const res = await call(p, 'agent', 'POST', '/api/v1/applications', { serviceItemCode: code, form: {}, onBehalfOf: principal, submit: false });
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('a bundle is refused when a member does not serve the applicant, naming that member', async () => {
    // 新生儿出生一件事: 出生登记, 生育登记, 社保卡申领 — all for persons
    await expectRefused('enterprise', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: {} }, {
      field: 'bundleCode', serviceItemCode: '340500-CSDJ', message: /新生儿出生登记.*服务对象为自然人/, messageEn: /natural persons only/,
    });
    const ok = await call(p, 'citizen', 'POST', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: {}, submit: false });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('a member other than the first is named by its service item code', async () => {
    // the catalog changes 生育登记 (the second member) to enterprises only, in a new version
    await p.database.db.updateTable('service_items').set({ applicant_kinds: ['enterprise'] }).where('code', '=', '340500-SYDJX').execute();
    const published = await call(p, 'catalogadmin', 'POST', '/api/v1/admin/catalog/publish', { note: '生育登记服务对象调整(测试)' });
    expect(published.statusCode, published.body).toBe(201);
    await expectRefused('citizen', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: {} }, {
      field: 'bundleCode', serviceItemCode: '340500-SYDJX', message: /生育登记.*服务对象为法人/, messageEn: /legal persons/,
    });
    // the older version still records 生育登记 as for persons
    expect((await call(p, null, 'GET', `/api/v1/service-items/340500-SYDJX?version=${published.json().number - 1}`)).json().applicantKinds).toEqual(['person']);
    expect((await call(p, null, 'GET', '/api/v1/service-items/340500-SYDJX')).json().applicantKinds).toEqual(['enterprise']);
    // 新生儿出生一件事 now serves nobody as a whole: offered to neither kind
    const xsecs = ((await call(p, null, 'GET', '/api/v1/bundles?region=340500')).json().items as { code: string; applicantKinds: string[] }[]).find((b) => b.code === 'XSECS');
    expect(xsecs?.applicantKinds).toEqual([]);
  });
});

describe('the plan shown before filing (办理前告知)', () => {
  it('refuses an applicant the item does not serve, as filing does, and plans it for one it serves', async () => {
    const enterprise = await call(p, 'enterprise', 'GET', `/api/v1/applications/preview?serviceItemCode=${JHDJ}`);
    expect(enterprise.statusCode, enterprise.body).toBe(422);
    expect(enterprise.json().error).toMatchObject({ code: 'APPLICATION.WRONG_APPLICANT_KIND', field: 'serviceItemCode', details: { serviceItemCode: JHDJ, applicantKind: 'enterprise' } });
    expect((await call(p, 'citizen', 'GET', `/api/v1/applications/preview?serviceItemCode=${JHDJ}`)).statusCode).toBe(200);
    expect((await call(p, 'citizen', 'GET', `/api/v1/applications/preview?serviceItemCode=${QYSL}`)).statusCode).toBe(422);
    expect((await call(p, 'enterprise', 'GET', `/api/v1/applications/preview?serviceItemCode=${QYSL}`)).statusCode).toBe(200);
    // a clerk without a walk-in subject sees the plan of the item itself
    expect((await call(p, 'clerk', 'GET', `/api/v1/applications/preview?serviceItemCode=${JHDJ}`)).statusCode).toBe(200);
  });
});
