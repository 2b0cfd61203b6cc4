/**
 * An answer can name other people besides its subject — the members on a 户籍 record, the
 * parents on a birth record: any field a data administrator defines to hold an identity
 * number. Every person an answer the platform used discloses is a data subject of that
 * query: each reads it in their own 谁用了我的数据 (same accessor, purpose, legal basis,
 * application, item), marked with the field that names them and where (`records[2].memberIdNumber`:
 * the third record), once per query however often the answer names them. A field the item
 * declares to hold an enterprise's USCC (or neither kind of code) names nobody, even with a
 * value that is a valid identity number too. An answer the platform did not use (denied by the node, or not
 * conforming to the item) discloses nobody else. The node here is a real provider node on
 * loopback, offering items defined in the directory by the data administrator (no standard
 * item has such a field).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityNumberCheckChar, parseIdentityNumber, parseUscc } from '@mianzheng/crypto';
import { STANDARD_ITEMS, type ItemDefinition } from '@mianzheng/provider/protocol';
import { toCsv } from '@mianzheng/provider/samples';
import { namedPersons, personNamedBy, recordNumberOf } from '../../src/audit/domain/named-persons.ts';
import { usccsThatAreIdentityNumbers } from '../support/ambiguous-codes.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { AGENT_ID, CITIZEN_ID, openCase, register, startInProcess, STRANGER_ID, tmpDir, type RunningNode } from './support.ts';

const MEMBERS: ItemDefinition = {
  code: 'household-members', name: '户籍成员信息', nameEn: 'Household members', kind: 'record', many: true, subjectParam: 'idNumber', subjectKind: 'person',
  params: [{ name: 'idNumber', type: 'identity_number', label: '公民身份号码', required: true }],
  answer: [
    { name: 'memberName', type: 'string', label: '成员姓名' },
    { name: 'memberIdNumber', type: 'string', label: '成员公民身份号码' },
    { name: 'relationToHead', type: 'string', label: '与户主关系' },
    { name: 'headIdNumber', type: 'string', label: '户主公民身份号码' },
  ],
};
const BIRTH: ItemDefinition = {
  code: 'birth-record-parents', name: '出生登记信息', nameEn: 'Birth registration', kind: 'record', subjectParam: 'idNumber', subjectKind: 'person',
  params: [{ name: 'idNumber', type: 'identity_number', label: '公民身份号码', required: true }],
  answer: [
    { name: 'birthDate', type: 'date', label: '出生日期' },
    { name: 'motherIdNumber', type: 'string', label: '母亲公民身份号码' },
    { name: 'fatherIdNumber', type: 'string', label: '父亲公民身份号码' },
  ],
};

let p: TestPlatform;
let consumers: Array<{ id: string; allow: Array<{ item: string; purposes: string[] }> }>;
const running: RunningNode[] = [];

/**
 * A 公安 node (node-mas-ga) answering both items from CSV files, registered in the directory.
 * The citizen's household: the agent heads it (and is named in every record), the stranger is
 * a member; the agent is the citizen's father, the stranger their mother.
 */
async function startNode(options: { allowMembers?: boolean; membersAnswer?: ItemDefinition['answer'] } = {}): Promise<RunningNode> {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'members.csv'), toCsv(['id_number', 'member_name', 'member_id', 'relation', 'head_id'], [
    [CITIZEN_ID, '李帮办', AGENT_ID, '户主', AGENT_ID],
    [CITIZEN_ID, '张晓梅', CITIZEN_ID.toLowerCase(), '女', AGENT_ID],
    [CITIZEN_ID, '王伟', STRANGER_ID, '妻', AGENT_ID.toLowerCase()],
  ]));
  fs.writeFileSync(path.join(dir, 'births.csv'), toCsv(['id_number', 'birth_date', 'mother_id', 'father_id'], [[CITIZEN_ID, '1990-03-07', STRANGER_ID, AGENT_ID]]));
  const membersAnswer = options.membersAnswer ?? MEMBERS.answer;
  const memberColumns: Record<string, { column: string }> = { memberName: { column: 'member_name' }, memberIdNumber: { column: 'member_id' }, relationToHead: { column: 'relation' }, headIdNumber: { column: 'head_id' } };
  const config = {
    node: { id: 'node-mas-ga', name: '马鞍山市公安局户籍共享节点(测试)' },
    listen: { host: '127.0.0.1', port: 0 },
    signing: { suite: 'Ed25519', keyFile: './node-key.json' },
    trail: { file: './trail.jsonl', fsync: false },
    sources: { members: { type: 'csv', file: './members.csv' }, births: { type: 'csv', file: './births.csv' } },
    items: [
      { ...MEMBERS, answer: membersAnswer, source: 'members', match: { id_number: 'idNumber' }, fields: Object.fromEntries(membersAnswer.map((f) => [f.name, memberColumns[f.name]])), asOf: 'source' },
      { ...BIRTH, source: 'births', match: { id_number: 'idNumber' }, fields: { birthDate: { column: 'birth_date' }, motherIdNumber: { column: 'mother_id' }, fatherIdNumber: { column: 'father_id' } }, asOf: 'source' },
    ],
    // what the directory grants, for the items this node serves (a node that does not allow the members item denies it)
    consumers: consumers.map((c) => ({ ...c, allow: c.allow.filter((a) => (a.item === MEMBERS.code && options.allowMembers !== false) || a.item === BIRTH.code) })),
  };
  fs.writeFileSync(path.join(dir, 'node.json'), JSON.stringify(config, null, 2));
  const node = await startInProcess({ dir, configFile: path.join(dir, 'node.json') });
  running.push(node);
  await register(p, node, 'node-mas-ga');
  return node;
}

async function query(itemCode: string, ref: string) {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: await p.as('clerk'), payload: { itemCode, params: { idNumber: CITIZEN_ID }, purpose: 'application_review', applicationRef: ref, legalBasis: '《中华人民共和国户口登记条例》第六条' } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { outcome: string; accessLogId: string | null; exchangeId: string };
}

interface Entry {
  id: string; accessorName: string; dataItem: string; dataItemLabel: string; purpose: string; applicationRef: string | null; legalBasis: string; outcome: string;
  namedAs: { field: string; label: string; path: string | null; record: number | null } | null;
}
async function logOf(username: string, ref: string): Promise<Entry[]> {
  const res = await p.app.inject({ url: '/api/v1/me/access-log?pageSize=100', headers: await p.as(username) });
  expect(res.statusCode).toBe(200);
  return (res.json().items as Entry[]).filter((e) => e.applicationRef === ref);
}
/** The stranger has no account: their entries, straight from the access log by the keyed hash of their number. */
async function strangerRows(ref: string) {
  return p.database.db.selectFrom('access_log').select(['accessor_name', 'data_item', 'purpose', 'outcome', 'detail', 'subject_mask'])
    .where('subject_hash', '=', p.app.deps.pii.lookupHash(STRANGER_ID)).where('application_ref', '=', ref).execute();
}
const detailOf = (d: unknown) => (typeof d === 'string' ? JSON.parse(d) : d) as { namedAs?: { field: string; label: string; path: string }; exchangeId?: string };

beforeAll(async () => {
  p = await createTestPlatform();
  const admin = await p.as('dataadmin');
  for (const def of [MEMBERS, BIRTH]) {
    const put = await p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/node-mas-ga/items/${def.code}`, headers: admin, payload: { definition: def, proofItemIds: [] } });
    expect(put.statusCode, put.body).toBe(200);
    const grants = await p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/node-mas-ga/items/${def.code}/grants`, headers: admin, payload: { grants: [{ consumerDepartmentId: 'mas-ga', purposes: ['application_review'] }] } });
    expect(grants.statusCode, grants.body).toBe(200);
  }
  const res = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-ga/node-config', headers: admin });
  expect(res.statusCode, res.body).toBe(200);
  consumers = res.json().consumers;
  for (const ref of ['BJ-NP-MEMBERS', 'BJ-NP-BIRTH', 'BJ-NP-DENIED', 'BJ-NP-BAD', 'BJ-NP-LOCAL']) await openCase(p, { ref, subjectCode: CITIZEN_ID });
});
afterAll(async () => {
  for (const n of running) await n.stop();
  await p?.close();
});

describe('namedPersons over the records of an answer', () => {
  it('finds each other person once across records, by the first place naming them (its path in the answer), with its label; the subject never', () => {
    const records = [{ a: CITIZEN_ID, b: AGENT_ID }, { a: AGENT_ID.toLowerCase(), b: STRANGER_ID, n: 3 }];
    expect(namedPersons({ records }, CITIZEN_ID.toLowerCase(), [{ name: 'b', label: '户主' }])).toEqual([
      { code: AGENT_ID, field: 'b', label: '户主', path: 'records[0].b' }, { code: STRANGER_ID, field: 'b', label: '户主', path: 'records[1].b' },
    ]);
    expect(namedPersons({ holderCode: AGENT_ID, x: STRANGER_ID }, CITIZEN_ID, [], { ignore: ['holderCode'] })).toEqual([{ code: STRANGER_ID, field: 'x', label: 'x', path: 'x' }]);
    expect([recordNumberOf('records[0].b'), recordNumberOf('records[2].memberIdNumber'), recordNumberOf('spouseIdNumber')]).toEqual([1, 3, null]);
  });
});

describe('a unified social credit code is not a person', () => {
  /** all-digit USCCs (GB 32100 check holds) that pass as identity numbers too (GB 11643: birth date, check character) */
  const [USCC_A, USCC_B, USCC_C] = usccsThatAreIdentityNumbers(3);

  it('the test codes are real USCCs of 18 digits, and valid identity numbers as well', () => {
    for (const code of [USCC_A!, USCC_B!, USCC_C!]) {
      expect(code).toMatch(/^\d{18}$/);
      expect(parseUscc(code)).toMatchObject({ valid: true, registrationAuthority: '9', entityType: '1', regionCode: '110119' });
      expect(parseIdentityNumber(code)).toMatchObject({ valid: true, birthDate: expect.stringMatching(/^19\d\d-03-15$/) });
    }
  });

  it('never in a field declared to hold an enterprise\'s code (or neither kind); in an undeclared one a code valid as both names a person (the documented decision)', () => {
    const fields = [
      { name: 'employerUscc', label: '用人单位统一社会信用代码', identifies: 'enterprise' as const },
      { name: 'certificateNo', label: '证书编号', identifies: 'none' as const },
      { name: 'witnessIdNumber', label: '见证人公民身份号码', identifies: 'person' as const },
      { name: 'referenceCode', label: '关联代码' },
    ];
    const answer = { records: [
      { employerUscc: USCC_A, certificateNo: USCC_B, witnessIdNumber: STRANGER_ID, referenceCode: null },
      { employerUscc: STRANGER_ID, certificateNo: AGENT_ID, witnessIdNumber: null, referenceCode: USCC_C },
    ] };
    // a person's number in an enterprise or none field is not read either: the declaration says what the field holds
    expect(namedPersons(answer, CITIZEN_ID, fields)).toEqual([
      { code: STRANGER_ID, field: 'witnessIdNumber', label: '见证人公民身份号码', path: 'records[0].witnessIdNumber' },
      { code: USCC_C, field: 'referenceCode', label: '关联代码', path: 'records[1].referenceCode' },
    ]);
    for (const code of [USCC_A!, STRANGER_ID]) {
      expect(personNamedBy(code, 'enterprise')).toBeUndefined();
      expect(personNamedBy(code, 'none')).toBeUndefined();
      expect(personNamedBy(code, 'person')).toBe(code);
      expect(personNamedBy(code, undefined)).toBe(code);
    }
  });

  it('why undeclared means person: about one real identity number in 31 is also a valid USCC, and its holder is named all the same', () => {
    const ids = Array.from({ length: 3100 }, (_, i) => {
      const first17 = `340504${1950 + (i % 50)}0${1 + (i % 9)}1${i % 10}${String(i % 1000).padStart(3, '0')}`;
      return first17 + identityNumberCheckChar(first17);
    }).filter((id) => parseIdentityNumber(id).valid);
    const alsoUscc = ids.filter((id) => parseUscc(id).valid);
    expect(alsoUscc.length).toBeGreaterThan(ids.length / 60);
    expect(alsoUscc.length).toBeLessThan(ids.length / 15);
    expect(namedPersons({ records: alsoUscc.map((id) => ({ memberIdNumber: id })) }, CITIZEN_ID).map((p) => p.code)).toEqual(alsoUscc);
  });

  it('the standard education item declares its diploma number (18 digits, some pass as an identity number) to name nobody', () => {
    // 学校代码 10357, 办学类型 1, 2015 年, 层次 05, 顺序号 12345 and a last digit: as an identity number born 2015-05-12
    const first17 = '10357120150512345';
    const diploma = first17 + identityNumberCheckChar(first17);
    expect(parseIdentityNumber(diploma).valid).toBe(true);
    const answer = { level: '本科', school: '安徽工业大学', major: '冶金工程', graduationYear: 2019, certificateNo: diploma };
    const fields: ItemDefinition['answer'] = STANDARD_ITEMS.education.answer;
    expect(namedPersons(answer, CITIZEN_ID, fields)).toEqual([]);
    expect(namedPersons(answer, CITIZEN_ID, fields.map(({ identifies: _, ...f }) => f))).toHaveLength(1);
  });

  it('a birth date after today names nobody (an enterprise code read as an identity number is often "born" in the future)', () => {
    const future = '34050420990101001' + identityNumberCheckChar('34050420990101001');
    expect(namedPersons({ x: future, y: STRANGER_ID }, CITIZEN_ID, [], { today: '2026-05-01' }).map((p) => p.code)).toEqual([STRANGER_ID]);
    expect(namedPersons({ x: STRANGER_ID }, CITIZEN_ID, [], { today: '1979-12-31' })).toEqual([]);
  });
});

describe('persons an answer names are data subjects of the query', () => {
  it('a many-record answer: the agent (named in every record) gets one entry, marked with the field and the first record naming them; the stranger one (household member 3); the citizen\'s own entry is unchanged', async () => {
    await startNode();
    const out = await query(MEMBERS.code, 'BJ-NP-MEMBERS');
    expect(out.outcome).toBe('answered');
    const agent = await logOf('agent', 'BJ-NP-MEMBERS');
    expect(agent).toHaveLength(1);
    expect(agent[0]).toMatchObject({
      accessorName: '马鞍山市公安局', dataItem: 'exchange:household-members', dataItemLabel: '户籍成员信息', purpose: 'application_review',
      legalBasis: '《中华人民共和国户口登记条例》第六条', outcome: 'answered',
    });
    // the first place naming them: member 1 (the head of the household is named in every record)
    expect(agent[0]!.namedAs).toEqual({ field: 'memberIdNumber', label: '成员公民身份号码', path: 'records[0].memberIdNumber', record: 1 });
    expect(agent[0]!.id).not.toBe(out.accessLogId);
    const citizen = await logOf('citizen', 'BJ-NP-MEMBERS');
    expect(citizen).toHaveLength(1);
    expect(citizen[0]).toMatchObject({ id: out.accessLogId, dataItem: 'exchange:household-members', outcome: 'answered', namedAs: null });
    const stranger = await strangerRows('BJ-NP-MEMBERS');
    expect(stranger).toHaveLength(1);
    expect(stranger[0]).toMatchObject({ accessor_name: '马鞍山市公安局', data_item: 'exchange:household-members', purpose: 'application_review', outcome: 'answered' });
    expect(detailOf(stranger[0]!.detail)).toMatchObject({ exchangeId: out.exchangeId, namedAs: { field: 'memberIdNumber', label: '成员公民身份号码', path: 'records[2].memberIdNumber' } });
    // the exchange log points at the subject's entry
    const row = await p.database.db.selectFrom('exchange_log').select('access_log_id').where('id', '=', out.exchangeId).executeTakeFirstOrThrow();
    expect(row.access_log_id).toBe(out.accessLogId);
  });

  it('a single-record answer: the parents on a birth record, each by the field naming them', async () => {
    const out = await query(BIRTH.code, 'BJ-NP-BIRTH');
    expect(out.outcome).toBe('answered');
    expect(await logOf('agent', 'BJ-NP-BIRTH')).toMatchObject([{ dataItemLabel: '出生登记信息', outcome: 'answered' }]);
    expect((await logOf('agent', 'BJ-NP-BIRTH'))[0]!.namedAs).toEqual({ field: 'fatherIdNumber', label: '父亲公民身份号码', path: 'fatherIdNumber', record: null });
    expect(detailOf((await strangerRows('BJ-NP-BIRTH'))[0]?.detail).namedAs).toEqual({ field: 'motherIdNumber', label: '母亲公民身份号码', path: 'motherIdNumber' });
    expect(await logOf('citizen', 'BJ-NP-BIRTH')).toMatchObject([{ id: out.accessLogId, namedAs: null }]);
  });

  it('denied by the node: the subject\'s entry says denied; nobody else gets one', async () => {
    await startNode({ allowMembers: false });
    const out = await query(MEMBERS.code, 'BJ-NP-DENIED');
    expect(out.outcome).toBe('denied');
    expect(await logOf('citizen', 'BJ-NP-DENIED')).toMatchObject([{ id: out.accessLogId, outcome: 'denied', namedAs: null }]);
    expect(await logOf('agent', 'BJ-NP-DENIED')).toEqual([]);
    expect(await strangerRows('BJ-NP-DENIED')).toEqual([]);
  });

  it('an answer the platform does not use (not the item\'s shape) discloses nobody, though it carries their numbers', async () => {
    await startNode({ membersAnswer: MEMBERS.answer.filter((f) => f.name !== 'relationToHead') });
    const out = await query(MEMBERS.code, 'BJ-NP-BAD');
    expect(out).toMatchObject({ outcome: 'unavailable', reason: 'bad_response' });
    expect(await logOf('citizen', 'BJ-NP-BAD')).toMatchObject([{ outcome: 'unavailable' }]);
    expect(await logOf('agent', 'BJ-NP-BAD')).toEqual([]);
    expect(await strangerRows('BJ-NP-BAD')).toEqual([]);
  });

  it('denied by the platform (purpose not granted): nothing is sent and nobody has an entry', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: await p.as('clerk'), payload: { itemCode: MEMBERS.code, params: { idNumber: CITIZEN_ID }, purpose: 'post_check', applicationRef: 'BJ-NP-LOCAL', legalBasis: '《中华人民共和国户口登记条例》第六条' } });
    expect(res.json()).toMatchObject({ outcome: 'denied', accessLogId: null });
    for (const who of ['citizen', 'agent']) expect(await logOf(who, 'BJ-NP-LOCAL')).toEqual([]);
    expect(await strangerRows('BJ-NP-LOCAL')).toEqual([]);
  });
});

describe('an answer naming thousands of persons', () => {
  /** A roster item: up to 1,000 records (what checkAnswer allows), each naming four persons by identity number. */
  const ROSTER: ItemDefinition = {
    code: 'household-roster', name: '集体户成员名册', nameEn: 'Collective household roster', kind: 'record', many: true, subjectParam: 'idNumber', subjectKind: 'person',
    params: [{ name: 'idNumber', type: 'identity_number', label: '公民身份号码', required: true }],
    answer: ['a', 'b', 'c', 'd'].map((k) => ({ name: `person${k.toUpperCase()}IdNumber`, type: 'string' as const, label: `成员${k}公民身份号码` })),
  };
  /** distinct valid identity numbers: born 1990-01-01 … 1990-01-05, sequence 001–999 */
  const id = (i: number) => {
    const first17 = `340504199001${String(1 + Math.floor(i / 999)).padStart(2, '0')}${String(1 + (i % 999)).padStart(3, '0')}`;
    return first17 + identityNumberCheckChar(first17);
  };

  it('writes every named person\'s entry (4,000 of them: more rows than one multi-row insert may bind), the answer is used', async () => {
    const admin = await p.as('dataadmin');
    const put = await p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/node-mas-ga/items/${ROSTER.code}`, headers: admin, payload: { definition: ROSTER, proofItemIds: [] } });
    expect(put.statusCode, put.body).toBe(200);
    const grants = await p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/node-mas-ga/items/${ROSTER.code}/grants`, headers: admin, payload: { grants: [{ consumerDepartmentId: 'mas-ga', purposes: ['application_review'] }] } });
    expect(grants.statusCode, grants.body).toBe(200);
    const nodeConsumers = ((await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-ga/node-config', headers: admin })).json().consumers as typeof consumers)
      .map((c) => ({ ...c, allow: c.allow.filter((a) => a.item === ROSTER.code) }));
    const dir = tmpDir();
    const ids = Array.from({ length: 4000 }, (_, i) => id(i));
    expect(new Set(ids).size).toBe(4000);
    fs.writeFileSync(path.join(dir, 'roster.csv'), toCsv(['id_number', 'a', 'b', 'c', 'd'], Array.from({ length: 1000 }, (_, r) => [CITIZEN_ID, ...ids.slice(r * 4, r * 4 + 4)])));
    fs.writeFileSync(path.join(dir, 'node.json'), JSON.stringify({
      node: { id: 'node-mas-ga', name: '马鞍山市公安局集体户共享节点(测试)' }, listen: { host: '127.0.0.1', port: 0 },
      signing: { suite: 'Ed25519', keyFile: './node-key.json' }, trail: { file: './trail.jsonl', fsync: false },
      sources: { roster: { type: 'csv', file: './roster.csv' } },
      items: [{ ...ROSTER, source: 'roster', match: { id_number: 'idNumber' }, fields: Object.fromEntries(ROSTER.answer.map((f, i) => [f.name, { column: 'abcd'[i] }])), asOf: 'source' }],
      consumers: nodeConsumers,
    }));
    const node = await startInProcess({ dir, configFile: path.join(dir, 'node.json') });
    running.push(node);
    await register(p, node, 'node-mas-ga');
    await openCase(p, { ref: 'BJ-NP-ROSTER', subjectCode: CITIZEN_ID });

    const out = await query(ROSTER.code, 'BJ-NP-ROSTER');
    expect(out.outcome).toBe('answered');
    const rows = await p.database.db.selectFrom('access_log').select((eb) => eb.fn.countAll<string>().as('n')).where('application_ref', '=', 'BJ-NP-ROSTER').executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(4001);
    const last = await p.database.db.selectFrom('access_log').select('detail').where('subject_hash', '=', p.app.deps.pii.lookupHash(ids.at(-1)!)).where('application_ref', '=', 'BJ-NP-ROSTER').execute();
    expect(last.map((r) => detailOf(r.detail).namedAs)).toEqual([{ field: 'personDIdNumber', label: '成员d公民身份号码', path: 'records[999].personDIdNumber' }]);
  });
});

describe('an answer naming enterprises by their codes', () => {
  /** all-digit USCCs that are valid identity numbers as well (born 19YY-04-20) */
  const [EMPLOYER, CONTRACT, AGENCY] = usccsThatAreIdentityNumbers(3, '04', '20');
  const EMPLOYMENT: ItemDefinition = {
    code: 'employment-registration', name: '就业登记信息', nameEn: 'Employment registration', kind: 'record', many: true, subjectParam: 'idNumber', subjectKind: 'person',
    params: [{ name: 'idNumber', type: 'identity_number', label: '公民身份号码', required: true }],
    answer: [
      { name: 'employerName', type: 'string', label: '用人单位名称' },
      { name: 'employerUscc', type: 'string', label: '用人单位统一社会信用代码', identifies: 'enterprise' },
      { name: 'contractNo', type: 'string', label: '劳动合同编号', identifies: 'none' },
      { name: 'agencyCode', type: 'string', label: '经办机构代码' },
    ],
  };
  const rowsOf = (code: string, ref: string) => p.database.db.selectFrom('access_log').select(['detail', 'outcome']).where('subject_hash', '=', p.app.deps.pii.lookupHash(code)).where('application_ref', '=', ref).execute();

  it('a field the item declares to hold a USCC (or neither kind of code) names nobody, though its value passes as an identity number; an undeclared one does (the decision)', async () => {
    const admin = await p.as('dataadmin');
    const put = await p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/node-mas-ga/items/${EMPLOYMENT.code}`, headers: admin, payload: { definition: EMPLOYMENT, proofItemIds: [] } });
    expect(put.statusCode, put.body).toBe(200);
    const grants = await p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/node-mas-ga/items/${EMPLOYMENT.code}/grants`, headers: admin, payload: { grants: [{ consumerDepartmentId: 'mas-ga', purposes: ['application_review'] }] } });
    expect(grants.statusCode, grants.body).toBe(200);
    // the directory keeps the declarations as given
    const listed = (await p.app.inject({ url: '/api/v1/exchange/providers/node-mas-ga', headers: admin })).json() as { items: Array<{ code: string; definition: ItemDefinition }> };
    expect(listed.items.find((i) => i.code === EMPLOYMENT.code)!.definition.answer.map((f) => f.identifies ?? null)).toEqual([null, 'enterprise', 'none', null]);
    const nodeConsumers = ((await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-ga/node-config', headers: admin })).json().consumers as typeof consumers)
      .map((c) => ({ ...c, allow: c.allow.filter((a) => a.item === EMPLOYMENT.code) }));
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'employment.csv'), toCsv(['id_number', 'employer', 'uscc', 'contract', 'agency'], [
      [CITIZEN_ID, '北京延庆某有限公司', EMPLOYER!, CONTRACT!, '1101'],
      [CITIZEN_ID, '北京延庆某有限公司', EMPLOYER!, STRANGER_ID, AGENCY!],
    ]));
    fs.writeFileSync(path.join(dir, 'node.json'), JSON.stringify({
      node: { id: 'node-mas-ga', name: '就业登记共享节点(测试)' }, listen: { host: '127.0.0.1', port: 0 },
      signing: { suite: 'Ed25519', keyFile: './node-key.json' }, trail: { file: './trail.jsonl', fsync: false },
      sources: { employment: { type: 'csv', file: './employment.csv' } },
      items: [{
        ...EMPLOYMENT, source: 'employment', match: { id_number: 'idNumber' }, asOf: 'source',
        fields: { employerName: { column: 'employer' }, employerUscc: { column: 'uscc' }, contractNo: { column: 'contract' }, agencyCode: { column: 'agency' } },
      }],
      consumers: nodeConsumers,
    }));
    const node = await startInProcess({ dir, configFile: path.join(dir, 'node.json') });
    running.push(node);
    await register(p, node, 'node-mas-ga');
    await openCase(p, { ref: 'BJ-NP-USCC', subjectCode: CITIZEN_ID });

    const out = await query(EMPLOYMENT.code, 'BJ-NP-USCC');
    expect(out.outcome).toBe('answered');
    expect(await rowsOf(EMPLOYER!, 'BJ-NP-USCC')).toEqual([]);
    expect(await rowsOf(CONTRACT!, 'BJ-NP-USCC')).toEqual([]);
    // a person's number in a field declared to hold none is not taken either
    expect(await rowsOf(STRANGER_ID, 'BJ-NP-USCC')).toEqual([]);
    const agency = await rowsOf(AGENCY!, 'BJ-NP-USCC');
    expect(agency.map((r) => detailOf(r.detail).namedAs)).toEqual([{ field: 'agencyCode', label: '经办机构代码', path: 'records[1].agencyCode' }]);
    const all = await p.database.db.selectFrom('access_log').select((eb) => eb.fn.countAll<string>().as('n')).where('application_ref', '=', 'BJ-NP-USCC').executeTakeFirstOrThrow();
    expect(Number(all.n)).toBe(2); // the citizen's and the undeclared field's
  });

  it('identifies is checked with the definition: person, enterprise or none, on a string field (422 naming the problem)', async () => {
    const admin = await p.as('dataadmin');
    const put = (answer: unknown[]) => p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/node-mas-ga/items/${EMPLOYMENT.code}`, headers: admin, payload: { definition: { ...EMPLOYMENT, answer }, proofItemIds: [] } });
    const onNumber = await put([{ name: 'headcount', type: 'integer', label: '人数', identifies: 'enterprise' }]);
    expect(onNumber.statusCode).toBe(422);
    expect(onNumber.json().error).toMatchObject({ code: 'EXCHANGE.INVALID_ITEM_DEFINITION', field: 'definition', details: { problems: ['answer field headcount: identifies must be person, enterprise or none, on a string field'] } });
    const unknown = await put([{ name: 'employerUscc', type: 'string', label: '代码', identifies: 'company' }]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toContain('identifies');
  });
});
