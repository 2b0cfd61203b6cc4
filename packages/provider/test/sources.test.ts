import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parseNodeConfig } from '../src/node/config.ts';
import { startProviderNode, type ProviderNode } from '../src/node/server.ts';
import { STANDARD_ITEMS } from '../src/protocol/standard-items.ts';
import { startLegacyBackend, type LegacyBackend } from '../src/samples/legacy-backend.ts';
import { parseCsv } from '../src/sources/csv.ts';
import { windowStartMonth } from '../src/sources/source.ts';
import { openFileSource } from '../src/sources/file-source.ts';
import { usccCheckChar } from '@mianzheng/crypto';
import { id, newConsumer, sendQuery, tmpDir, type TestConsumer } from './support.ts';

const A = id('34050319800101001');
const B = id('34050419950505002');
const consumer: TestConsumer = newConsumer('mas-mz', 'Ed25519');
const consumers = (...items: string[]) => [{
  id: consumer.id, name: '马鞍山市民政局', keys: [{ keyId: consumer.keyId, suite: consumer.suite, publicKey: consumer.publicKey }],
  allow: items.map((item) => ({ item, purposes: ['application_review'] })),
}];

function month(offset: number): string {
  const d = new Date();
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - offset, 1));
  return `${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
}

const SI_ITEM = {
  ...STANDARD_ITEMS.socialInsurance, source: 'si',
  query: "SELECT month, insurance_type, base, employer, paid_at FROM si_contribution WHERE id_number = $1 AND month >= to_char(date_trunc('month', now()) - make_interval(months => $2::int - 1), 'YYYY-MM') ORDER BY month DESC",
  args: ['idNumber', 'months'], fields: { month: { column: 'month' }, insuranceType: { column: 'insurance_type' }, base: { column: 'base' }, employer: { column: 'employer' } },
  asOf: { column: 'paid_at' },
};

async function fillSi(exec: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  await exec('CREATE TABLE si_contribution (id_number text, month text, insurance_type text, base numeric, employer text, paid_at timestamptz, secret_note text)');
  for (let i = 0; i < 14; i++) {
    await exec('INSERT INTO si_contribution VALUES ($1, $2, $3, $4, $5, $6, $7)', [A, month(i), '企业职工基本养老保险', 6000, '马钢(集团)控股有限公司', `${month(i)}-15T02:00:00Z`, '内部备注']);
  }
}

async function siNode(source: Record<string, unknown>, dir: string): Promise<ProviderNode> {
  return startProviderNode(parseNodeConfig({
    node: { id: 'node-test-rs', name: '测试人社节点' }, listen: { port: 0 }, signing: { suite: 'SM2-SM3', keyFile: './key.json' }, trail: { file: './trail.jsonl', fsync: false },
    sources: { si: source }, items: [SI_ITEM], consumers: consumers('social-insurance-contributions'),
  }, dir));
}

async function expectSocialInsurance(node: ProviderNode): Promise<void> {
  const r = await sendQuery(node.url, consumer, { itemCode: 'social-insurance-contributions', params: { idNumber: A, months: 6 } });
  expect(r.status).toBe(200);
  expect(r.json.outcome).toBe('answered');
  expect(r.json.answer.records).toHaveLength(6);
  expect(r.json.answer.records[0]).toEqual({ month: month(0), insuranceType: '企业职工基本养老保险', base: 6000, employer: '马钢(集团)控股有限公司' });
  expect(r.text).not.toContain('内部备注'); // a column the item does not declare never leaves
  expect(r.json.asOf).toBe(new Date(`${month(0)}-15T02:00:00Z`).toISOString());
  const none = await sendQuery(node.url, consumer, { itemCode: 'social-insurance-contributions', params: { idNumber: B, months: 6 } });
  expect(none.json.outcome).toBe('not_found');
  const wide = await sendQuery(node.url, consumer, { itemCode: 'social-insurance-contributions', params: { idNumber: A, months: 600 } });
  expect(wide.status).toBe(422);
  expect(wide.json.error).toMatchObject({ reason: 'invalid_params', field: 'params.months' });
}

describe('SQL source on an embedded PGlite database', () => {
  it('binds parameters, returns only declared fields, takes as-of from a column', async () => {
    const dir = tmpDir();
    const db = await PGlite.create({ dataDir: path.join(dir, 'si-db') });
    await fillSi((sql, params) => db.query(sql, params));
    await db.close();
    const node = await siNode({ type: 'sql', pgliteDir: './si-db' }, dir);
    try {
      await expectSocialInsurance(node);
    } finally {
      await node.close();
    }
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!pgUrl)('SQL source on the department\'s PostgreSQL (pg)', () => {
  const name = `mz_provider_${process.pid}_${Date.now()}`;
  const admin = () => new pg.Client({ connectionString: pgUrl });
  const urlFor = () => { const u = new URL(pgUrl!); u.pathname = `/${name}`; return u.toString(); };
  beforeAll(async () => {
    const c = admin();
    await c.connect();
    // from template0: template1 is whatever the server's administrators left in it (objects, other sessions connected)
    await c.query(`CREATE DATABASE ${name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
    await c.end();
    const d = new pg.Client({ connectionString: urlFor() });
    await d.connect();
    await fillSi((sql, params) => d.query(sql, params as unknown[]));
    await d.end();
  });
  afterAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  it('answers from a real PostgreSQL database', async () => {
    const node = await siNode({ type: 'sql', url: urlFor() }, tmpDir());
    try {
      await expectSocialInsurance(node);
    } finally {
      await node.close();
    }
  });
  it('a database that goes away gives source_unavailable (503), not a hang', async () => {
    const u = new URL(urlFor());
    u.port = '1';
    const node = await siNode({ type: 'sql', url: u.toString() }, tmpDir());
    try {
      const r = await sendQuery(node.url, consumer, { itemCode: 'social-insurance-contributions', params: { idNumber: A, months: 6 } });
      expect(r.status).toBe(503);
      expect(r.json.error.reason).toBe('source_unavailable');
    } finally {
      await node.close();
    }
  });
});

describe('xlsx source (an export with Chinese column names)', () => {
  let node: ProviderNode;
  let dir: string;
  beforeAll(async () => {
    dir = tmpDir();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('登记簿');
    ws.addRow(['权利人', '权利人证件号码', '不动产权证书号', '坐落', '建筑面积', '用途', '登记日期']);
    ws.addRow(['王伟', A, '皖(2015)马鞍山市不动产权第0001234号', '花山区湖东中路1号', 98.5, '住宅', new Date('2015-06-01T00:00:00Z')]);
    ws.addRow(['王伟', A, '皖(2020)马鞍山市不动产权第0005678号', '雨山区雨山路2号', 120, '住宅', '2020-03-02']);
    await wb.xlsx.writeFile(path.join(dir, 'property.xlsx'));
    node = await startProviderNode(parseNodeConfig({
      node: { id: 'node-test-bdc', name: '测试不动产节点' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './key.json' }, trail: { file: './trail.jsonl', fsync: false },
      sources: { book: { type: 'xlsx', file: './property.xlsx', sheet: '登记簿' } },
      items: [
        { ...STANDARD_ITEMS.realEstateOwnership, source: 'book', match: { 权利人证件号码: 'idNumber' }, asOf: 'source', whenMissing: {},
          fields: { certificateNo: { column: '不动产权证书号' }, location: { column: '坐落' }, area: { column: '建筑面积' }, usage: { column: '用途' }, registeredOn: { column: '登记日期' } } },
        { ...STANDARD_ITEMS.ownsProperty, source: 'book', match: { 权利人证件号码: 'idNumber' }, fields: { ownsProperty: { exists: true } }, asOf: 'source', whenMissing: { ownsProperty: false } },
      ],
      consumers: consumers('real-estate-ownership', 'owns-property'),
    }, dir));
  });
  afterAll(async () => { await node?.close(); });

  it('returns the declared record fields; the as-of time is the export\'s modification time', async () => {
    const r = await sendQuery(node.url, consumer, { itemCode: 'real-estate-ownership', params: { idNumber: A } });
    expect(r.json.answer.records).toEqual([
      { certificateNo: '皖(2015)马鞍山市不动产权第0001234号', location: '花山区湖东中路1号', area: 98.5, usage: '住宅', registeredOn: '2015-06-01' },
      { certificateNo: '皖(2020)马鞍山市不动产权第0005678号', location: '雨山区雨山路2号', area: 120, usage: '住宅', registeredOn: '2020-03-02' },
    ]);
    expect(r.text).not.toContain('王伟');
    expect(r.json.asOf).toBe(fs.statSync(path.join(dir, 'property.xlsx')).mtime.toISOString());
    const none = await sendQuery(node.url, consumer, { itemCode: 'real-estate-ownership', params: { idNumber: B } });
    expect(none.json).toMatchObject({ outcome: 'answered', answer: { records: [] } });
  });

  it('a question item answers yes/no only (无房证明 without listing properties)', async () => {
    const yes = await sendQuery(node.url, consumer, { itemCode: 'owns-property', params: { idNumber: A } });
    expect(yes.json.answer).toEqual({ ownsProperty: true });
    const no = await sendQuery(node.url, consumer, { itemCode: 'owns-property', params: { idNumber: B } });
    expect(no.json).toMatchObject({ outcome: 'answered', answer: { ownsProperty: false } });
  });
});

describe('HTTP backend source (the department\'s existing system)', () => {
  let backend: LegacyBackend;
  let node: ProviderNode;
  const uscc = '91340500MA2N0X1B3' + usccCheckChar('91340500MA2N0X1B3');
  beforeAll(async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'tax.json'), JSON.stringify({ asOf: '2026-02-27T16:00:00.000Z', taxpayers: [{ uscc, name: '皖江新材料', arrears_amount: 0, status: '正常', updated_at: '2026-02-20T00:00:00.000Z', legal_rep: '不应泄露' }], payments: [] }));
    fs.writeFileSync(path.join(dir, 'education.json'), JSON.stringify({ asOf: '2026-01-01T00:00:00.000Z', students: [{ id_number: A, degree: '本科', school: '安徽工业大学', major: '冶金工程', grad_year: 2002, diploma_no: '103601200200001' }] }));
    backend = await startLegacyBackend({ dir });
    node = await startProviderNode(parseNodeConfig({
      node: { id: 'node-test-sw', name: '测试税务节点' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './key.json' }, trail: { file: './trail.jsonl', fsync: false },
      sources: { legacy: { type: 'http', baseUrl: backend.url, timeoutMs: 300, noRecord: { status: 404, body: { code: 'NO_RECORD' } } } },
      items: [
        { ...STANDARD_ITEMS.enterpriseTaxStatus, source: 'legacy', path: '/tax/taxpayers/{uscc}', fields: { noArrears: { column: 'arrears_amount', in: [0, '0'] }, taxpayerStatus: { column: 'status' } }, asOf: { column: 'updated_at' } },
        { ...STANDARD_ITEMS.education, source: 'legacy', path: '/edu/students/{idNumber}/highest-degree', asOf: 'source',
          fields: { level: { column: 'degree' }, school: { column: 'school' }, major: { column: 'major' }, graduationYear: { column: 'grad_year' }, certificateNo: { column: 'diploma_no' } } },
      ],
      consumers: consumers('enterprise-tax-status', 'education-record'),
    }, dir));
  });
  afterAll(async () => {
    await node?.close();
    await backend?.close();
  });

  it('reads an object, answers only the declared fields, as-of from the backend', async () => {
    const bad = await sendQuery(node.url, consumer, { itemCode: 'enterprise-tax-status', params: { uscc: uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0') } });
    expect(bad.json.error).toMatchObject({ reason: 'invalid_params', field: 'params.uscc' });
    const r = await sendQuery(node.url, consumer, { itemCode: 'enterprise-tax-status', params: { uscc } });
    expect(r.json).toMatchObject({ outcome: 'answered', answer: { noArrears: true, taxpayerStatus: '正常' }, asOf: '2026-02-20T00:00:00.000Z' });
    expect(r.text).not.toContain('不应泄露');
    const edu = await sendQuery(node.url, consumer, { itemCode: 'education-record', params: { idNumber: A } });
    expect(edu.json).toMatchObject({ outcome: 'answered', answer: { level: '本科', school: '安徽工业大学', major: '冶金工程', graduationYear: 2002, certificateNo: '103601200200001' }, asOf: '2026-01-01T00:00:00.000Z' });
    expect((await sendQuery(node.url, consumer, { itemCode: 'education-record', params: { idNumber: B } })).json.outcome).toBe('not_found');
  });

  it('a slow backend becomes source_unavailable after the source timeout', async () => {
    backend.setDelay(1000);
    try {
      const started = Date.now();
      const r = await sendQuery(node.url, consumer, { itemCode: 'education-record', params: { idNumber: A } });
      expect(r.status).toBe(503);
      expect(r.json.error.reason).toBe('source_unavailable');
      expect(Date.now() - started).toBeLessThan(900);
    } finally {
      backend.setDelay(0);
    }
  });
});

describe('HTTP backend: timeoutMs bounds the whole answer, not only the silence between its bytes', () => {
  // A backend (or a proxy in front of it) that sends its headers at once and then the body a few
  // bytes at a time never stays silent for timeoutMs, so a socket idle timeout alone would let it
  // hold the node's request — and its connection, one of the source's sockets — for as long as it likes.
  let backend: http.Server;
  let node: ProviderNode;
  beforeAll(async () => {
    backend = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = JSON.stringify({ degree: '本科', school: '安徽工业大学', major: '冶金工程', grad_year: 2002, diploma_no: '103601200200001' });
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(text.slice(i, i + 8));
        i += 8;
        if (i >= text.length) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
    const dir = tmpDir();
    node = await startProviderNode(parseNodeConfig({
      node: { id: 'node-test-trickle', name: '测试节点' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './key.json' }, trail: { file: './trail.jsonl', fsync: false },
      sources: { legacy: { type: 'http', baseUrl: `http://127.0.0.1:${(backend.address() as AddressInfo).port}`, timeoutMs: 300, noRecord: { body: { code: 'NO_RECORD' } } } },
      items: [{ ...STANDARD_ITEMS.education, source: 'legacy', path: '/edu/{idNumber}', asOf: 'source',
        fields: { level: { column: 'degree' }, school: { column: 'school' }, major: { column: 'major' }, graduationYear: { column: 'grad_year' }, certificateNo: { column: 'diploma_no' } } }],
      consumers: consumers('education-record'),
    }, dir));
  });
  afterAll(async () => {
    await node?.close();
    backend?.closeAllConnections();
    await new Promise((r) => backend?.close(r));
  });

  it('a backend trickling its answer is source_unavailable once timeoutMs has passed', async () => {
    const started = Date.now();
    const r = await sendQuery(node.url, consumer, { itemCode: 'education-record', params: { idNumber: A } });
    expect(r.status, r.text).toBe(503);
    expect(r.json.error.reason).toBe('source_unavailable');
    expect(r.json.answer).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000); // the whole answer takes ≈ 1.5 s to trickle in
  });
});

describe('HTTP backend: a kept-alive connection the backend closes as a query goes out on it', () => {
  // A backend closes an idle connection when its keep-alive timeout runs out; a query sent on it at
  // that instant fails before any answer (ECONNRESET / socket hang up). This backend does it to
  // every second request on a connection, every time: the node sends that query again on a new
  // connection instead of answering source_unavailable.
  let backend: http.Server;
  let node: ProviderNode;
  const seen: Array<{ reused: boolean }> = [];
  beforeAll(async () => {
    const perSocket = new WeakMap<object, number>();
    backend = http.createServer((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      seen.push({ reused: n > 1 });
      if (n > 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ degree: '本科', school: '安徽工业大学', major: '冶金工程', grad_year: 2002, diploma_no: '103601200200001' }));
    });
    backend.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
    node = await startProviderNode(parseNodeConfig({
      node: { id: 'node-test-reset', name: '测试节点' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './key.json' }, trail: { file: './trail.jsonl', fsync: false },
      sources: { legacy: { type: 'http', baseUrl: `http://127.0.0.1:${(backend.address() as AddressInfo).port}`, timeoutMs: 3000, noRecord: { body: { code: 'NO_RECORD' } } } },
      items: [{ ...STANDARD_ITEMS.education, source: 'legacy', path: '/edu/{idNumber}', asOf: 'source',
        fields: { level: { column: 'degree' }, school: { column: 'school' }, major: { column: 'major' }, graduationYear: { column: 'grad_year' }, certificateNo: { column: 'diploma_no' } } }],
      consumers: consumers('education-record'),
    }, tmpDir()));
  });
  afterAll(async () => {
    await node?.close();
    backend?.closeAllConnections();
    await new Promise((r) => backend?.close(r));
  });

  it('is sent again on a new connection: every query is answered', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await sendQuery(node.url, consumer, { itemCode: 'education-record', params: { idNumber: A } });
      expect(r.status, r.text).toBe(200);
      expect(r.json.answer).toMatchObject({ level: '本科', school: '安徽工业大学' });
    }
    // the second and third queries each went out on the kept-alive connection first, then on a new one
    expect(seen.map((s) => s.reused)).toEqual([false, true, false, true, false]);
  });
});

describe('HTTP backend rows are checked like the columns of a file or a query', () => {
  /** The department's JSON backend, answering whatever the test sets for a path. */
  let answers: Record<string, unknown> = {};
  let backend: http.Server;
  let node: ProviderNode;
  const logs: string[] = [];
  const uscc = '91340500MA2N0X1B3' + usccCheckChar('91340500MA2N0X1B3');
  beforeAll(async () => {
    backend = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://backend').pathname;
      const body = Object.hasOwn(answers, path) ? answers[path] : undefined;
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(body === undefined ? '{"message":"no record"}' : JSON.stringify(body));
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
    const dir = tmpDir();
    node = await startProviderNode(parseNodeConfig({
      node: { id: 'node-test-http', name: '测试节点' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './key.json' }, trail: { file: './trail.jsonl', fsync: false },
      sources: { legacy: { type: 'http', baseUrl: `http://127.0.0.1:${(backend.address() as AddressInfo).port}`, timeoutMs: 2000 } },
      items: [
        { ...STANDARD_ITEMS.enterpriseTaxStatus, source: 'legacy', path: '/tax/{uscc}', fields: { noArrears: { column: 'arrears_amount', in: [0, '0'] }, taxpayerStatus: { column: 'status' } }, asOf: { column: 'updated_at' } },
        { ...STANDARD_ITEMS.education, source: 'legacy', path: '/edu/{idNumber}', asOf: 'source', absentAsNull: ['major'],
          fields: { level: { column: 'degree' }, school: { column: 'school' }, major: { column: 'major' }, graduationYear: { column: 'grad_year' }, certificateNo: { column: 'diploma_no' } } },
        { ...STANDARD_ITEMS.ownsProperty, source: 'legacy', path: '/bdc/{idNumber}', rowsPath: 'data.properties', fields: { ownsProperty: { exists: true } }, asOf: 'source', whenMissing: { ownsProperty: false } },
        { ...STANDARD_ITEMS.personalTaxPayments, source: 'legacy', path: '/pay/{idNumber}', rowsPath: 'payments', fields: { month: { column: 'period' }, taxType: { column: 'tax_type' }, amount: { column: 'paid' } }, asOf: 'source' },
      ],
      consumers: consumers('enterprise-tax-status', 'education-record', 'owns-property', 'personal-tax-payments'),
    }, dir), { log: (line) => logs.push(line) });
  });
  afterAll(async () => {
    await node?.close();
    await new Promise((r) => backend?.close(r));
  });

  const ask = (itemCode: string, params: Record<string, unknown>) => sendQuery(node.url, consumer, { itemCode, params });
  const tax = () => ask('enterprise-tax-status', { uscc });
  const edu = () => ask('education-record', { idNumber: A });
  const unavailable = (r: Awaited<ReturnType<typeof sendQuery>>) => {
    expect(r.status, r.text).toBe(503);
    expect(r.json.error.reason).toBe('source_unavailable');
    expect(r.json.answer).toBeUndefined();
  };
  const taxpayer = { uscc, arrears_amount: 0, status: '正常', updated_at: '2026-02-20T00:00:00.000Z' };
  const student = { degree: '本科', school: '安徽工业大学', major: '冶金工程', grad_year: 2002, diploma_no: '103601200200001' };

  it('a complete row answers; a row without the column a yes/no is derived from is source_unavailable, not a confident "no"', async () => {
    answers = { [`/tax/${uscc}`]: taxpayer };
    expect((await tax()).json).toMatchObject({ outcome: 'answered', answer: { noArrears: true, taxpayerStatus: '正常' } });
    const { arrears_amount: _, ...withoutArrears } = taxpayer;
    answers = { [`/tax/${uscc}`]: { ...withoutArrears, arrears_amt: 0 } }; // the backend renamed (or the configuration misspells) the column
    unavailable(await tax());
    const { updated_at: __, ...withoutAsOf } = taxpayer;
    answers = { [`/tax/${uscc}`]: withoutAsOf }; // nor does an absent as-of column make the answer "current now"
    unavailable(await tax());
  });

  it('a member the backend leaves out is null only where the item lists it in absentAsNull', async () => {
    const { major: _, ...noMajor } = student;
    answers = { [`/edu/${A}`]: noMajor };
    expect((await edu()).json).toMatchObject({ outcome: 'answered', answer: { ...{ level: '本科', school: '安徽工业大学', graduationYear: 2002, certificateNo: '103601200200001' }, major: null } });
    const { school: __, ...noSchool } = student;
    answers = { [`/edu/${A}`]: noSchool };
    unavailable(await edu());
  });

  it('a member holding an object or a list is source_unavailable, not its text or a "no"', async () => {
    answers = { [`/tax/${uscc}`]: { ...taxpayer, status: { code: '01', text: '正常' } } };
    unavailable(await tax());
    answers = { [`/tax/${uscc}`]: { ...taxpayer, arrears_amount: [0] } };
    unavailable(await tax());
    answers = { [`/edu/${A}`]: { ...student, grad_year: 'two thousand two' } }; // a value of the wrong type for the answer field
    unavailable(await edu());
  });

  it('rowsPath must lead to rows: an absent member is source_unavailable (not "owns no property"); null is no rows', async () => {
    answers = { [`/bdc/${A}`]: { data: { properties: [{ certificate_no: 'x' }] } } };
    expect((await ask('owns-property', { idNumber: A })).json.answer).toEqual({ ownsProperty: true });
    answers = { [`/bdc/${A}`]: { data: { property: [{ certificate_no: 'x' }] } } };
    unavailable(await ask('owns-property', { idNumber: A }));
    answers = { [`/bdc/${A}`]: { data: 'none' } };
    unavailable(await ask('owns-property', { idNumber: A }));
    answers = { [`/bdc/${A}`]: { data: { properties: null } } };
    expect((await ask('owns-property', { idNumber: A })).json).toMatchObject({ outcome: 'answered', answer: { ownsProperty: false } });
    answers = { [`/bdc/${A}`]: { data: { properties: 'x' } } };
    unavailable(await ask('owns-property', { idNumber: A }));
  });

  it('a null along rowsPath is not the null at its end: { "data": null } for data.properties is source_unavailable, as an absent member is (an error answer must not read as "owns no property")', async () => {
    const before = logs.length;
    for (const body of [{ data: null }, { code: 500, msg: '系统繁忙', data: null }]) {
      answers = { [`/bdc/${A}`]: body };
      unavailable(await ask('owns-property', { idNumber: A }));
    }
    // the log says where the path broke off and how to name such a "no record" (member names only, no values)
    const said = logs.slice(before).filter((l) => l.includes('data: null, so no member data.properties'));
    expect(said).toHaveLength(2);
    expect(said[0]).toContain('noRecord');
    expect(said.join('\n')).not.toContain('系统繁忙');
  });

  it('every row of a list is checked: one incomplete row, or one that is not an object, fails the answer', async () => {
    const months = (n: number) => Array.from({ length: n }, (_, i) => ({ period: month(i), tax_type: '个人所得税', paid: 100 + i }));
    answers = { [`/pay/${A}`]: { payments: months(2) } };
    const ok = await ask('personal-tax-payments', { idNumber: A, months: 3 });
    expect(ok.json.answer.records).toEqual([{ month: month(0), taxType: '个人所得税', amount: 100 }, { month: month(1), taxType: '个人所得税', amount: 101 }]);
    const [first, second] = months(2);
    const { paid: _, ...unpaid } = second!;
    answers = { [`/pay/${A}`]: { payments: [first, unpaid] } };
    unavailable(await ask('personal-tax-payments', { idNumber: A, months: 3 }));
    answers = { [`/pay/${A}`]: { payments: [first, 'second'] } };
    unavailable(await ask('personal-tax-payments', { idNumber: A, months: 3 }));
  });
});

describe('a 404 is "no record" only when it carries the backend\'s no-record marker (noRecord)', () => {
  // The sample legacy backend: its "no such taxpayer / person / student" 404s carry { code: 'NO_RECORD' },
  // its "no such endpoint" 404 does not.
  let backend: LegacyBackend;
  const started: ProviderNode[] = [];
  const uscc = '91340500MA2N0X1B3' + usccCheckChar('91340500MA2N0X1B3');
  beforeAll(async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'tax.json'), JSON.stringify({ asOf: '2026-02-27T16:00:00.000Z', taxpayers: [{ uscc, name: '皖江新材料', arrears_amount: 0, status: '正常', updated_at: '2026-02-20T00:00:00.000Z' }], payments: [] }));
    fs.writeFileSync(path.join(dir, 'education.json'), JSON.stringify({ asOf: '2026-01-01T00:00:00.000Z', students: [{ id_number: A, degree: '本科', school: '安徽工业大学', major: '冶金工程', grad_year: 2002, diploma_no: '103601200200001' }] }));
    backend = await startLegacyBackend({ dir });
  });
  afterAll(async () => {
    for (const n of started) await n.close();
    await backend?.close();
  });

  /** A node on the sample backend; owns-property and enterprise-tax-status read paths the backend does not have. */
  async function start(noRecord?: unknown): Promise<{ node: ProviderNode; logs: string[] }> {
    const logs: string[] = [];
    const node = await startProviderNode(parseNodeConfig({
      node: { id: 'node-test-404', name: '测试节点' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './key.json' }, trail: { file: './trail.jsonl', fsync: false },
      sources: { legacy: { type: 'http', baseUrl: backend.url, timeoutMs: 2000, ...(noRecord ? { noRecord } : {}) } },
      items: [
        { ...STANDARD_ITEMS.education, source: 'legacy', path: '/edu/students/{idNumber}/highest-degree', asOf: 'source',
          fields: { level: { column: 'degree' }, school: { column: 'school' }, major: { column: 'major' }, graduationYear: { column: 'grad_year' }, certificateNo: { column: 'diploma_no' } } },
        // a route this backend does not have (removed by an upgrade, or never there): every query is its "no such endpoint" 404
        { ...STANDARD_ITEMS.ownsProperty, source: 'legacy', path: '/bdc/persons/{idNumber}/properties', rowsPath: 'properties', fields: { ownsProperty: { exists: true } }, asOf: 'source', whenMissing: { ownsProperty: false } },
        // a misspelt path (taxpayer for taxpayers)
        { ...STANDARD_ITEMS.enterpriseTaxStatus, source: 'legacy', path: '/tax/taxpayer/{uscc}', fields: { noArrears: { column: 'arrears_amount', in: [0, '0'] }, taxpayerStatus: { column: 'status' } }, asOf: { column: 'updated_at' } },
      ],
      consumers: consumers('education-record', 'owns-property', 'enterprise-tax-status'),
    }, tmpDir()), { log: (line) => logs.push(line) });
    started.push(node);
    return { node, logs };
  }
  const unavailable = (r: Awaited<ReturnType<typeof sendQuery>>) => {
    expect(r.status, r.text).toBe(503);
    expect(r.json.error.reason).toBe('source_unavailable');
    expect(r.json.answer).toBeUndefined();
  };

  it('with the marker: "no such student" is not_found; a 404 from a path the backend does not have is source_unavailable, never a signed "owns no property"', async () => {
    const { node, logs } = await start({ status: 404, body: { code: 'NO_RECORD' } });
    const ask = (itemCode: string, params: Record<string, unknown>) => sendQuery(node.url, consumer, { itemCode, params });
    expect((await ask('education-record', { idNumber: A })).json).toMatchObject({ outcome: 'answered', answer: { level: '本科' } });
    expect((await ask('education-record', { idNumber: B })).json).toMatchObject({ outcome: 'not_found' });
    unavailable(await ask('owns-property', { idNumber: A }));
    unavailable(await ask('owns-property', { idNumber: B }));
    unavailable(await ask('enterprise-tax-status', { uscc }));
    // logged with the status and the configured path (the template: no identity number in the log)
    expect(logs.some((l) => l.includes('HTTP 404') && l.includes('/bdc/persons/{idNumber}/properties'))).toBe(true);
    expect(logs.some((l) => l.includes('HTTP 404') && l.includes('/tax/taxpayer/{uscc}'))).toBe(true);
    expect(logs.join('\n')).not.toContain(A);
    expect(logs.join('\n')).not.toContain(uscc);
    expect(logs.filter((l) => l.includes('noRecord'))).toEqual([]); // no start warning: this source tells its 404s apart
  });

  it('without noRecord a 404 is never "no record": every 404 is source_unavailable, and the node warns once at start that it cannot say "no record" so', async () => {
    const { node, logs } = await start();
    const warnings = () => logs.filter((l) => l.includes('sources.legacy.noRecord'));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/404 from the backend is source_unavailable, never "no record"/);
    const ask = (itemCode: string, params: Record<string, unknown>) => sendQuery(node.url, consumer, { itemCode, params });
    // found records still answer
    expect((await ask('education-record', { idNumber: A })).json).toMatchObject({ outcome: 'answered', answer: { level: '本科' } });
    // the backend's own "no such student" 404 cannot be told from a wrong path without the marker: unavailable, not a signed not_found
    unavailable(await ask('education-record', { idNumber: B }));
    // the danger this removes: "no such endpoint" signed as "owns no property" for everyone
    unavailable(await ask('owns-property', { idNumber: A }));
    unavailable(await ask('enterprise-tax-status', { uscc }));
    expect(logs.some((l) => l.includes('HTTP 404') && l.includes('/bdc/persons/{idNumber}/properties') && l.includes('no noRecord'))).toBe(true);
    expect(logs.join('\n')).not.toContain(A);
    expect(warnings()).toHaveLength(1); // once, at start — not per query
    expect(node.stats().notFound).toBe(0);
  });
});

describe('noRecord: the status and every member of the marker, compared exactly', () => {
  /** status and body text the backend answers for a path (404 and an empty body when not set) */
  let replies: Record<string, { status: number; body: string }> = {};
  let backend: http.Server;
  let node: ProviderNode;
  const logs: string[] = [];
  beforeAll(async () => {
    backend = http.createServer((req, res) => {
      const reply = replies[new URL(req.url ?? '/', 'http://backend').pathname] ?? { status: 404, body: '' };
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body);
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
    const baseUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    node = await startProviderNode(parseNodeConfig({
      node: { id: 'node-test-marker', name: '测试节点' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './key.json' }, trail: { file: './trail.jsonl', fsync: false },
      sources: {
        // a nested member and a boolean; status left at its default (404)
        bdc: { type: 'http', baseUrl, noRecord: { body: { 'result.code': 'E_NOT_FOUND', success: false } } },
        // a backend that answers HTTP 200 with a business code for "no record"
        edu: { type: 'http', baseUrl, noRecord: { status: 200, body: { code: 1004 } } },
        // one that answers "no record" with { "code": 0, "data": null }, and an error with another code and a null data too
        register: { type: 'http', baseUrl, noRecord: { status: 200, body: { code: 0, data: null } } },
      },
      items: [
        { ...STANDARD_ITEMS.realEstateOwnership, source: 'register', path: '/register/{idNumber}', rowsPath: 'data.properties', asOf: 'source',
          fields: { certificateNo: { column: 'cert_no' }, location: { column: 'location' }, area: { column: 'area' }, usage: { column: 'usage' }, registeredOn: { column: 'registered_on' } } },
        { ...STANDARD_ITEMS.ownsProperty, source: 'bdc', path: '/bdc/{idNumber}', rowsPath: 'data', fields: { ownsProperty: { exists: true } }, asOf: 'source', whenMissing: { ownsProperty: false } },
        { ...STANDARD_ITEMS.education, source: 'edu', path: '/edu/{idNumber}', asOf: 'source',
          fields: { level: { column: 'degree' }, school: { column: 'school' }, major: { column: 'major' }, graduationYear: { column: 'grad_year' }, certificateNo: { column: 'diploma_no' } } },
      ],
      consumers: consumers('owns-property', 'education-record', 'real-estate-ownership'),
    }, tmpDir()), { log: (line) => logs.push(line) });
  });
  afterAll(async () => {
    await node?.close();
    await new Promise((r) => backend?.close(r));
  });

  const owns = () => sendQuery(node.url, consumer, { itemCode: 'owns-property', params: { idNumber: A } });
  const edu = () => sendQuery(node.url, consumer, { itemCode: 'education-record', params: { idNumber: A } });
  const unavailable = (r: Awaited<ReturnType<typeof sendQuery>>) => {
    expect(r.status, r.text).toBe(503);
    expect(r.json.error.reason).toBe('source_unavailable');
    expect(r.json.answer).toBeUndefined();
  };
  const bdc404 = (body: string) => { replies = { [`/bdc/${A}`]: { status: 404, body } }; };

  it('a 404 with every member of the marker (other members aside) is no record', async () => {
    bdc404('{"success":false,"result":{"code":"E_NOT_FOUND","msg":"无此权利人"},"traceId":"t-1"}');
    expect((await owns()).json).toMatchObject({ outcome: 'answered', answer: { ownsProperty: false } });
  });

  it('a 404 whose body lacks a member, holds another value (or type), is not JSON or is empty is source_unavailable', async () => {
    for (const body of [
      '{"success":false,"result":{"code":"E_NO_ROUTE"}}', // another code
      '{"result":{"code":"E_NOT_FOUND"}}', // success missing
      '{"success":"false","result":{"code":"E_NOT_FOUND"}}', // "false" is not false
      '{"success":false,"result.code":"E_NOT_FOUND"}', // a dotted name is a path to a nested member
      '<html><body>404 Not Found</body></html>', // a proxy's or a web server's page
      '',
    ]) {
      bdc404(body);
      unavailable(await owns());
    }
    expect(logs.filter((l) => l.includes('HTTP 404') && l.includes('/bdc/{idNumber}')).length).toBeGreaterThanOrEqual(6);
    expect(logs.some((l) => l.includes('not JSON'))).toBe(true);
  });

  it('another status is what the marker names: 200 with the business code is no record, 200 with rows answers, any 404 is source_unavailable', async () => {
    replies = { [`/edu/${A}`]: { status: 200, body: '{"code":1004,"msg":"无记录"}' } };
    expect((await edu()).json).toMatchObject({ outcome: 'not_found' });
    replies = { [`/edu/${A}`]: { status: 200, body: JSON.stringify({ code: 0, degree: '本科', school: '安徽工业大学', major: '冶金工程', grad_year: 2002, diploma_no: '1036' }) } };
    expect((await edu()).json).toMatchObject({ outcome: 'answered', answer: { level: '本科' } });
    replies = { [`/edu/${A}`]: { status: 404, body: '{"code":1004}' } };
    unavailable(await edu());
  });

  it('a null along rowsPath is "no record" only as the marker names it: { "code": 0, "data": null } is not_found, { "code": 500, "data": null } source_unavailable', async () => {
    const register = () => sendQuery(node.url, consumer, { itemCode: 'real-estate-ownership', params: { idNumber: A } });
    const reply = (body: unknown) => { replies = { [`/register/${A}`]: { status: 200, body: JSON.stringify(body) } }; };
    reply({ code: 0, msg: '无登记记录', data: null });
    expect((await register()).json).toMatchObject({ outcome: 'not_found' });
    reply({ code: 500, msg: '系统繁忙', data: null });
    unavailable(await register());
    reply({ code: 0, data: { properties: [{ cert_no: '皖(2024)马鞍山市不动产权第0000001号', location: '湖东路1号', area: 89.5, usage: '住宅', registered_on: '2024-05-01' }] } });
    expect((await register()).json).toMatchObject({ outcome: 'answered', answer: { records: [{ certificateNo: '皖(2024)马鞍山市不动产权第0000001号', area: 89.5 }] } });
  });
});

describe('helpers', () => {
  it('windowStartMonth counts the current month as the first of the window', () => {
    expect(windowStartMonth(new Date('2026-03-15T00:00:00Z'), 1)).toBe('2026-03');
    expect(windowStartMonth(new Date('2026-03-15T00:00:00Z'), 3)).toBe('2026-01');
    expect(windowStartMonth(new Date('2026-01-15T00:00:00Z'), 13)).toBe('2025-01');
  });

  it('the months of lastMonths are Beijing months: at 01:00 on 1 March (China time) the last month is March alone', async () => {
    const firstOfMarchInBeijing = new Date('2026-02-28T17:00:00.000Z'); // 2026-03-01 01:00 +08:00
    expect(windowStartMonth(firstOfMarchInBeijing, 1)).toBe('2026-03');
    expect(windowStartMonth(firstOfMarchInBeijing, 3)).toBe('2026-01');
    expect(windowStartMonth(new Date('2026-03-31T16:00:00.000Z'), 1)).toBe('2026-04'); // 2026-04-01 00:00 +08:00
    // a file source's window: one month asked, one month answered — not February's contributions too
    const dir = tmpDir();
    const file = path.join(dir, 'si.csv');
    fs.writeFileSync(file, `id_number,month,base\n${A},2026-01,5000\n${A},2026-02,5100\n${A},2026-03,5200\n`);
    const source = await openFileSource({ type: 'csv', file });
    const binding = { source: 'si', match: { id_number: 'idNumber' }, lastMonths: { column: 'month', param: 'months' }, fields: { month: { column: 'month' }, base: { column: 'base' } }, asOf: 'source' as const };
    const { rows } = await source.fetch(binding, { idNumber: A, months: 1 }, firstOfMarchInBeijing);
    expect(rows.map((r) => r.month)).toEqual(['2026-03']);
  });
  it('parses CSV with quotes, commas, line breaks and a BOM, and GB18030 text', () => {
    const utf8 = Buffer.from('\uFEFFa,b\n"x, ""y""","line\nbreak"\n');
    expect(parseCsv(utf8)).toEqual([{ a: 'x, "y"', b: 'line\nbreak' }]);
    const gb = new Uint8Array([0x61, 0x0a, 0xd5, 0xc5, 0x0a]); // "a\n张\n" in GB18030
    expect(parseCsv(gb)).toEqual([{ a: '张' }]);
  });
});

describe('columns the configuration names must be in the source', () => {
  const config = (dir: string, item: Record<string, unknown>, source: Record<string, unknown>) => parseNodeConfig({
    node: { id: 'node-test-cols', name: '测试节点' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './key.json' }, trail: { file: './trail.jsonl', fsync: false },
    sources: { s: source }, items: [{ ...item, source: 's' }], consumers: consumers(String(item.code)),
  }, dir);
  const ownsProperty = (match: Record<string, string>) => ({ ...STANDARD_ITEMS.ownsProperty, match, fields: { ownsProperty: { exists: true } }, asOf: 'source', whenMissing: { ownsProperty: false } });
  const marriage = (column: string) => ({ ...STANDARD_ITEMS.marriageStatus, match: { id_number: 'idNumber' }, fields: { married: { column, in: ['已婚'] } }, asOf: 'source' });

  it('a file source without a column an item matches on or answers from stops the start, instead of answering "no" for everyone', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'book.csv'), `id_number,marital_status\n${A},已婚\n`);
    // a typo in the match column: every query would find no row, and 无房证明 would certify "owns no property"
    await expect(startProviderNode(config(dir, ownsProperty({ idnumber: 'idNumber' }), { type: 'csv', file: './book.csv' }))).rejects.toThrow(/owns-property.*"idnumber"/s);
    // a typo in an answer column: married would be false for everyone
    await expect(startProviderNode(config(dir, marriage('marital_stauts'), { type: 'csv', file: './book.csv' }))).rejects.toThrow(/marriage-status.*"marital_stauts"/s);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('trail'))).toEqual(['trail-params.key', 'trail.jsonl']); // nothing left open or half-written
  });

  it('a new export without the column gives source_unavailable, not a wrong answer', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'book.csv');
    fs.writeFileSync(file, `id_number,marital_status\n${A},已婚\n`);
    const node = await startProviderNode(config(dir, marriage('marital_status'), { type: 'csv', file: './book.csv' }));
    try {
      expect((await sendQuery(node.url, consumer, { params: { idNumber: A } })).json.answer).toEqual({ married: true });
      fs.writeFileSync(file, `id_number,婚姻状况\n${A},已婚\n`);
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
      await new Promise((r) => setTimeout(r, 2100)); // the file is looked at again after two seconds
      const r = await sendQuery(node.url, consumer, { params: { idNumber: A } });
      expect(r.status).toBe(503);
      expect(r.json.error.reason).toBe('source_unavailable');
    } finally {
      await node.close();
    }
  });

  it('a SQL query that does not return a column the item answers from gives source_unavailable, not null', async () => {
    const dir = tmpDir();
    const db = await PGlite.create({ dataDir: path.join(dir, 'si-db') });
    await fillSi((sql, params) => db.query(sql, params));
    await db.close();
    const node = await startProviderNode(config(dir, { ...SI_ITEM, query: SI_ITEM.query.replace(', employer,', ',') }, { type: 'sql', pgliteDir: './si-db' }));
    try {
      const r = await sendQuery(node.url, consumer, { itemCode: 'social-insurance-contributions', params: { idNumber: A, months: 6 } });
      expect(r.status, r.text).toBe(503);
      expect(r.json.error.reason).toBe('source_unavailable');
    } finally {
      await node.close();
    }
  });
});
