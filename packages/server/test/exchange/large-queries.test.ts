/**
 * Queries larger than the ordinary: a many-record item whose source holds more records than one
 * answer carries (社保缴费记录 of a person with 1,001 records), and a legal basis as long as the
 * catalog allows (2,000 characters over several lines). Real provider nodes on loopback.
 *
 * - Too many records: the node refuses with its signed reason (too_many_records, 422); the
 *   platform reports `unavailable / too_many_records` at once — not retried, not counted by the
 *   breaker —, logs the reason and the count, the subject reads the query in their access log,
 *   and the directory's quality counts it as the node's refusal (the node did answer).
 * - A long legal basis: the query carries it whole (in the signed body, its SM3 reference in the
 *   header); the node's trail, the exchange log, the access log and the audit chain hold it whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGAL_BASIS_MAX_CHARS, MAX_RECORDS, STANDARD_ITEMS, UNAVAILABLE_REASONS } from '@mianzheng/provider/protocol';
import { toCsv } from '@mianzheng/provider/samples';
import { ExchangeResolver } from '../../src/applications/adapters/exchange-resolver.ts';
import { ProofItemInputSchema } from '../../src/catalog/adapters/schemas.ts';
import { LIMITS } from '../../src/catalog/spreadsheet/types.ts';
import { findActorByToken } from '../../src/identity/use-cases/authenticate-session.ts';
import { queryProvider } from '../../src/exchange/use-cases/query-provider.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { AGENT_ID, CITIZEN_ID, openCase, QUERY, register, startInProcess, tmpDir, trailOf, writeMarriageNode, type NodeSetup, type RunningNode } from './support.ts';

let p: TestPlatform;
let rs: NodeSetup;
let rsNode: RunningNode;
let mz: NodeSetup;
let mzNode: RunningNode;

/** A legal basis as the catalog may hold it: several provisions, one per line, `chars` characters in all. */
function catalogLegalBasis(chars = LEGAL_BASIS_MAX_CHARS): string {
  const lines = ['1.《社会救助暂行办法》第十一条:申请最低生活保障,共同生活的家庭成员应当向户籍所在地的乡镇人民政府、街道办事处如实申报家庭收入状况、财产状况。',
    '2.《中华人民共和国社会保险法》第七十四条:社会保险经办机构通过业务经办、统计、调查获取社会保险工作所需的数据,有关单位和个人应当及时、如实提供。',
    '3.《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》(国办发〔2020〕42号)。'];
  let text = lines.join('\n');
  while ([...text].length < chars) text += `\n${lines[[...text].length % 3]}`;
  return [...text].slice(0, chars).join('');
}

async function query(body: Record<string, unknown>, as = 'clerk') {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: await p.as(as), payload: body });
  return { status: res.statusCode, json: res.json() };
}
const logRow = (id: string) => p.database.db.selectFrom('exchange_log').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const SI = { itemCode: 'social-insurance-contributions', purpose: 'application_review', legalBasis: '《中华人民共和国社会保险法》第七十四条' };
/** 社保缴费记录 as the standard defines it: `months` required, 12 by default (what the engine asks with) */
const SI_ITEM = STANDARD_ITEMS.socialInsurance;

/** The application engine's query for 社保参保缴费证明 of `holder`, for 民政's 最低生活保障申请 `ref`. */
function engineQuery(id: string, ref: string, holder: { code: string; name: string }) {
  return new ExchangeResolver(p.app.deps).query({
    application: { id, ref, serviceItemCode: '340500-DBSQ', serviceItemName: '最低生活保障申请' },
    holder: { ...holder, kind: 'person', accountId: null },
    proofItem: { id: 'ZM-MAS-SBJF', name: '社保参保缴费证明', legalBasis: '《中华人民共和国社会保险法》第七十四条', issuingDepartmentId: 'mas-rs', issuingDepartmentName: '马鞍山市人力资源和社会保障局' },
    requester: { departmentId: 'mas-mz', departmentName: '马鞍山市民政局', accountId: 'system', role: 'clerk', onBehalfOf: null },
  } as Parameters<ExchangeResolver['query']>[0]);
}

beforeAll(async () => {
  p = await createTestPlatform();
  const admin = await p.as('dataadmin');
  // 人社's node offers the contributions item to 公安 (the clerk) and 民政 (低保, the engine), for 社保参保缴费证明
  const put = await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-mas-rs/items/social-insurance-contributions', headers: admin, payload: { definition: SI_ITEM, proofItemIds: ['ZM-MAS-SBJF'] } });
  expect(put.statusCode, put.body).toBe(200);
  const grants = await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-mas-rs/items/social-insurance-contributions/grants', headers: admin, payload: { grants: [{ consumerDepartmentId: 'mas-ga', purposes: ['application_review'] }, { consumerDepartmentId: 'mas-mz', purposes: ['application_review'] }] } });
  expect(grants.statusCode, grants.body).toBe(200);
  const consumers = (await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-rs/node-config', headers: admin })).json().consumers;

  // the citizen: 1,001 monthly records (more than one answer carries); the agent: three
  const dir = tmpDir();
  const rows: Array<Array<string | number>> = [];
  for (let i = 0; i < MAX_RECORDS + 1; i++) rows.push([CITIZEN_ID, `${1941 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, i % 2 ? '职工基本医疗保险' : '企业职工基本养老保险', 6000, '马钢(集团)控股有限公司']);
  for (let i = 0; i < 3; i++) rows.push([AGENT_ID, `2026-0${i + 1}`, '企业职工基本养老保险', 5000, '马鞍山市帮办服务中心']);
  fs.writeFileSync(path.join(dir, 'si.csv'), toCsv(['id_number', 'month', 'insurance_type', 'base', 'employer'], rows));
  fs.writeFileSync(path.join(dir, 'node.json'), JSON.stringify({
    node: { id: 'node-mas-rs', name: '马鞍山市人社局社保共享节点(测试)' }, listen: { host: '127.0.0.1', port: 0 },
    signing: { suite: 'Ed25519', keyFile: './node-key.json' }, trail: { file: './trail.jsonl', fsync: false },
    sources: { si: { type: 'csv', file: './si.csv' } },
    items: [{ ...SI_ITEM, source: 'si', match: { id_number: 'idNumber' }, asOf: 'source', fields: { month: { column: 'month' }, insuranceType: { column: 'insurance_type' }, base: { column: 'base' }, employer: { column: 'employer' } } }],
    consumers,
  }));
  rs = { dir, configFile: path.join(dir, 'node.json') };
  rsNode = await startInProcess(rs);
  // a breaker that opens after two consecutive failures: a refusal must not count as one
  await register(p, rsNode, 'node-mas-rs', { maxAttempts: 3, timeoutMs: 5000, breakerThreshold: 2, breakerHalfOpenMs: 60_000 });

  mz = await writeMarriageNode(p);
  mzNode = await startInProcess(mz);
  await register(p, mzNode);
  for (const ref of ['BJ-SI-MANY-1', 'BJ-SI-MANY-2', 'BJ-SI-MANY-3', QUERY.applicationRef, 'BJ-LB-ROUTE', 'BJ-LB-BAD']) await openCase(p, { ref, subjectCode: CITIZEN_ID });
  await openCase(p, { ref: 'BJ-SI-FEW', subjectCode: AGENT_ID });
});
afterAll(async () => {
  await rsNode?.stop();
  await mzNode?.stop();
  await p?.close();
});

describe('a many-record item with more records than one answer carries', () => {
  it('is unavailable / too_many_records at once: one attempt, the node\'s reason and count in both trails, the subject\'s access log has it, the breaker stays closed', async () => {
    for (const ref of ['BJ-SI-MANY-1', 'BJ-SI-MANY-2', 'BJ-SI-MANY-3']) {
      const { status, json } = await query({ ...SI, params: { idNumber: CITIZEN_ID, months: 60 }, applicationRef: ref });
      expect(status).toBe(200);
      expect(json).toMatchObject({ outcome: 'unavailable', reason: 'too_many_records', providerId: 'node-mas-rs', attempts: 1, message: UNAVAILABLE_REASONS.too_many_records[0], messageEn: UNAVAILABLE_REASONS.too_many_records[1] });
      expect(json.answer).toBeUndefined();
      expect(json.accessLogId).toBeTruthy(); // the subject's identity number did reach the node
      const row = await logRow(json.exchangeId);
      expect(row).toMatchObject({ outcome: 'unavailable', reason: 'too_many_records', sent: true, http_status: 422, attempts: 1 });
      expect(row.detail).toContain(`1001 records; at most ${MAX_RECORDS}`);
      const entry = trailOf(rs).find((t) => t.requestSm3 === row.request_digest);
      expect(entry).toMatchObject({ status: 422, outcome: 'rejected', reason: 'too_many_records', detail: `1001 records; at most ${MAX_RECORDS}`, application: ref });
    }
    // three refusals in a row, with a breaker that opens after two failures: the node is still asked
    const few = await query({ ...SI, params: { idNumber: AGENT_ID, months: 60 }, applicationRef: 'BJ-SI-FEW' });
    expect(few.json).toMatchObject({ outcome: 'answered', attempts: 1 });
    expect(few.json.answer.records).toHaveLength(3);
    expect(rsNode.inProcess!.stats().rejected).toEqual({ too_many_records: 3 });
    // the subject reads who tried, and that no data came of it
    const me = await p.app.inject({ method: 'GET', url: '/api/v1/me/access-log?pageSize=100', headers: await p.as('citizen') });
    expect(me.json().items.filter((i: { applicationRef: string }) => i.applicationRef?.startsWith('BJ-SI-MANY-'))).toEqual(
      ['BJ-SI-MANY-3', 'BJ-SI-MANY-2', 'BJ-SI-MANY-1'].map((applicationRef) => expect.objectContaining({ applicationRef, dataItem: 'exchange:social-insurance-contributions', outcome: 'unavailable', accessorName: '马鞍山市公安局' })),
    );
  });

  it('the directory\'s quality counts it as the node\'s refusal: availability unaffected, in the error rate and by reason', async () => {
    const res = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-rs/quality?sinceDays=7', headers: await p.as('supervisor') });
    expect(res.statusCode, res.body).toBe(200);
    const q = res.json();
    expect(q).toMatchObject({ sent: 4, answered: 1, failed: 0, rejectedByNode: 3, availability: 1, errorRate: 0.75, lastFailureAt: null });
    expect(q.rejectedByReason).toEqual([{ reason: 'too_many_records', count: 3, sent: true }]);
    const log = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/log?reason=too_many_records', headers: await p.as('supervisor') });
    expect(log.json().items).toHaveLength(3);
  });

  it('the application engine gets unavailable with the reason, and falls back (department verification or commitment)', async () => {
    const out = await engineQuery('00000000-0000-0000-0000-000000000002', 'BJ-SI-ENGINE', { code: CITIZEN_ID, name: '张晓梅' });
    expect(out).toMatchObject({ kind: 'unavailable', accessLogged: true });
    expect(out.kind === 'unavailable' && out.reason).toContain(UNAVAILABLE_REASONS.too_many_records[0]);
  });

  it('the engine asks with the item\'s default for what it cannot know (months: 12), so a required parameter does not end the query as invalid', async () => {
    expect(SI_ITEM.params.find((x) => x.name === 'months')).toMatchObject({ required: true, default: 12 });
    const before = trailOf(rs).length;
    const out = await engineQuery('00000000-0000-0000-0000-000000000003', 'BJ-SI-ENGINE-FEW', { code: AGENT_ID, name: '李帮办' });
    expect(out).toMatchObject({ kind: 'answered', accessLogged: true });
    expect(out.kind === 'answered' && (out.answer as { records: unknown[] }).records).toHaveLength(3);
    expect(trailOf(rs).slice(before)).toEqual([expect.objectContaining({ status: 200, application: 'BJ-SI-ENGINE-FEW' })]);
  });
});

describe('a legal basis as long as the catalog allows', () => {
  it('the platform takes what the catalog takes (2,000 characters, several lines)', () => {
    expect((ProofItemInputSchema.properties.legalBasis as { maxLength?: number }).maxLength).toBe(LEGAL_BASIS_MAX_CHARS);
    expect(LIMITS.maxCellChars).toBe(LEGAL_BASIS_MAX_CHARS);
  });

  it('reaches the node whole: node trail, exchange log, the subject\'s access log and the audit chain hold the whole text', async () => {
    const basis = catalogLegalBasis();
    expect(basis).toContain('\n');
    const { status, json } = await query({ ...QUERY, applicationRef: 'BJ-LB-ROUTE', legalBasis: basis });
    expect(status).toBe(200);
    expect(json).toMatchObject({ outcome: 'answered', answer: { married: false } });
    const row = await logRow(json.exchangeId);
    expect(row.legal_basis).toBe(basis);
    expect(trailOf(mz).find((t) => t.requestSm3 === row.request_digest)).toMatchObject({ legalBasis: basis, outcome: 'answered' });
    const me = await p.app.inject({ method: 'GET', url: '/api/v1/me/access-log?pageSize=100', headers: await p.as('citizen') });
    expect(me.json().items.find((i: { applicationRef: string }) => i.applicationRef === 'BJ-LB-ROUTE')).toMatchObject({ legalBasis: basis, outcome: 'answered' });
    const audit = await p.database.db.selectFrom('audit_log').select(['legal_basis']).where('action', '=', 'data.access').where('legal_basis', '=', basis).execute();
    expect(audit).toHaveLength(1);
  });

  it('the application engine queries with a proof item\'s long legal basis as it stands in the catalog', async () => {
    const basis = catalogLegalBasis(600);
    const out = await new ExchangeResolver(p.app.deps).query({
      application: { id: '00000000-0000-0000-0000-000000000003', ref: 'BJ-LB-ENGINE', serviceItemCode: '340500-JHDJ', serviceItemName: '结婚登记' },
      holder: { code: CITIZEN_ID, kind: 'person', name: '张晓梅', accountId: null },
      proofItem: { id: 'ZM-MAS-HYZK', name: '婚姻状况证明', legalBasis: basis, issuingDepartmentId: 'mas-mz', issuingDepartmentName: '马鞍山市民政局' },
      requester: { departmentId: 'mas-mz', departmentName: '马鞍山市民政局', accountId: 'system', role: 'clerk', onBehalfOf: null },
    } as Parameters<ExchangeResolver['query']>[0]);
    expect(out).toMatchObject({ kind: 'answered', answer: { married: false } });
    if (out.kind !== 'answered') return;
    expect((await logRow(out.queryId)).legal_basis).toBe(basis);
    expect(trailOf(mz).at(-1)).toMatchObject({ legalBasis: basis, application: 'BJ-LB-ENGINE' });
  });

  it('what no node could take is still refused before anything is sent, naming the field: control characters, lone surrogates, more than 2,000 characters', async () => {
    const clerk = (await findActorByToken(await p.tokenOf('clerk'), p.app.deps))!;
    const before = trailOf(mz).length;
    for (const legalBasis of [`${catalogLegalBasis()}条`, '第五条\r\n第六条', '第五条\t第六条', '《婚姻登记条例》\ud800第五条', '《婚姻登记条例》第五条\u007f', '第五条\u0000', ' \n ']) {
      const r = await queryProvider({ ...QUERY, applicationRef: 'BJ-LB-BAD', consumerDepartmentId: 'mas-ga', legalBasis }, clerk, p.app.deps);
      expect(r, JSON.stringify(legalBasis)).toMatchObject({ outcome: 'denied', reason: 'invalid_request', field: 'legalBasis' });
      expect((await logRow(r.exchangeId)).sent).toBe(false);
    }
    expect(trailOf(mz).length).toBe(before);
    // the route's own limit is the catalog's
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: await p.as('clerk'), payload: { ...QUERY, applicationRef: 'BJ-LB-BAD', legalBasis: '依'.repeat(LEGAL_BASIS_MAX_CHARS + 1) } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: expect.stringContaining('legalBasis') });
  });
});
