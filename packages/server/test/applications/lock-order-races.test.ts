/**
 * An application's rows under concurrency. Every transaction that locks an application's rows
 * takes the application rows first (in id order), then the material resolution, then the
 * commitment, then the verification request, and appends to the audit chain only after that;
 * one that may write a working-day deadline holds the calendar (shared) before all of them.
 * Each test here failed before that order was kept everywhere:
 * - signing a commitment locked commitment → resolution → application, switching the material's
 *   method resolution → commitment: run at once, PostgreSQL aborted one of them as a deadlock (500);
 * - answering a verification locked request → resolution → application, withdrawing application →
 *   request: the same;
 * - two members of a bundle withdrawn at once each saw the other still open, so the proof they
 *   shared stayed to sign (or to verify) for two withdrawn applications;
 * - an upload checked the application's state before its transaction, so one racing a withdrawal
 *   attached its file to the withdrawn application.
 * Two transactions at once need two connections, so the lock-order tests run on PostgreSQL only
 * (PGlite has one connection); the upload test runs on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import {
  call, depsWithGatedTransaction, fileApplication, gatedDeps, locksRowsOf, material, PDF, scriptPorts, settle, readsJoining, StatementGate, untilBlockedOrSettled, upload,
  type ScriptedDataSharing, type ScriptedLicenses,
} from './helpers.ts';
import { findActorByToken } from '../../src/identity/use-cases/authenticate-session.ts';
import { resolutionPorts } from '../../src/applications/adapters/resolution-ports.ts';
import { uploadMaterial } from '../../src/applications/use-cases/material-actions.ts';
import { signCommitment } from '../../src/commitments/use-cases/sign-commitment.ts';
import { answerVerification } from '../../src/verifications/use-cases/verification-requests.ts';
import { withdrawApplication } from '../../src/applications/use-cases/decide-application.ts';
import type { Actor } from '../../src/identity/domain/roles.ts';

const onPostgres = process.env.MZ_TEST_DB === 'postgres';
/** The rows of a case: what the gate recognises as a transaction's first lock. */
const CASE_ROWS = locksRowsOf('applications', 'material_resolutions', 'commitments', 'verification_requests');

let p: TestPlatform;
let licenses: ScriptedLicenses;
let dataSharing: ScriptedDataSharing;
beforeAll(async () => {
  p = await createTestPlatform();
  ({ licenses, dataSharing } = scriptPorts(p));
});
afterAll(async () => { await p?.close(); });

async function actorOf(username: string): Promise<Actor> {
  return (await findActorByToken(await p.tokenOf(username), p.app.deps))!;
}

/** 结婚登记 with 婚姻状况 not answered by data sharing: a commitment waits for the citizen's signature. */
async function commitmentToSign() {
  dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
  const app = await fileApplication(p, 'citizen', '340500-JHDJ');
  const hyzk = material(app, 'hyzk');
  expect(hyzk.resolution.status).toBe('awaiting_signature');
  return { appId: app.id as string, materialId: hyzk.materialId, commitmentId: hyzk.resolution.commitment!.id };
}

describe('an upload racing a withdrawal', () => {
  it('an upload that checked the application before the withdrawal committed writes nothing: 409 APPLICATION.INVALID_TRANSITION', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'unavailable');
    const a = await fileApplication(p, 'citizen', '340500-SBK');
    const sfxx = material(a, 'sfxx');
    expect(sfxx.resolution.status).toBe('awaiting_upload');
    // the upload has read and checked the application and the material (both still waiting for the file) …
    const gate = depsWithGatedTransaction(p);
    const uploading = settle(uploadMaterial({ applicationId: a.id, materialId: sfxx.materialId, filename: '身份证.pdf', data: PDF }, await actorOf('citizen'), gate.deps, resolutionPorts(p.app.deps)));
    await gate.reached;
    // … when the applicant withdraws
    const withdrawn = await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    gate.open();
    const out = await uploading.result;
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error).toMatchObject({ code: 'APPLICATION.INVALID_TRANSITION', status: 409, details: { from: 'withdrawn', event: 'upload' } });
    expect(await p.database.db.selectFrom('application_files').select('id').where('application_id', '=', a.id).execute()).toEqual([]);
    expect(await p.database.db.selectFrom('audit_log').select('seq').where('subject_id', '=', a.id).where('action', '=', 'application.upload').execute()).toEqual([]);
    expect(material((await call(p, 'citizen', 'GET', `/api/v1/applications/${a.id}`)).json(), 'sfxx').resolution.status).toBe('awaiting_upload');
  });

  it('an upload to an application already withdrawn is refused the same way, over HTTP', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'unavailable');
    const a = await fileApplication(p, 'citizen', '340500-SBK');
    expect((await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/withdraw`)).statusCode).toBe(200);
    const res = await upload(p, 'citizen', a.id, material(a, 'sfxx').materialId, 'x.pdf', PDF);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'APPLICATION.INVALID_TRANSITION', field: 'status', details: { from: 'withdrawn', event: 'upload' } });
    expect(await p.database.db.selectFrom('application_files').select('id').where('application_id', '=', a.id).execute()).toEqual([]);
  });
});

describe.skipIf(!onPostgres)('lock order (PostgreSQL)', () => {
  it('signing a commitment while the applicant switches the same material to upload: one wins, the other gets 409 — no deadlock, no 500', async () => {
    const { appId, materialId, commitmentId } = await commitmentToSign();
    // the signature's transaction has taken its first lock …
    const gate = new StatementGate(CASE_ROWS);
    const signing = settle(signCommitment({ commitmentId, accept: true }, await actorOf('citizen'), gatedDeps(p, gate)));
    await gate.reached;
    // … when the switch to upload starts its own
    const switching = settle(call(p, 'citizen', 'POST', `/api/v1/applications/${appId}/materials/${materialId}/method`, { method: 'upload' }));
    expect(await untilBlockedOrSettled(p, switching.done)).toBe('blocked');
    gate.open();
    const [signed, switched] = await Promise.all([signing.result, switching.result]);
    expect(signed.ok ? 'signed' : String(signed.error)).toBe('signed');
    expect(switched.ok && switched.value.statusCode).toBe(409);
    expect(switched.ok && switched.value.json().error.code).toBe('APPLICATION.METHOD_NOT_OFFERED');
    const c = await p.database.db.selectFrom('commitments').select('status').where('id', '=', commitmentId).executeTakeFirstOrThrow();
    expect(c.status).toBe('signed');
  });

  it('answering a verification while the applicant withdraws: both go through in turn — no deadlock, no 500', async () => {
    const a = await fileApplication(p, 'citizen', '340500-LSJZ');
    const dbzm = material(a, 'dbzm').resolution;
    expect(dbzm.status).toBe('awaiting_verification');
    const gate = new StatementGate(CASE_ROWS);
    const answering = settle(answerVerification({ id: dbzm.verification!.id, confirmed: true, reason: '经核实属实' }, await actorOf('issuer'), gatedDeps(p, gate)));
    await gate.reached;
    const withdrawing = settle(call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/withdraw`));
    expect(await untilBlockedOrSettled(p, withdrawing.done)).toBe('blocked');
    gate.open();
    const [answered, withdrawn] = await Promise.all([answering.result, withdrawing.result]);
    expect(answered.ok ? answered.value.status : String(answered.error)).toBe('confirmed');
    expect(withdrawn.ok && withdrawn.value.statusCode).toBe(200);
    expect(withdrawn.ok && withdrawn.value.json().status).toBe('withdrawn');
  });

  it('two members of a bundle withdrawn at once: the proof they shared is released (its commitment declined), not left to sign', async () => {
    // 新生儿出生一件事: 出生登记 and 生育登记 share the 婚姻状况 commitment
    dataSharing.outcomes.set('ZM-MAS-CSYX', 'answered');
    dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
    const res = await call(p, 'citizen', 'POST', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: { 新生儿姓名: '张同时' } });
    expect(res.statusCode, res.body).toBe(201);
    const [csdj, sydjx] = res.json().applications;
    const c = material(sydjx, 'hyzk').resolution.commitment!;
    // the first withdrawal has seen the other member still open (so keeps the shared proof) …
    const gate = new StatementGate(readsJoining('application_materials', 'applications'));
    const first = settle(withdrawApplication(csdj.id, await actorOf('citizen'), gatedDeps(p, gate)));
    await gate.reached;
    // … when the other member is withdrawn too
    const second = settle(call(p, 'citizen', 'POST', `/api/v1/applications/${sydjx.id}/withdraw`));
    expect(await untilBlockedOrSettled(p, second.done)).toBe('blocked');
    gate.open();
    const [a, b] = await Promise.all([first.result, second.result]);
    expect(a.ok).toBe(true);
    expect(b.ok && b.value.statusCode).toBe(200);
    expect((await p.database.db.selectFrom('commitments').select('status').where('id', '=', c.id).executeTakeFirstOrThrow()).status).toBe('declined');
  });

  it('signing and switching the method at once, many times: never a 500', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 20; round++) {
      const { appId, materialId, commitmentId } = await commitmentToSign();
      const [signed, switched] = await Promise.all([
        call(p, 'citizen', 'POST', `/api/v1/commitments/${commitmentId}/sign`, { accept: true }),
        call(p, 'citizen', 'POST', `/api/v1/applications/${appId}/materials/${materialId}/method`, { method: 'upload' }),
      ]);
      outcomes.push(`${signed.statusCode}/${switched.statusCode}`);
    }
    // exactly one of the two gets through each time: signed (the switch 409) or switched (the signature 409, declined)
    expect(outcomes.filter((o) => o !== '200/409' && o !== '409/200')).toEqual([]);
  });
});
