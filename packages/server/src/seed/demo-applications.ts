import { randomUUID } from 'node:crypto';
import type { Actor } from '../identity/domain/roles.ts';
import type { Deps } from '../shared/deps.ts';
import { setResolutionPorts } from '../applications/adapters/resolution-ports.ts';
import type { DataSharingResolver, LicenseResolver, ResolutionRequest } from '../applications/ports/resolvers.ts';
import { checkIdentity } from '../agents/use-cases/check-identity.ts';
import { documentCheck } from '../agents/adapters/document-check.ts';
import { createApplications } from '../applications/use-cases/create-application.ts';
import { submitApplications } from '../applications/use-cases/submit-application.ts';
import { chooseMethod, uploadMaterial } from '../applications/use-cases/material-actions.ts';
import { completeApplication, decideApplication } from '../applications/use-cases/decide-application.ts';
import { signCommitment } from '../commitments/use-cases/sign-commitment.ts';
import { answerVerification } from '../verifications/use-cases/verification-requests.ts';
import { recordPostCheckResult } from '../credit/use-cases/credit-supervision.ts';
import { resolutionPorts } from '../applications/adapters/resolution-ports.ts';
import { workingDayDeadline } from '../shared/calendar/working-days.ts';
import { chineseCalendar } from '../shared/calendar/chinese-calendar.ts';
import { validIdNumber } from './demo-accounts.ts';
import { DEMO_CITIES } from './reference-data.ts';
import { prng } from '@mianzheng/provider/prng';

/**
 * A realistic history of applications over the past 14 months, produced by running the
 * real use cases with the clock set to each moment: walk-in applicants checked and filed
 * by service-hall helpers, materials resolved by the engine, commitments signed in person,
 * verification requests answered, uploads, clerk decisions, post-checks and a few false
 * commitments. E-license reads and data-sharing answers of that period come from a seeded
 * stand-in of the providers (marked `seed: true` in the evidence), since the history
 * predates the provider nodes. Deterministic: a fixed PRNG seed.
 */
const SEED = 20260301;
const ITEMS: readonly [string, number][] = [
  ['JHDJ', 6], ['HKQY', 5], ['SBK', 8], ['LSJZ', 2], ['CSDJ', 4], ['GJJTQ', 5], ['DBSQ', 2], ['TXSQ', 3], ['SYDJ', 3], ['BDCZY', 3], ['JSZG', 2], ['SFZSL', 4],
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '桂兰', '建华', '志强', '海燕', '晓东'];
const PDF = Buffer.from('%PDF-1.4\n% 历史材料扫描件(演示)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');


function historicalPorts(rand: () => number): { licenses: LicenseResolver; dataSharing: DataSharingResolver } {
  return {
    licenses: {
      async resolve(req: ResolutionRequest) {
        if (rand() < 0.72) {
          return {
            kind: 'verified', licenseTypeCode: 'HIST', licenseTypeName: req.proofItem.name, identifier: `历史证照-${req.application.ref}-${req.proofItem.id}`, licenseId: 'seed',
            issuerName: req.proofItem.issuingDepartmentName, validUntil: null, grantId: 'seed', verification: { verified: true, checks: [], errors: [], seed: true }, accessLogged: false,
          };
        }
        return { kind: 'missing', reason: '申请人尚未领取该电子证照', reasonEn: 'no such e-license' };
      },
    },
    dataSharing: {
      async query(req: ResolutionRequest) {
        if (rand() < 0.8) {
          return { kind: 'answered', providerId: 'seed', providerName: req.proofItem.issuingDepartmentName, queryId: randomUUID(), answer: { matched: true, seed: true }, asOf: new Date().toISOString(), signature: null, accessLogged: false };
        }
        return { kind: 'unavailable', reason: `${req.proofItem.issuingDepartmentName}接口超时`, reasonEn: 'provider timed out', accessLogged: false };
      },
    },
  };
}

async function historyStaff(deps: Deps, departmentId: string, roles: Actor['roles']): Promise<Actor> {
  const username = `hist-${roles[0]}-${departmentId}`;
  let row = await deps.db.selectFrom('accounts').select(['id', 'display_name']).where('username', '=', username).executeTakeFirst();
  const dept = await deps.db.selectFrom('departments').select(['name', 'region_code']).where('id', '=', departmentId).executeTakeFirstOrThrow();
  if (!row) {
    row = { id: randomUUID(), display_name: `${dept.name}(历史数据)` };
    await deps.db.insertInto('accounts').values({
      id: row.id, username, display_name: row.display_name, kind: 'staff', password_hash: null, roles, department_id: departmentId, region_code: dept.region_code,
      id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, external_subject: null, disabled: true,
    }).execute();
  }
  return { id: row.id, username, displayName: row.display_name, kind: 'staff', roles, departmentId, departmentName: dept.name, regionCode: dept.region_code };
}

export interface DemoApplicationsResult { applications: number; months: number }

export async function seedDemoApplications(deps: Deps, options: { perMonth?: number } = {}): Promise<DemoApplicationsResult> {
  const rand = prng(SEED);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const weighted = () => {
    const total = ITEMS.reduce((s, [, w]) => s + w, 0);
    let r = rand() * total;
    for (const [k, w] of ITEMS) if ((r -= w) < 0) return k;
    return ITEMS[0]![0];
  };
  let clock = new Date();
  const hdeps: Deps = { ...deps, now: () => clock };
  setResolutionPorts(hdeps, { ...resolutionPorts(deps), ...historicalPorts(rand) });
  const staff = new Map<string, Actor>();
  const actor = async (dept: string, role: 'clerk' | 'issuer' | 'agent') => {
    const k = `${role}:${dept}`;
    if (!staff.has(k)) staff.set(k, await historyStaff(deps, dept, [role]));
    return staff.get(k)!;
  };
  const end = deps.now();
  const perMonth = options.perMonth ?? 26;
  let count = 0;
  let seq = 100;
  for (let back = 13; back >= 0; back--) {
    const monthStart = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - back, 1, 1, 0, 0));
    const n = Math.round(perMonth * (0.8 + (13 - back) * 0.03) * (0.9 + rand() * 0.2));
    for (let i = 0; i < n; i++) {
      const day = 1 + Math.floor(rand() * 27);
      const at = new Date(monthStart.getTime() + (day - 1) * 86_400_000 + Math.floor(rand() * 8 * 3600_000));
      if (at.getTime() > end.getTime() - 3600_000) continue;
      clock = at;
      const city = rand() < 0.7 ? DEMO_CITIES[0] : pick(DEMO_CITIES.slice(1));
      const code = `${city.code}-${weighted()}`;
      const model = await deps.catalogReadModels.get();
      const item = model?.findServiceItem(code);
      if (!item) continue;
      const helper = await actor(`${city.key}-sjzy`, 'agent');
      const birth = `${1950 + Math.floor(rand() * 50)}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
      const idNumber = validIdNumber(`${city.code.slice(0, 4)}03${birth}${String(seq++ % 1000).padStart(3, '0')}`);
      const name = pick([...SURNAMES]) + pick(GIVEN);
      try {
        const check = await checkIdentity({ name, kind: 'person', code: idNumber, documentInspected: true }, documentCheck, helper, hdeps);
        const created = await createApplications({ serviceItemCodes: [code], form: { 联系电话: '139****0000', 来源: '窗口帮办' }, identityCheckId: check.id }, helper, hdeps);
        const appId = created.applicationIds[0]!;
        await submitApplications([appId], helper, hdeps, resolutionPorts(hdeps));
        count++;
        // The applicant's side finishes what awaits them, a little later.
        clock = new Date(at.getTime() + 20 * 60_000);
        const mats = await deps.db.selectFrom('application_materials').innerJoin('material_resolutions', 'material_resolutions.id', 'application_materials.resolution_id')
          .select(['application_materials.material_id', 'material_resolutions.id', 'material_resolutions.status']).where('application_materials.application_id', '=', appId).execute();
        for (const m of mats) {
          if (m.status === 'awaiting_signature') {
            const c = await deps.db.selectFrom('commitments').select('id').where('resolution_id', '=', m.id).where('status', '=', 'pending_signature').executeTakeFirst();
            if (c && rand() < 0.95) await signCommitment({ commitmentId: c.id, accept: true, identityCheckId: check.id }, helper, hdeps);
            else await chooseMethod({ applicationId: appId, materialId: m.material_id, method: 'upload' }, helper, hdeps, resolutionPorts(hdeps));
          } else if (m.status === 'awaiting_grant') {
            await chooseMethod({ applicationId: appId, materialId: m.material_id, method: 'upload' }, helper, hdeps, resolutionPorts(hdeps));
          }
        }
        for (const m of await deps.db.selectFrom('application_materials').innerJoin('material_resolutions', 'material_resolutions.id', 'application_materials.resolution_id')
          .select(['application_materials.material_id', 'material_resolutions.status']).where('application_materials.application_id', '=', appId).where('material_resolutions.status', '=', 'awaiting_upload').execute()) {
          await uploadMaterial({ applicationId: appId, materialId: m.material_id, filename: '扫描件.pdf', data: PDF }, helper, hdeps, resolutionPorts(hdeps));
        }
        // Issuing departments answer verification requests within 1–4 working days (a few late).
        const recent = back === 0 && at.getTime() > end.getTime() - 6 * 86_400_000;
        for (const v of await deps.db.selectFrom('verification_requests').select(['id', 'issuing_department_id']).where('application_id', '=', appId).where('status', '=', 'pending').execute()) {
          if (recent) continue;
          clock = workingDayDeadline(at, rand() < 0.9 ? 1 + Math.floor(rand() * 3) : 5, chineseCalendar);
          clock = new Date(clock.getTime() - 6 * 3600_000);
          if (clock.getTime() > end.getTime()) continue;
          await answerVerification({ id: v.id, confirmed: rand() < 0.93, reason: '经核查,与登记信息一致' }, await actor(v.issuing_department_id, 'issuer'), hdeps);
        }
        // The clerk decides within a few working days.
        const app = await deps.db.selectFrom('applications').select(['status', 'department_id']).where('id', '=', appId).executeTakeFirstOrThrow();
        if (app.status === 'under_review' && !(recent && rand() < 0.7)) {
          clock = new Date(workingDayDeadline(clock, 1 + Math.floor(rand() * 3), chineseCalendar).getTime() - 7 * 3600_000);
          if (clock.getTime() < end.getTime()) {
            const clerk = await actor(app.department_id, 'clerk');
            const r = rand();
            if (r < 0.04) await decideApplication(appId, 'reject', '经审查不符合办理条件', clerk, hdeps);
            else if (r < 0.09) await decideApplication(appId, 'return', '申请表信息不完整,请补正', clerk, hdeps);
            else {
              await decideApplication(appId, 'approve', undefined, clerk, hdeps);
              if (rand() < 0.85) await completeApplication(appId, clerk, hdeps);
            }
          }
        }
      } catch {
        // One odd case (e.g. a generated applicant whose data trips a rule) must not stop the seed.
      }
    }
  }
  // Post-checks of commitments older than two months: most true, a few false (→ credit records).
  const due = await deps.db.selectFrom('post_checks').select(['id', 'assigned_department_id', 'created_at']).where('status', '=', 'open').where('created_at', '<', new Date(end.getTime() - 60 * 86_400_000)).execute();
  for (const pc of due) {
    clock = new Date(new Date(pc.created_at).getTime() + (10 + Math.floor(rand() * 40)) * 86_400_000);
    const truthful = rand() > 0.06;
    await recordPostCheckResult({ id: pc.id, truthful, note: truthful ? '抽查属实' : '经核查,承诺内容与实际情况不符' }, await actor(pc.assigned_department_id, 'issuer'), hdeps);
  }
  return { applications: count, months: 14 };
}
