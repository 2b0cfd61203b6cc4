import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { usccCheckChar } from '@mianzheng/crypto';
import type { Db } from '../db/database.ts';

const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

export interface RegionRow { code: string; name: string; level: 'province' | 'city' | 'district'; parent_code: string | null }

export function readRegions(): RegionRow[] {
  const lines = fs.readFileSync(path.join(DATA, 'anhui-regions.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  return lines.map((l) => {
    const [code, name, level, parent] = l.split(',');
    return { code: code!, name: name!, level: level as RegionRow['level'], parent_code: parent || null };
  });
}

/** Regions are reference data in every deployment: upserted at each start. */
export async function seedRegions(db: Db): Promise<void> {
  const regions = readRegions();
  await db.insertInto('regions').values(regions).onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), level: eb.ref('excluded.level'), parent_code: eb.ref('excluded.parent_code') }))).execute();
}

/** GB 11714 organisation-code check character over 8 characters. */
function orgCodeCheck(first8: string): string {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const v = (c: string) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  const sum = [...first8].reduce((s, c, i) => s + v(c) * w[i]!, 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** A valid USCC for a government body (登记管理部门 1 机构编制, 类别 1 机关) in a region. */
export function governmentUscc(regionCode: string, serial: number): string {
  const org = `0${String(serial).padStart(7, '0')}`;
  const first17 = `11${regionCode}${org}${orgCodeCheck(org)}`;
  return first17 + usccCheckChar(first17);
}

/** The usual departments of a city, by functional category. */
export const CITY_DEPARTMENTS: readonly { category: string; suffix: string; key: string }[] = [
  { category: '公安', suffix: '公安局', key: 'ga' },
  { category: '民政', suffix: '民政局', key: 'mz' },
  { category: '人社', suffix: '人力资源和社会保障局', key: 'rs' },
  { category: '卫健', suffix: '卫生健康委员会', key: 'wj' },
  { category: '教育', suffix: '教育局', key: 'jy' },
  { category: '住建', suffix: '住房和城乡建设局', key: 'zj' },
  { category: '不动产登记', suffix: '不动产登记中心', key: 'bdc' },
  { category: '税务', suffix: '税务局', key: 'sw' },
  { category: '市场监管', suffix: '市场监督管理局', key: 'sj' },
  { category: '公积金中心', suffix: '住房公积金管理中心', key: 'gjj' },
  { category: '残联', suffix: '残疾人联合会', key: 'cl' },
  { category: '医保', suffix: '医疗保障局', key: 'yb' },
  { category: '退役军人事务', suffix: '退役军人事务局', key: 'tyjr' },
  { category: '司法', suffix: '司法局', key: 'sf' },
  { category: '数据资源', suffix: '数据资源管理局', key: 'sjzy' },
];

export const DEMO_CITIES = [
  { code: '340500', name: '马鞍山市', key: 'mas' },
  { code: '340700', name: '铜陵市', key: 'tl' },
  { code: '341700', name: '池州市', key: 'cz' },
  { code: '341000', name: '黄山市', key: 'hs' },
  { code: '340100', name: '合肥市', key: 'hf' },
] as const;

export function departmentId(cityKey: string, deptKey: string): string {
  return `${cityKey}-${deptKey}`;
}

export async function seedDepartments(db: Db): Promise<void> {
  const rows = [];
  let serial = 1001;
  for (const city of DEMO_CITIES) {
    for (const d of CITY_DEPARTMENTS) {
      rows.push({ id: departmentId(city.key, d.key), uscc: governmentUscc(city.code, serial++), name: `${city.name}${d.suffix}`, region_code: city.code, category: d.category });
    }
  }
  rows.push({ id: 'ah-sf', uscc: governmentUscc('340000', serial++), name: '安徽省司法厅', region_code: '340000', category: '司法' });
  rows.push({ id: 'ah-sjzy', uscc: governmentUscc('340000', serial++), name: '安徽省数据资源管理局', region_code: '340000', category: '数据资源' });
  await db.insertInto('departments').values(rows).onConflict((oc) => oc.column('id').doNothing()).execute();
}
