/**
 * Regression tests of a review of the application engine and the clerk's workbench: each failed before its fix.
 * - a malformed multipart upload (no boundary, the body cut off in the middle of the file) is a 400
 *   naming `file` (it was a 500), and writes nothing;
 * - a submit retried with the same Idempotency-Key while the first is still resolving replays
 *   (it was 409 "already submitted" for the client's own request); two at once submit once;
 * - pages of the applicant's list and of the department queue neither repeat nor lose an
 *   application when several share the sort keys (a bundle's members are created in one instant);
 * - a supervisor bound to a department (no region on the account) reads the applications of the
 *   department's region only, as for credit records and escalations (it read every region's);
 * - the reason an applicant's switch of method leaves in the material's explanation names the method
 *   in Chinese (it read "申请人选择改用data_sharing");
 * - a download's file name is a valid RFC 8187 ext-value (' ( ) * were sent unescaped), and the
 *   answer forbids content sniffing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { setResolutionPorts } from '../../src/applications/adapters/resolution-ports.ts';
import { addSupervisor, call, fileApplication, material, PDF, GatedDataSharing, ScriptedLicenses, upload } from './helpers.ts';

// one instant for everything filed here: applications filed together share their timestamps
const now = new Date('2026-03-10T02:00:00Z');
let p: TestPlatform;
let licenses: ScriptedLicenses;
let dataSharing: GatedDataSharing;
beforeAll(async () => {
  p = await createTestPlatform({ now: () => now });
  licenses = new ScriptedLicenses();
  dataSharing = new GatedDataSharing();
  setResolutionPorts(p.app.deps, { licenses, dataSharing });
  await addSupervisor(p, 'sup-tl-dept', null, 'tl-mz');
  await addSupervisor(p, 'sup-mas-dept', null, 'mas-mz');
});
afterAll(async () => { await p?.close(); });

describe('a malformed multipart upload', () => {
  it('is a 400 naming the file, and writes nothing', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'unavailable');
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    const a = await fileApplication(p, 'citizen', '340500-SBK');
    const sfxx = material(a, 'sfxx');
    expect(sfxx.resolution.status).toBe('awaiting_upload');
    const url = `/api/v1/applications/${a.id}/materials/${sfxx.materialId}/upload`;
    const auth = await p.as('citizen');
    const boundary = '----mzcut';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const cases = {
      // no boundary parameter at all
      noBoundary: { payload: Buffer.concat([head, PDF]), contentType: 'multipart/form-data' },
      // the connection's body ends in the middle of the file (no closing boundary)
      cutInFile: { payload: Buffer.concat([head, PDF]), contentType: `multipart/form-data; boundary=${boundary}` },
      // the part's headers never end
      cutInHeaders: { payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"`), contentType: `multipart/form-data; boundary=${boundary}` },
    };
    for (const [name, c] of Object.entries(cases)) {
      const res = await p.app.inject({ method: 'POST', url, payload: c.payload, headers: { ...auth, 'content-type': c.contentType } });
      expect({ name, status: res.statusCode, code: res.json().error?.code, field: res.json().error?.field }).toEqual({ name, status: 400, code: 'REQUEST.INVALID', field: 'file' });
    }
    const files = await p.database.db.selectFrom('application_files').select('id').where('application_id', '=', a.id).execute();
    expect(files).toEqual([]);
    const after = (await call(p, 'citizen', 'GET', `/api/v1/applications/${a.id}`)).json();
    expect(material(after, 'sfxx').resolution.status).toBe('awaiting_upload');
  });
});

describe('submit with an Idempotency-Key', () => {
  it('retried while the first is still resolving, replays instead of answering 409', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
    licenses.outcomes.set('ZM-MAS-HJZM', 'missing');
    dataSharing.outcomes.set('ZM-MAS-HJZM', 'answered');
    const draft = await fileApplication(p, 'citizen', '340500-JHDJ', { submit: false });
    dataSharing.reset();
    dataSharing.gated.add('ZM-MAS-HJZM');
    const key = { 'idempotency-key': `submit-${randomUUID()}` };
    const first = call(p, 'citizen', 'POST', `/api/v1/applications/${draft.id}/submit`, undefined, key);
    await dataSharing.reached;
    const retry = await call(p, 'citizen', 'POST', `/api/v1/applications/${draft.id}/submit`, undefined, key);
    dataSharing.gated.clear();
    dataSharing.open();
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ id: draft.id, status: 'submitted' });
    const done = await first;
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('awaiting');
    // after the first finished, the same key replays its answer; another application with it is a conflict
    const replay = await call(p, 'citizen', 'POST', `/api/v1/applications/${draft.id}/submit`, undefined, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(done.json());
    const other = await fileApplication(p, 'citizen', '340500-JHDJ', { submit: false });
    const conflict = await call(p, 'citizen', 'POST', `/api/v1/applications/${other.id}/submit`, undefined, key);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('REQUEST.IDEMPOTENCY_CONFLICT');
    const submits = await p.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', draft.id).where('action', '=', 'application.submit').execute();
    expect(submits).toHaveLength(1);
  });

  it('sent twice at once, submits once and answers both', async () => {
    const draft = await fileApplication(p, 'citizen', '340500-SBK', { submit: false });
    const key = { 'idempotency-key': `submit-${randomUUID()}` };
    const [a, b] = await Promise.all([
      call(p, 'citizen', 'POST', `/api/v1/applications/${draft.id}/submit`, undefined, key),
      call(p, 'citizen', 'POST', `/api/v1/applications/${draft.id}/submit`, undefined, key),
    ]);
    expect([a.statusCode, b.statusCode], `${a.body}\n${b.body}`).toEqual([200, 200]);
    expect(a.json().id).toBe(draft.id);
    expect(b.json().id).toBe(draft.id);
    const submits = await p.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', draft.id).where('action', '=', 'application.submit').execute();
    expect(submits).toHaveLength(1);
  });
});

/** Every id of a list, page by page. */
async function walk(user: string, url: string, pageSize: number): Promise<{ total: number; ids: string[] }> {
  const ids: string[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const res = await call(p, user, 'GET', `${url}${url.includes('?') ? '&' : '?'}pageSize=${pageSize}&page=${page}`);
    expect(res.statusCode, res.body).toBe(200);
    total = res.json().total;
    ids.push(...res.json().items.map((i: { id: string }) => i.id));
    if (page * pageSize >= total) return { total, ids };
  }
}

describe('paging through lists whose rows share the sort keys', () => {
  it('the applicant\'s list: every application once', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await call(p, 'citizen', 'POST', '/api/v1/bundle-applications', { bundleCode: 'XSECS', region: '340500', form: {}, submit: false });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const size of [1, 2, 4]) {
      const { total, ids } = await walk('citizen', '/api/v1/applications', size);
      expect({ size, seen: ids.length, distinct: new Set(ids).size }).toEqual({ size, seen: total, distinct: total });
    }
  });

  it('the department queue: every application once', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    dataSharing.outcomes.set('ZM-MAS-QSGX', 'answered');
    for (let i = 0; i < 7; i++) expect((await fileApplication(p, 'citizen', '340500-HKQY')).status).toBe('under_review');
    for (const size of [1, 2, 3]) {
      const { total, ids } = await walk('clerk', '/api/v1/workbench/applications?serviceItem=340500-HKQY', size);
      expect(total).toBeGreaterThanOrEqual(7);
      expect({ size, seen: ids.length, distinct: new Set(ids).size }).toEqual({ size, seen: total, distinct: total });
    }
  });
});

describe('a supervisor bound to a department', () => {
  it('reads the applications of the department\'s region only', async () => {
    const a = await fileApplication(p, 'citizen', '340500-SBK', { submit: false });
    const submitted = await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect((await call(p, 'sup-mas-dept', 'GET', `/api/v1/applications/${a.id}`)).statusCode).toBe(200);
    const other = await call(p, 'sup-tl-dept', 'GET', `/api/v1/applications/${a.id}`);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('APPLICATION.NOT_YOURS');
  });

  it('reads no draft: it is the applicant\'s own until submitted', async () => {
    // 户口迁移: accepted by 马鞍山市公安局, the demo clerk's department
    const a = await fileApplication(p, 'citizen', '340500-HKQY', { submit: false });
    for (const staff of ['clerk', 'sup-mas-dept', 'supervisor']) {
      const draft = await call(p, staff, 'GET', `/api/v1/applications/${a.id}`);
      expect(draft.statusCode, `${staff}: ${draft.body}`).toBe(403);
      expect(draft.json().error.code).toBe('APPLICATION.NOT_YOURS');
    }
    expect((await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/submit`)).statusCode).toBe(200);
    for (const staff of ['clerk', 'sup-mas-dept', 'supervisor']) expect((await call(p, staff, 'GET', `/api/v1/applications/${a.id}`)).statusCode).toBe(200);
  });

  it('reads the commitments of the department\'s region only (the text names the applicant)', async () => {
    const a = await fileApplication(p, 'citizen', '340500-JHDJ');
    const commitment = material(a, 'hyzk').resolution.commitment;
    expect(commitment, JSON.stringify(material(a, 'hyzk'))).toBeTruthy();
    const mine = await call(p, 'sup-mas-dept', 'GET', `/api/v1/commitments/${commitment!.id}`);
    expect(mine.statusCode, mine.body).toBe(200);
    const other = await call(p, 'sup-tl-dept', 'GET', `/api/v1/commitments/${commitment!.id}`);
    expect(other.statusCode, other.body).toBe(403);
    expect(other.json().error.code).toBe('APPLICATION.NOT_YOURS');
  });
});

describe('switching a material to another method', () => {
  it('explains the switch in words, not in method codes', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
    licenses.outcomes.set('ZM-MAS-HJZM', 'grant_required');
    const a = await fileApplication(p, 'citizen', '340500-SBK');
    const hjzm = material(a, 'hjzm');
    expect(hjzm.resolution).toMatchObject({ status: 'awaiting_grant', method: 'e_license' });
    expect(hjzm.resolution.options).toContain('data_sharing');
    dataSharing.outcomes.set('ZM-MAS-HJZM', 'answered');
    const res = await call(p, 'citizen', 'POST', `/api/v1/applications/${a.id}/materials/${hjzm.materialId}/method`, { method: 'data_sharing' });
    expect(res.statusCode, res.body).toBe(200);
    const after = material(res.json(), 'hjzm').resolution;
    expect(after).toMatchObject({ status: 'satisfied', method: 'data_sharing' });
    const declined = after.attempts.find((x) => x.outcome === 'declined')!;
    expect(declined.reason).toBe('申请人选择改用数据共享');
    expect(after.explanation).toContain('申请人选择改用数据共享');
    expect(after.explanation).not.toMatch(/[a-z_]{4,}/);
  });
});

describe('downloading an uploaded document', () => {
  it('names the file in a valid RFC 8187 ext-value and forbids sniffing', async () => {
    licenses.outcomes.set('ZM-MAS-SFXX', 'unavailable');
    licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    const a = await fileApplication(p, 'citizen', '340500-SBK');
    const sfxx = material(a, 'sfxx');
    const name = "户口簿(张's)*.pdf";
    const up = await upload(p, 'citizen', a.id, sfxx.materialId, name, PDF);
    expect(up.statusCode, up.body).toBe(200);
    const file = material(up.json(), 'sfxx').resolution as unknown as { files: { id: string; filename: string }[] };
    expect(file.files[0]!.filename).toBe(name);
    const res = await call(p, 'citizen', 'GET', `/api/v1/applications/${a.id}/files/${file.files[0]!.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const disposition = String(res.headers['content-disposition']);
    // attr-char (RFC 8187 §3.2.1) or a percent-encoded octet, nothing else
    const m = /^attachment; filename\*=UTF-8''((?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+)$/.exec(disposition);
    expect(m, disposition).not.toBeNull();
    expect(decodeURIComponent(m![1]!)).toBe(name);
  });
});
