/**
 * The sample provider nodes `npm start` runs for 马鞍山市: seven departments, each reading
 * synthetic records through a different adapter the way a real department would — 公安 and
 * 人社 from a SQL database, 民政 and 卫健 from CSV exports, 不动产登记 from an xlsx export
 * with Chinese column names, 税务 and 教育 from an HTTP backend (the "legacy system",
 * legacy-backend.ts). Writes the data and one configuration file per node.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ItemDefinition } from '../protocol/items.ts';
import type { Suite } from '../protocol/canonical.ts';
import { STANDARD_ITEMS } from '../protocol/standard-items.ts';
import type { ConsumerConfig, ItemBinding } from '../node/config.ts';
import { toCsv } from '../sources/csv.ts';
import type { SyntheticWorld } from './synthetic.ts';
import { NO_RECORD_BODY } from './legacy-backend.ts';

export interface SampleNodeSpec {
  nodeId: string;
  /** department key in the platform's demo reference data (mas-<key>) */
  departmentKey: string;
  name: string;
  suite: Suite;
  /** port offset from the base port */
  offset: number;
  adapter: 'sql' | 'csv' | 'xlsx' | 'http';
  items: Array<{ definition: ItemDefinition; binding: Omit<ItemBinding, 'source'> }>;
}

export const LEGACY_BACKEND_OFFSET = 7;

export const SAMPLE_NODES: readonly SampleNodeSpec[] = [
  {
    nodeId: 'node-mas-ga', departmentKey: 'ga', name: '马鞍山市公安局人口信息共享节点', suite: 'SM2-SM3', offset: 0, adapter: 'sql',
    items: [{
      definition: STANDARD_ITEMS.householdRegistration as unknown as ItemDefinition,
      binding: {
        query: "SELECT name, region_code, address, relation, updated_at FROM household_member WHERE id_number = $1 AND status = 'active' ORDER BY updated_at DESC LIMIT 1",
        args: ['idNumber'], fields: { name: { column: 'name' }, registeredRegion: { column: 'region_code' }, householdAddress: { column: 'address' }, relationToHead: { column: 'relation' } },
        asOf: { column: 'updated_at' },
      },
    }],
  },
  {
    nodeId: 'node-mas-mz', departmentKey: 'mz', name: '马鞍山市民政局婚姻登记共享节点', suite: 'SM2-SM3', offset: 1, adapter: 'csv',
    items: [{
      definition: STANDARD_ITEMS.marriageStatus as unknown as ItemDefinition,
      binding: { match: { id_number: 'idNumber' }, fields: { married: { column: 'marital_status', in: ['已婚'] } }, asOf: { column: 'updated_at' } },
    }],
  },
  {
    nodeId: 'node-mas-rs', departmentKey: 'rs', name: '马鞍山市人社局社保共享节点', suite: 'SM2-SM3', offset: 2, adapter: 'sql',
    items: [{
      definition: STANDARD_ITEMS.socialInsurance as unknown as ItemDefinition,
      binding: {
        query: "SELECT month, insurance_type, base, employer, paid_at FROM si_contribution WHERE id_number = $1 AND month >= to_char(date_trunc('month', now()) - make_interval(months => $2::int - 1), 'YYYY-MM') ORDER BY month DESC, insurance_type",
        args: ['idNumber', 'months'], fields: { month: { column: 'month' }, insuranceType: { column: 'insurance_type' }, base: { column: 'base' }, employer: { column: 'employer' } },
        asOf: { column: 'paid_at' },
      },
    }],
  },
  {
    nodeId: 'node-mas-bdc', departmentKey: 'bdc', name: '马鞍山市不动产登记中心共享节点', suite: 'SM2-SM3', offset: 3, adapter: 'xlsx',
    items: [
      {
        definition: STANDARD_ITEMS.realEstateOwnership as unknown as ItemDefinition,
        binding: {
          match: { 权利人证件号码: 'idNumber' },
          fields: { certificateNo: { column: '不动产权证书号' }, location: { column: '坐落' }, area: { column: '建筑面积' }, usage: { column: '用途' }, registeredOn: { column: '登记日期' } },
          asOf: 'source', whenMissing: {},
        },
      },
      {
        definition: STANDARD_ITEMS.ownsProperty as unknown as ItemDefinition,
        binding: { match: { 权利人证件号码: 'idNumber' }, fields: { ownsProperty: { exists: true } }, asOf: 'source', whenMissing: { ownsProperty: false } },
      },
    ],
  },
  {
    nodeId: 'node-mas-sw', departmentKey: 'sw', name: '马鞍山市税务局涉税信息共享节点', suite: 'Ed25519', offset: 4, adapter: 'http',
    items: [
      {
        definition: STANDARD_ITEMS.enterpriseTaxStatus as unknown as ItemDefinition,
        binding: { path: '/tax/taxpayers/{uscc}', fields: { noArrears: { column: 'arrears_amount', in: [0, '0'] }, taxpayerStatus: { column: 'status' } }, asOf: { column: 'updated_at' } },
      },
      {
        definition: STANDARD_ITEMS.personalTaxPayments as unknown as ItemDefinition,
        binding: { path: '/tax/persons/{idNumber}/payments?months={months}', rowsPath: 'payments', fields: { month: { column: 'period' }, taxType: { column: 'tax_type' }, amount: { column: 'paid' } }, asOf: 'source' },
      },
    ],
  },
  {
    nodeId: 'node-mas-wj', departmentKey: 'wj', name: '马鞍山市卫健委出生医学证明共享节点', suite: 'SM2-SM3', offset: 5, adapter: 'csv',
    items: [{
      definition: STANDARD_ITEMS.birthCertificate as unknown as ItemDefinition,
      binding: {
        match: { mother_id_number: 'motherIdNumber' },
        fields: { certificateNo: { column: 'certificate_no' }, childName: { column: 'child_name' }, childSex: { column: 'child_sex' }, birthDate: { column: 'birth_date' }, birthPlace: { column: 'birth_place' } },
        asOf: { column: 'issued_at' },
      },
    }],
  },
  {
    nodeId: 'node-mas-jy', departmentKey: 'jy', name: '马鞍山市教育局学历信息共享节点', suite: 'Ed25519', offset: 6, adapter: 'http',
    items: [{
      definition: STANDARD_ITEMS.education as unknown as ItemDefinition,
      binding: {
        path: '/edu/students/{idNumber}/highest-degree',
        fields: { level: { column: 'degree' }, school: { column: 'school' }, major: { column: 'major' }, graduationYear: { column: 'grad_year' }, certificateNo: { column: 'diploma_no' } },
        asOf: 'source',
      },
    }],
  },
];

/** Writes each node's data (not the SQL databases: see writeSqlSamples) and returns where things are. */
export function writeFileSamples(dir: string, world: SyntheticWorld): void {
  fs.mkdirSync(path.join(dir, 'node-mas-mz'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node-mas-mz', 'marriage.csv'), toCsv(
    ['id_number', 'name', 'marital_status', 'registered_on', 'updated_at'],
    world.people.map((p) => [p.idNumber, p.name, p.maritalStatus, p.maritalRegisteredOn, p.updatedAt]),
  ));
  fs.mkdirSync(path.join(dir, 'node-mas-wj'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node-mas-wj', 'births.csv'), toCsv(
    ['certificate_no', 'mother_id_number', 'father_id_number', 'child_name', 'child_sex', 'birth_date', 'birth_place', 'issued_at'],
    world.births.map((b) => [b.certificateNo, b.motherIdNumber, b.fatherIdNumber, b.childName, b.childSex, b.birthDate, b.birthPlace, b.issuedAt]),
  ));
  fs.mkdirSync(path.join(dir, 'legacy-backend'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'legacy-backend', 'tax.json'), JSON.stringify({
    asOf: world.generatedAt,
    taxpayers: world.enterprises.map((e) => ({ uscc: e.uscc, name: e.name, arrears_amount: e.arrears, status: e.status, updated_at: e.updatedAt })),
    payments: world.taxPayments.map((t) => ({ id_number: t.idNumber, period: t.period, tax_type: t.taxType, paid: t.paid })),
  }));
  fs.writeFileSync(path.join(dir, 'legacy-backend', 'education.json'), JSON.stringify({
    asOf: world.generatedAt,
    students: world.people.filter((p) => p.education).map((p) => ({ id_number: p.idNumber, name: p.name, ...p.education! })).map(({ degree, school, major, gradYear, diplomaNo, id_number, name }) => ({ id_number, name, degree, school, major, grad_year: gradYear, diploma_no: diplomaNo })),
  }));
}

export async function writeXlsxSample(dir: string, world: SyntheticWorld): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('不动产登记簿');
  ws.addRow(['权利人', '权利人证件号码', '不动产权证书号', '坐落', '建筑面积', '用途', '登记日期']);
  for (const p of world.people) for (const prop of p.properties) ws.addRow([p.name, p.idNumber, prop.certificateNo, prop.location, prop.area, prop.usage, prop.registeredOn]);
  fs.mkdirSync(path.join(dir, 'node-mas-bdc'), { recursive: true });
  await wb.xlsx.writeFile(path.join(dir, 'node-mas-bdc', 'property.xlsx'));
}

/** Creates the 公安 and 人社 databases (PGlite directories). */
export async function writeSqlSamples(dir: string, world: SyntheticWorld): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const ga = path.join(dir, 'node-mas-ga', 'hukou-db');
  fs.rmSync(ga, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(ga), { recursive: true });
  const db1 = await PGlite.create({ dataDir: ga });
  await db1.exec(`CREATE TABLE household_member (id_number text NOT NULL, name text NOT NULL, sex text, birth_date date, region_code text, address text, relation text, status text NOT NULL, updated_at timestamptz NOT NULL);
    CREATE INDEX ON household_member(id_number);`);
  await insertRows(db1, 'household_member', ['id_number', 'name', 'sex', 'birth_date', 'region_code', 'address', 'relation', 'status', 'updated_at'],
    world.people.map((p) => [p.idNumber, p.name, p.sex, p.birthDate, p.region, p.address, p.relation, 'active', p.updatedAt]));
  await db1.close();
  const rs = path.join(dir, 'node-mas-rs', 'si-db');
  fs.rmSync(rs, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(rs), { recursive: true });
  const db2 = await PGlite.create({ dataDir: rs });
  await db2.exec(`CREATE TABLE si_contribution (id_number text NOT NULL, month text NOT NULL, insurance_type text NOT NULL, base numeric NOT NULL, employer text NOT NULL, paid_at timestamptz NOT NULL);
    CREATE INDEX ON si_contribution(id_number, month);`);
  await insertRows(db2, 'si_contribution', ['id_number', 'month', 'insurance_type', 'base', 'employer', 'paid_at'],
    world.contributions.map((c) => [c.idNumber, c.month, c.insuranceType, c.base, c.employer, c.paidAt]));
  await db2.close();
}

async function insertRows(db: { query: (t: string, p: unknown[]) => Promise<unknown> }, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const chunk = Math.floor(60000 / columns.length);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values = part.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(',')})`).join(',');
    await db.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${values}`, part.flat());
  }
}

/** The configuration file of one sample node, as a department would write it. */
export function sampleNodeConfig(spec: SampleNodeSpec, options: { dir: string; host: string; port: number; legacyBaseUrl: string; consumers: ConsumerConfig[] }): Record<string, unknown> {
  const sources: Record<string, unknown> = {
    sql: spec.nodeId === 'node-mas-ga' ? { type: 'sql', pgliteDir: './hukou-db' } : { type: 'sql', pgliteDir: './si-db' },
    csv: { type: 'csv', file: spec.nodeId === 'node-mas-mz' ? './marriage.csv' : './births.csv' },
    xlsx: { type: 'xlsx', file: './property.xlsx', sheet: '不动产登记簿' },
    // the backend's "no such record" 404 carries NO_RECORD; its "no such endpoint" 404 does not (a wrong path is source_unavailable)
    http: { type: 'http', baseUrl: options.legacyBaseUrl, timeoutMs: 3000, noRecord: { status: 404, body: { ...NO_RECORD_BODY } } },
  };
  return {
    $comment: `${spec.name} — sample node generated by 免证 at start; edit consumers through the platform directory (node-config)`,
    node: { id: spec.nodeId, name: spec.name, department: spec.departmentKey },
    listen: { host: options.host, port: options.port },
    signing: { suite: spec.suite, keyFile: './node-key.json' },
    trail: { file: './trail.jsonl', fsync: true },
    freshnessSeconds: 300,
    sources: { main: sources[spec.adapter] },
    items: spec.items.map((i) => ({ ...i.definition, source: 'main', ...i.binding })),
    consumers: options.consumers,
  };
}
