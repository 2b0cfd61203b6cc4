import { randomUUID } from 'node:crypto';
import { identityNumberCheckChar, usccCheckChar } from '@mianzheng/crypto';
import type { Db } from '../db/database.ts';
import type { AccountKind, Role } from '../identity/domain/roles.ts';
import { hashPassword } from '../identity/adapters/password-hasher.ts';
import type { PiiProtector } from '../shared/pii.ts';
import { departmentId } from './reference-data.ts';

export const DEMO_PASSWORD = 'Demo@2026';

export function validIdNumber(first17: string): string {
  return first17 + identityNumberCheckChar(first17);
}

export function validUscc(first17: string): string {
  return first17 + usccCheckChar(first17);
}

export interface DemoAccount {
  username: string;
  displayName: string;
  kind: AccountKind;
  roles: Role[];
  departmentId?: string;
  regionCode?: string;
  idNumber?: string;
  uscc?: string;
  description: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'citizen', displayName: '张晓梅', kind: 'person', roles: ['applicant'], regionCode: '340503', idNumber: validIdNumber('34050319900307002'), description: '市民(申请人)' },
  { username: 'enterprise', displayName: '马鞍山市皖江新材料有限公司', kind: 'enterprise', roles: ['applicant'], regionCode: '340504', uscc: validUscc('91340500MA2N0X1B3'), description: '企业(申请人)' },
  { username: 'agent', displayName: '李帮办', kind: 'person', roles: ['agent'], regionCode: '340500', idNumber: validIdNumber('34050419850612003'), description: '帮办代办人员' },
  { username: 'clerk', displayName: '王窗口', kind: 'staff', roles: ['clerk'], departmentId: departmentId('mas', 'ga'), regionCode: '340500', description: '马鞍山市公安局窗口人员' },
  { username: 'issuer', displayName: '赵开具', kind: 'staff', roles: ['issuer'], departmentId: departmentId('mas', 'mz'), regionCode: '340500', description: '马鞍山市民政局(证明开具部门)' },
  { username: 'catalogadmin', displayName: '陈清单', kind: 'staff', roles: ['catalog_admin'], departmentId: 'ah-sf', regionCode: '340000', description: '安徽省司法厅清单管理员' },
  { username: 'catalogmas', displayName: '孙清单', kind: 'staff', roles: ['catalog_admin'], departmentId: departmentId('mas', 'sf'), regionCode: '340500', description: '马鞍山市司法局清单管理员(只改本市,不发布)' },
  { username: 'dataadmin', displayName: '周数据', kind: 'staff', roles: ['data_admin'], departmentId: 'ah-sjzy', regionCode: '340000', description: '安徽省数据资源管理局数据管理员' },
  { username: 'datamas', displayName: '钱数据', kind: 'staff', roles: ['data_admin'], departmentId: departmentId('mas', 'sjzy'), regionCode: '340500', description: '马鞍山市数据资源管理局数据管理员(只管本市的节点)' },
  { username: 'supervisor', displayName: '吴督查', kind: 'staff', roles: ['supervisor'], regionCode: '340000', description: '督查考核人员' },
  { username: 'bank', displayName: '工商银行马鞍山分行', kind: 'enterprise', roles: ['verifier'], regionCode: '340500', uscc: validUscc('91340500711700001'), description: '第三方核验方(银行)' },
];

export async function seedDemoAccounts(db: Db, pii: PiiProtector, cost: number): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD, cost);
  for (const a of DEMO_ACCOUNTS) {
    const id = a.idNumber ? pii.protect(a.idNumber, 'id_number') : undefined;
    await db.insertInto('accounts').values({
      id: randomUUID(), username: a.username, display_name: a.displayName, kind: a.kind, password_hash: hash, roles: a.roles,
      department_id: a.departmentId ?? null, region_code: a.regionCode ?? null, id_number_enc: id?.enc ?? null, id_number_hash: id?.hash ?? null,
      id_number_mask: id?.mask ?? null, uscc: a.uscc ?? null, uscc_hash: a.uscc ? pii.lookupHash(a.uscc) : null, external_subject: null,
      // the demo password counts as set when seeded (PASSWORD_MAX_AGE_DAYS runs from here)
      password_changed_at: new Date(),
    }).onConflict((oc) => oc.column('username').doNothing()).execute();
  }
}
