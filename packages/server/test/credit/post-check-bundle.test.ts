/**
 * A commitment shared in a bundle (one 婚姻状况证明 for 出生登记 and 生育登记) found false: every
 * decision that rests on it is flagged for revocation — the member that shares it too, not only the
 * member that generated it, which may have been withdrawn on its own (and has no decision to revoke).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call, material, postCheckEveryCommitmentOfCitizen, scriptPorts } from '../applications/helpers.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform();
  const { licenses } = scriptPorts(p); // data sharing unavailable: 婚姻状况证明 falls to the commitment
  for (const proof of ['ZM-MAS-CSYX', 'ZM-MAS-HJZM', 'ZM-MAS-SFXX']) licenses.outcomes.set(proof, 'verified');
  // a clerk of 卫健委, which accepts 生育登记
  const clerk = await p.database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'clerk').executeTakeFirstOrThrow();
  await p.database.db.insertInto('accounts').values({
    id: randomUUID(), username: 'clerk-wj', display_name: 'clerk-wj', kind: 'staff', password_hash: clerk.password_hash, roles: ['clerk'], department_id: 'mas-wj', region_code: '340500',
    id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, external_subject: null,
  }).execute();
  // an earlier, repaired record: every commitment of the citizen is post-checked
  await postCheckEveryCommitmentOfCitizen(p);
});
afterAll(async () => { await p?.close(); });

describe('a shared commitment found false', () => {
  it('flags the decision of every member resting on it for revocation', async () => {
    const res = await call(p, 'citizen', 'POST', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: { 新生儿姓名: '张小六' } });
    expect(res.statusCode, res.body).toBe(201);
    const [csdj, sydjx, sbk] = res.json().applications;
    expect([csdj.serviceItem.code, sydjx.serviceItem.code, sbk.serviceItem.code]).toEqual(['340500-CSDJ', '340500-SYDJX', '340500-SBK']);
    const c = material(sydjx, 'hyzk').resolution.commitment!;
    const signed = await call(p, 'citizen', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true });
    expect(signed.json().postCheckScheduled, signed.body).toBe(true);
    // 出生登记 (which generated the commitment) is withdrawn; 生育登记 is approved on the commitment
    expect((await call(p, 'citizen', 'POST', `/api/v1/applications/${csdj.id}/withdraw`)).statusCode).toBe(200);
    const approved = await call(p, 'clerk-wj', 'POST', `/api/v1/applications/${sydjx.id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);

    const task = (await call(p, 'issuer', 'GET', '/api/v1/post-checks?status=open&pageSize=100')).json().items.find((t: { commitmentId: string }) => t.commitmentId === c.id);
    const result = await call(p, 'issuer', 'POST', `/api/v1/post-checks/${task.id}/result`, { truthful: false, note: '经查申请人婚姻状况与承诺不符' });
    expect(result.statusCode, result.body).toBe(200);

    const flag = async (id: string) => (await call(p, 'citizen', 'GET', `/api/v1/applications/${id}`)).json().revocationSuggested;
    expect(await flag(sydjx.id)).toBe(true);
    expect(await flag(csdj.id)).toBe(false); // withdrawn: no decision to revoke
    expect(await flag(sbk.id)).toBe(false); // does not use the commitment
  });
});
