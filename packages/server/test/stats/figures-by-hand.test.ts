/**
 * The statistics checked against the records: every figure is computed here by hand from the rows
 * the use cases wrote, and compared with the API and the monthly report. The clock is set to a
 * month the demo history does not reach (2027-02, Beijing), so the month's figures are this test's.
 *
 * The bundle case (failed before its fix): 新生儿出生一件事 filed as a draft, 出生登记 withdrawn on
 * its own, the bundle then submitted. 出生登记 generated the proofs it shares with 生育登记 and
 * 社会保障卡申领 (婚姻状况, 婚育状况, 户籍); they were counted with it — an application never
 * submitted, so not at all — and the two submitted members' proofs went missing from 免提交率.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call, fileApplication, material, scriptPorts, type ScriptedDataSharing, type ScriptedLicenses } from '../applications/helpers.ts';

const MONTH = '2027-02';
const clock = new Date('2027-02-10T04:00:00Z'); // 12:00 Beijing
let p: TestPlatform;
let licenses: ScriptedLicenses;
let dataSharing: ScriptedDataSharing;
const ids: Record<string, string> = {};

interface Figure { total: number; exempt: number }

/** 免提交率 by hand: each proof resolution a submitted application of the month (马鞍山市) uses, once; keyed as `keyOf` says. */
async function byHand(keyOf: (a: { service_item_name: string; department_name: string; method: string | null }) => string): Promise<{ all: Figure; items: Map<string, Figure> }> {
  const db = p.database.db;
  const uses = await db.selectFrom('application_materials as am')
    .innerJoin('applications as a', 'a.id', 'am.application_id')
    .innerJoin('material_resolutions as m', 'm.id', 'am.resolution_id')
    .select(['am.resolution_id', 'a.id', 'a.submitted_at', 'a.service_item_name', 'a.department_name', 'a.period_month', 'm.status', 'm.without_submission', 'm.method', 'm.application_id as owner'])
    .where('a.region_code', 'like', '3405%').where('a.period_month', 'is not', null).execute();
  // a shared proof is counted once, with the first submitted member using it (the owner on a tie)
  const first = new Map<string, (typeof uses)[number]>();
  for (const u of uses) {
    const f = first.get(u.resolution_id!);
    const earlier = !f || new Date(u.submitted_at!).getTime() < new Date(f.submitted_at!).getTime()
      || (new Date(u.submitted_at!).getTime() === new Date(f.submitted_at!).getTime() && u.id === u.owner && f.id !== f.owner);
    if (earlier) first.set(u.resolution_id!, u);
  }
  const all = { total: 0, exempt: 0 };
  const items = new Map<string, Figure>();
  for (const u of first.values()) {
    if (u.period_month !== MONTH) continue;
    const k = keyOf(u);
    const f = items.get(k) ?? { total: 0, exempt: 0 };
    const exempt = u.status === 'satisfied' && u.without_submission === true ? 1 : 0;
    f.total += 1; f.exempt += exempt; all.total += 1; all.exempt += exempt;
    items.set(k, f);
  }
  return { all, items };
}

async function api(by: string) {
  const res = await call(p, 'supervisor', 'GET', `/api/v1/stats/exemption-rate?by=${by}&from=${MONTH}&to=${MONTH}&region=340500`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { total: number; exempt: number; items: { key: string; total: number; exempt: number }[] };
}

beforeAll(async () => {
  p = await createTestPlatform({ now: () => clock });
  ({ licenses, dataSharing } = scriptPorts(p));
  for (const proof of ['ZM-MAS-CSYX', 'ZM-MAS-HJZM', 'ZM-MAS-SFXX']) licenses.outcomes.set(proof, 'verified');
  dataSharing.outcomes.set('ZM-MAS-HYZK', 'answered');

  // 新生儿出生一件事 as a draft; 出生登记 withdrawn on its own; the rest submitted together
  const res = await call(p, 'citizen', 'POST', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: { 新生儿姓名: '张小六' }, submit: false });
  expect(res.statusCode, res.body).toBe(201);
  const [csdj, sydjx, sbk] = res.json().applications;
  expect([csdj.serviceItem.code, sydjx.serviceItem.code, sbk.serviceItem.code]).toEqual(['340500-CSDJ', '340500-SYDJX', '340500-SBK']);
  Object.assign(ids, { bundle: res.json().id, csdj: csdj.id, sydjx: sydjx.id, sbk: sbk.id });
  expect((await call(p, 'citizen', 'POST', `/api/v1/applications/${csdj.id}/withdraw`)).statusCode).toBe(200);
  const submitted = await call(p, 'citizen', 'POST', `/api/v1/bundle-applications/${ids.bundle}/submit`);
  expect(submitted.statusCode, submitted.body).toBe(200);

  // 结婚登记 with 婚姻状况 unavailable from 民政: a commitment awaits the applicant's signature
  dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
  const jhdj = await fileApplication(p, 'citizen', '340500-JHDJ');
  ids.jhdj = jhdj.id;
  expect(material(jhdj, 'hyzk').resolution.status).toBe('awaiting_signature');
});
afterAll(async () => { await p?.close(); });

describe('免提交率 computed by hand from the records', () => {
  it('the submitted members of a bundle keep the proofs they share with a member withdrawn as a draft', async () => {
    // the members as the applicant sees them: every proof of 生育登记 and 社会保障卡申领 met without submission
    for (const id of [ids.sydjx, ids.sbk]) {
      const view = (await call(p, 'citizen', 'GET', `/api/v1/applications/${id}`)).json();
      expect(view.status).toBe('under_review');
      for (const m of view.materials.filter((x: { proofItemId: string | null }) => x.proofItemId)) expect(m.resolution.withoutSubmission, m.name).toBe(true);
    }
    const hand = await byHand((a) => a.service_item_name);
    // 生育登记: 居民身份信息, 婚姻状况, 婚育状况; 社会保障卡申领: 户籍 (居民身份信息 is 生育登记's); 结婚登记: three, one awaiting a signature
    expect(Object.fromEntries(hand.items)).toEqual({
      生育登记: { total: 3, exempt: 3 }, 社会保障卡申领: { total: 1, exempt: 1 }, 结婚登记: { total: 3, exempt: 2 },
    });
    expect(hand.all).toEqual({ total: 7, exempt: 6 });

    const byItem = await api('service_item');
    expect({ total: byItem.total, exempt: byItem.exempt }).toEqual(hand.all);
    expect(byItem.items.map((i) => [i.key, { total: i.total, exempt: i.exempt }]).sort())
      .toEqual([...hand.items].map(([k, v]) => [`${k}(马鞍山市)`, v]).sort());
  });

  it('by department, by method, by region and by month add up to the same records', async () => {
    const hand = await byHand((a) => a.department_name);
    const byDept = await api('department');
    expect(Object.fromEntries(byDept.items.map((i) => [i.key, { total: i.total, exempt: i.exempt }]))).toEqual(Object.fromEntries(hand.items));
    for (const by of ['method', 'region', 'month']) {
      const r = await api(by);
      expect({ by, total: r.total, exempt: r.exempt }).toEqual({ by, ...hand.all });
      expect(r.items.reduce((s, i) => s + i.total, 0), by).toBe(hand.all.total);
    }
    const methods = await byHand((a) => a.method ?? 'pending');
    expect(Object.fromEntries(methods.items)).toEqual({
      e_license: { total: 4, exempt: 4 }, data_sharing: { total: 1, exempt: 1 }, cancelled: { total: 1, exempt: 1 }, commitment: { total: 1, exempt: 0 },
    });
    expect(Object.fromEntries((await api('method')).items.map((i) => [i.key, { total: i.total, exempt: i.exempt }]))).toEqual(Object.fromEntries(methods.items));
  });

  it('the monthly report\'s overview says the same', async () => {
    const hand = await byHand(() => 'all');
    const res = await call(p, 'supervisor', 'GET', `/api/v1/stats/monthly-report.xlsx?month=${MONTH}&region=340500`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const overview = new Map<string, unknown>();
    wb.getWorksheet('概览')!.eachRow((row, i) => { if (i > 1) overview.set(String(row.getCell(1).value), row.getCell(2).value); });
    const cases = await p.database.db.selectFrom('applications').select((eb) => eb.fn.countAll<string>().as('n')).where('period_month', '=', MONTH).where('region_code', 'like', '3405%').executeTakeFirstOrThrow();
    const commitments = await p.database.db.selectFrom('commitments as c').innerJoin('applications as a', 'a.id', 'c.application_id')
      .select(['c.status']).where('c.period_month', '=', MONTH).where('a.region_code', 'like', '3405%').execute();
    expect(Number(cases.n)).toBe(3); // 生育登记, 社会保障卡申领, 结婚登记: 出生登记 was never submitted
    expect({
      cases: overview.get('办件量'), proofs: overview.get('证明材料数'), exempt: overview.get('免提交数'), rate: overview.get('免提交率'),
      commitments: overview.get('告知承诺办件'), signed: overview.get('已签署承诺书'),
    }).toEqual({
      cases: Number(cases.n), proofs: hand.all.total, exempt: hand.all.exempt, rate: Math.round((hand.all.exempt / hand.all.total) * 10000) / 10000,
      commitments: commitments.length, signed: commitments.filter((c) => c.status === 'signed' || c.status === 'found_false').length,
    });
    expect(commitments.map((c) => c.status)).toEqual(['pending_signature']);
  });
});
