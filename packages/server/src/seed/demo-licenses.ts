/**
 * Demo e-license data: the ten license types of the pilot (with realistic fields, issuing
 * departments in every demo city and legal bases), their links to the catalog's e-license proof
 * items, and a few licenses held by the demo citizen and enterprise.
 *
 * The defining agencies' USCCs below are well-formed demo codes (valid GB 32100 check
 * characters), not necessarily the ministries' real codes — except 公安部's, which is DOMAIN.md's example.
 */
import { usccCheckChar } from '@mianzheng/crypto';
import { departmentServiceActor, type Actor } from '../identity/domain/roles.ts';
import type { Deps } from '../shared/deps.ts';
import type { FieldDefinition, HolderKind, LicenseTypeDefinition, ValidityRule } from '../licenses/domain/license-type.ts';
import { registerLicenseType } from '../licenses/use-cases/register-license-type.ts';
import { linkProofItems } from '../licenses/use-cases/link-proof-items.ts';
import { issueLicense } from '../licenses/use-cases/issue-license.ts';
import { grantLicenseUse } from '../licenses/use-cases/grant-license-use.ts';
import { readLicenseUnderGrant } from '../licenses/use-cases/read-license-under-grant.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';
import { proofItemId } from './demo-catalog.ts';
import { DEMO_CITIES, departmentId } from './reference-data.ts';

const uscc = (first17: string) => first17 + usccCheckChar(first17);

export const DEFINING_AGENCIES = {
  ga: { name: '公安部', uscc: '11100000000013338W' },
  mz: { name: '民政部', uscc: uscc('11100000000014071') },
  wj: { name: '国家卫生健康委员会', uscc: uscc('11100000000019567') },
  sj: { name: '国家市场监督管理总局', uscc: uscc('11100000000019711') },
  zr: { name: '自然资源部', uscc: uscc('11100000000019850') },
  cl: { name: '中国残疾人联合会', uscc: uscc('13100000000012873') },
  rs: { name: '人力资源和社会保障部', uscc: uscc('11100000000015193') },
  jy: { name: '教育部', uscc: uscc('11100000000012206') },
  tyjr: { name: '退役军人事务部', uscc: uscc('11100000000020463') },
} as const;

const f = (name: string, label: string, type: FieldDefinition['type'], required: boolean, disclosable: boolean, enumValues?: string[]): FieldDefinition =>
  ({ name, label, type, required, disclosable, ...(enumValues ? { enumValues } : {}) });
/** A text field declared to hold an identity number (`person`: its person is named by the license) or a number that never names one (`none`). */
const fi = (identifies: NonNullable<FieldDefinition['identifies']>, name: string, label: string, required: boolean, disclosable: boolean): FieldDefinition =>
  ({ ...f(name, label, 'string', required, disclosable), identifies });

interface TypeTemplate { key: string; agency: keyof typeof DEFINING_AGENCIES; seq: string; name: string; holderKind: HolderKind; dept: string; validity: ValidityRule; legalBasis: string; description: string; fields: FieldDefinition[] }

export const LICENSE_TYPE_TEMPLATES: readonly TypeTemplate[] = [
  {
    key: 'sfz', agency: 'ga', seq: '001', name: '居民身份证', holderKind: '111', dept: 'ga', validity: { kind: 'years', years: 20 }, legalBasis: '《中华人民共和国居民身份证法》第二条',
    description: '居民身份证电子证照(与实体证件信息一致)',
    fields: [f('gender', '性别', 'enum', true, true, ['男', '女']), f('ethnicity', '民族', 'string', true, true), f('birthDate', '出生日期', 'date', true, true),
      f('address', '住址', 'string', true, true), f('issuingAuthority', '签发机关', 'string', true, false)],
  },
  {
    key: 'hkb', agency: 'ga', seq: '002', name: '居民户口簿', holderKind: '111', dept: 'ga', validity: { kind: 'none' }, legalBasis: '《中华人民共和国户口登记条例》第四条',
    description: '居民户口簿(本人页)电子证照',
    fields: [fi('none', 'householdNumber', '户号', true, true), f('householderName', '户主姓名', 'string', true, true),
      f('relationToHouseholder', '与户主关系', 'enum', true, true, ['户主', '配偶', '子', '女', '父母', '兄弟姐妹', '其他']),
      f('householdType', '户别', 'enum', true, true, ['家庭户', '集体户']), f('address', '住址', 'string', true, true), f('registrationAuthority', '登记机关', 'string', true, false)],
  },
  {
    key: 'jhz', agency: 'mz', seq: '001', name: '结婚证', holderKind: '111', dept: 'mz', validity: { kind: 'none' }, legalBasis: '《婚姻登记条例》第七条',
    description: '结婚证电子证照,男女双方各持一份',
    fields: [f('registrationDate', '登记日期', 'date', true, true), f('spouseName', '配偶姓名', 'string', true, true), fi('person', 'spouseIdNumber', '配偶身份证件号', true, true),
      f('registrationAuthority', '登记机关', 'string', true, false)],
  },
  {
    key: 'csyx', agency: 'wj', seq: '001', name: '出生医学证明', holderKind: '111', dept: 'wj', validity: { kind: 'none' }, legalBasis: '《中华人民共和国母婴保健法》第二十三条',
    description: '持证主体为新生儿(出生一件事办理时分配公民身份号码)',
    fields: [f('gender', '性别', 'enum', true, true, ['男', '女']), f('birthDate', '出生日期', 'date', true, true), f('birthPlace', '出生地点', 'string', true, true),
      f('motherName', '母亲姓名', 'string', true, true), f('fatherName', '父亲姓名', 'string', false, true), f('issuingInstitution', '签发机构', 'string', true, false)],
  },
  {
    key: 'yyzz', agency: 'sj', seq: '001', name: '营业执照', holderKind: '001', dept: 'sj', validity: { kind: 'none' }, legalBasis: '《中华人民共和国市场主体登记管理条例》第二十一条',
    description: '营业执照电子证照;登记事项依法公示,仅注册资本可选择披露',
    fields: [f('enterpriseType', '类型', 'string', true, false), f('legalRepresentative', '法定代表人', 'string', true, false), f('registeredCapital', '注册资本', 'string', true, true),
      f('establishedDate', '成立日期', 'date', true, false), f('address', '住所', 'string', true, false), f('businessScope', '经营范围', 'string', true, false)],
  },
  {
    key: 'bdcqz', agency: 'zr', seq: '001', name: '不动产权证书', holderKind: '111', dept: 'bdc', validity: { kind: 'none' }, legalBasis: '《不动产登记暂行条例》第二十一条',
    description: '不动产权证书电子证照',
    fields: [fi('none', 'propertyUnitNumber', '不动产单元号', true, true), f('location', '坐落', 'string', true, true),
      f('rightType', '权利类型', 'enum', true, true, ['国有建设用地使用权/房屋所有权', '宅基地使用权/房屋所有权', '国有建设用地使用权']),
      f('use', '用途', 'enum', true, true, ['住宅', '商业', '办公', '工业', '其他']), f('area', '面积(平方米)', 'number', true, true),
      f('coOwnership', '共有情况', 'enum', true, true, ['单独所有', '共同共有', '按份共有']), f('registrationAuthority', '登记机构', 'string', true, false)],
  },
  {
    key: 'cjrz', agency: 'cl', seq: '001', name: '残疾人证', holderKind: '111', dept: 'cl', validity: { kind: 'years', years: 10 }, legalBasis: '《中华人民共和国残疾人保障法》第二条',
    description: '第三代残疾人证电子证照',
    fields: [f('disabilityCategory', '残疾类别', 'enum', true, true, ['视力', '听力', '言语', '肢体', '智力', '精神', '多重']),
      f('disabilityLevel', '残疾等级', 'enum', true, true, ['一级', '二级', '三级', '四级']), f('guardianName', '监护人姓名', 'string', false, true), f('issuingAuthority', '发证机关', 'string', true, false)],
  },
  {
    key: 'sbk', agency: 'rs', seq: '001', name: '社会保障卡', holderKind: '111', dept: 'rs', validity: { kind: 'years', years: 10 }, legalBasis: '《中华人民共和国社会保险法》第五十八条',
    description: '社会保障卡(电子社保卡)',
    fields: [fi('none', 'cardNumber', '社会保障卡卡号', true, true), f('bank', '开户银行', 'string', false, true), f('issuingRegion', '发卡地', 'string', true, false)],
  },
  {
    key: 'xlzs', agency: 'jy', seq: '001', name: '学历证书', holderKind: '111', dept: 'jy', validity: { kind: 'none' }, legalBasis: '《中华人民共和国教育法》第二十三条',
    description: '学历证书电子证照',
    fields: [f('school', '学校名称', 'string', true, true), f('major', '专业', 'string', false, true),
      f('educationLevel', '学历层次', 'enum', true, true, ['高中', '中专', '大专', '本科', '硕士研究生', '博士研究生']), f('graduationDate', '毕业日期', 'date', true, true),
      fi('none', 'certificateNumber', '证书编号', true, false)],
  },
  {
    key: 'ydz', agency: 'tyjr', seq: '001', name: '退役军人优待证', holderKind: '111', dept: 'tyjr', validity: { kind: 'years', years: 10 }, legalBasis: '《中华人民共和国退役军人保障法》第六十二条',
    description: '退役军人和其他优抚对象优待证',
    fields: [f('category', '优待对象类别', 'enum', true, true, ['退役军人', '其他优抚对象']), f('enlistmentDate', '入伍时间', 'date', false, true),
      f('dischargeDate', '退役时间', 'date', false, true), f('issuingAuthority', '发证机关', 'string', true, false)],
  },
];

export function licenseTypeCode(key: string): string {
  const t = LICENSE_TYPE_TEMPLATES.find((x) => x.key === key);
  if (!t) throw new Error(`no license type template ${key}`);
  return DEFINING_AGENCIES[t.agency].uscc + t.seq;
}

/** Catalog proof item (template key) → license type (template key). */
export const PROOF_ITEM_LINKS: Readonly<Record<string, string>> = {
  hjzm: 'hkb', sfxx: 'sfz', csyx: 'csyx', bdcqs: 'bdcqz', yyzz: 'yyzz', cjrz: 'cjrz', tyjr: 'ydz',
};
/** Left unlinked on purpose, so the association rate has a gap to show: 池州 has not linked 户籍证明 yet. */
export const UNLINKED_DEMO = ['ZM-CZ-HJZM'];

function staff(dept: string, roles: Actor['roles'] = ['issuer']): Actor {
  return { id: 'system', username: 'system', displayName: '系统初始化', kind: 'staff', roles, departmentId: dept, departmentName: null, regionCode: null };
}

/** Seeds types, links, and demo licenses (citizen: 身份证, 户口簿, 社保卡, 学历证书; enterprise: 营业执照; agent: 身份证). */
export async function seedDemoLicenses(deps: Deps): Promise<void> {
  const admin = staff('ah-sjzy', ['data_admin']);
  for (const t of LICENSE_TYPE_TEMPLATES) {
    const def: LicenseTypeDefinition = {
      code: licenseTypeCode(t.key), name: t.name, definingAgencyName: DEFINING_AGENCIES[t.agency].name, holderKind: t.holderKind, fields: t.fields,
      issuingDepartmentIds: DEMO_CITIES.map((c) => departmentId(c.key, t.dept)), validity: t.validity, legalBasis: t.legalBasis, description: t.description,
    };
    await registerLicenseType(def, admin, deps);
    const proofKeys = Object.entries(PROOF_ITEM_LINKS).filter(([, typeKey]) => typeKey === t.key).map(([proofKey]) => proofKey);
    const ids = DEMO_CITIES.flatMap((c) => proofKeys.map((k) => proofItemId(c.key, k))).filter((id) => !UNLINKED_DEMO.includes(id));
    const existing = await deps.db.selectFrom('proof_items').select('id').where('id', 'in', ids.length > 0 ? ids : ['-']).execute();
    if (existing.length > 0) await linkProofItems(def.code, existing.map((e) => e.id), admin, deps);
  }

  const citizen = DEMO_ACCOUNTS.find((a) => a.username === 'citizen')!;
  const agent = DEMO_ACCOUNTS.find((a) => a.username === 'agent')!;
  const enterprise = DEMO_ACCOUNTS.find((a) => a.username === 'enterprise')!;
  const ga = staff(departmentId('mas', 'ga'));
  const person = { code: citizen.idNumber!, name: citizen.displayName };
  await issueLicense({ typeCode: licenseTypeCode('sfz'), holder: person, validFrom: '2016-05-12', validUntil: '2036-05-12',
    fields: { gender: '女', ethnicity: '汉', birthDate: '1990-03-07', address: '安徽省马鞍山市花山区湖东中路 88 号', issuingAuthority: '马鞍山市公安局花山分局' } }, ga, deps);
  const hkb = await issueLicense({ typeCode: licenseTypeCode('hkb'), holder: person, validFrom: '2012-09-01',
    fields: { householdNumber: '340503012345', householderName: '张建国', relationToHouseholder: '女', householdType: '家庭户', address: '安徽省马鞍山市花山区湖东中路 88 号', registrationAuthority: '马鞍山市公安局花山分局湖东派出所' } }, ga, deps);
  await issueLicense({ typeCode: licenseTypeCode('sbk'), holder: person, validFrom: '2021-03-15',
    fields: { cardNumber: 'A34050312', bank: '中国工商银行', issuingRegion: '马鞍山市' } }, staff(departmentId('mas', 'rs')), deps);
  await issueLicense({ typeCode: licenseTypeCode('xlzs'), holder: person, validFrom: '2012-06-30', suite: 'Ed25519',
    fields: { school: '安徽工业大学', major: '材料科学与工程', educationLevel: '本科', graduationDate: '2012-06-30', certificateNumber: '103601201205001234' } }, staff(departmentId('mas', 'jy')), deps);
  await issueLicense({ typeCode: licenseTypeCode('sfz'), holder: { code: agent.idNumber!, name: agent.displayName }, validFrom: '2015-08-20', validUntil: '2035-08-20',
    fields: { gender: '男', ethnicity: '汉', birthDate: '1985-06-12', address: '安徽省马鞍山市雨山区雨山路 12 号', issuingAuthority: '马鞍山市公安局雨山分局' } }, ga, deps);
  await issueLicense({ typeCode: licenseTypeCode('yyzz'), holder: { code: enterprise.uscc!, name: enterprise.displayName }, validFrom: '2019-04-18',
    fields: { enterpriseType: '有限责任公司(自然人投资或控股)', legalRepresentative: '孙立新', registeredCapital: '5000万元人民币', establishedDate: '2019-04-18',
      address: '安徽省马鞍山市雨山区经济开发区红旗南路 1 号', businessScope: '新材料技术研发;金属材料销售;货物进出口' } }, staff(departmentId('mas', 'sj')), deps);

  // The citizen lets 马鞍山市公安局 use the 户口簿 for 户口迁移登记, and its application system has read it once.
  const citizenRow = await deps.db.selectFrom('accounts').select(['id', 'display_name']).where('username', '=', 'citizen').executeTakeFirstOrThrow();
  const holder: Actor = { id: citizenRow.id, username: 'citizen', displayName: citizenRow.display_name, kind: 'person', roles: ['applicant'], departmentId: null, departmentName: null, regionCode: null };
  const until = new Date(deps.now().getTime() + 180 * 86_400_000).toISOString();
  await grantLicenseUse(hkb.id, { departmentId: departmentId('mas', 'ga'), serviceItemCode: '340500-HKQY', validUntil: until }, holder, deps);
  await readLicenseUnderGrant({ licenseId: hkb.id, departmentId: departmentId('mas', 'ga'), serviceItemCode: '340500-HKQY', purpose: '户口迁移登记:核验户籍信息' }, departmentServiceActor(departmentId('mas', 'ga'), '马鞍山市公安局'), deps);
}
