/**
 * The data items of the sample nodes (and a starting point for real deployments): what
 * each department answers, with which parameters, disclosing which fields.
 */
import type { ItemDefinition } from './items.ts';

const idParam = (name = 'idNumber', label = '公民身份号码') => ({ name, type: 'identity_number' as const, label, required: true });

export const STANDARD_ITEMS = {
  /** 公安: 户籍信息 */
  householdRegistration: {
    code: 'household-registration', name: '户籍信息', nameEn: 'Household registration', kind: 'record', subjectParam: 'idNumber', subjectKind: 'person',
    params: [idParam()],
    answer: [
      { name: 'name', type: 'string', label: '姓名' },
      { name: 'registeredRegion', type: 'string', label: '户籍所在地行政区划代码' },
      { name: 'householdAddress', type: 'string', label: '户籍地址' },
      { name: 'relationToHead', type: 'string', label: '与户主关系' },
    ],
    description: '按公民身份号码查询户籍登记信息(户口簿首页及本人页的必要字段)',
  },
  /** 民政: 婚姻状况 — a question: married now, yes or no */
  marriageStatus: {
    code: 'marriage-status', name: '婚姻状况', nameEn: 'Marital status', kind: 'question', subjectParam: 'idNumber', subjectKind: 'person',
    params: [idParam()],
    answer: [{ name: 'married', type: 'boolean', label: '当前是否处于已婚状态' }],
    description: '只回答"当前是否已婚"及数据截至时间,不返回婚姻登记记录',
  },
  /** 人社: 社保缴费记录 for the last N months */
  socialInsurance: {
    code: 'social-insurance-contributions', name: '社保缴费记录', nameEn: 'Social insurance contributions', kind: 'record', many: true, subjectParam: 'idNumber', subjectKind: 'person',
    params: [idParam(), { name: 'months', type: 'integer', label: '查询最近月数', required: true, min: 1, max: 60, default: 12 }],
    answer: [
      { name: 'month', type: 'string', label: '缴费月份' },
      { name: 'insuranceType', type: 'string', label: '险种' },
      { name: 'base', type: 'number', label: '缴费基数(元)' },
      { name: 'employer', type: 'string', label: '参保单位' },
    ],
    description: '按公民身份号码和月数查询最近若干月的缴费记录',
  },
  /** 不动产登记: 不动产权属 */
  realEstateOwnership: {
    code: 'real-estate-ownership', name: '不动产权属', nameEn: 'Real estate ownership', kind: 'record', many: true, subjectParam: 'idNumber', subjectKind: 'person',
    params: [idParam()],
    answer: [
      { name: 'certificateNo', type: 'string', label: '不动产权证书号', identifies: 'none' },
      { name: 'location', type: 'string', label: '坐落' },
      { name: 'area', type: 'number', label: '建筑面积(㎡)' },
      { name: 'usage', type: 'string', label: '用途' },
      { name: 'registeredOn', type: 'date', label: '登记日期' },
    ],
    description: '按公民身份号码查询名下登记的不动产权属',
  },
  /** 不动产登记: 是否有房 — a question answering 无房证明 without listing properties */
  ownsProperty: {
    code: 'owns-property', name: '名下是否有房', nameEn: 'Owns residential property', kind: 'question', subjectParam: 'idNumber', subjectKind: 'person',
    params: [idParam()],
    answer: [{ name: 'ownsProperty', type: 'boolean', label: '名下是否登记有住宅' }],
    description: '只回答"名下是否登记有住宅",用于无房证明',
  },
  /** 税务: 企业纳税状态 */
  enterpriseTaxStatus: {
    code: 'enterprise-tax-status', name: '企业纳税状态', nameEn: 'Enterprise tax status', kind: 'question', subjectParam: 'uscc', subjectKind: 'enterprise',
    params: [{ name: 'uscc', type: 'uscc', label: '统一社会信用代码', required: true }],
    answer: [
      { name: 'noArrears', type: 'boolean', label: '是否无欠税' },
      { name: 'taxpayerStatus', type: 'string', label: '纳税人状态' },
    ],
    description: '按统一社会信用代码回答是否无欠税及纳税人状态',
  },
  /** 税务: 个人完税记录 */
  personalTaxPayments: {
    code: 'personal-tax-payments', name: '个人完税记录', nameEn: 'Personal tax payments', kind: 'record', many: true, subjectParam: 'idNumber', subjectKind: 'person',
    params: [idParam(), { name: 'months', type: 'integer', label: '查询最近月数', required: true, min: 1, max: 36, default: 12 }],
    answer: [
      { name: 'month', type: 'string', label: '所属期' },
      { name: 'taxType', type: 'string', label: '税种' },
      { name: 'amount', type: 'number', label: '实缴金额(元)' },
    ],
    description: '按公民身份号码查询最近若干月的个人完税记录',
  },
  /** 卫健: 出生医学证明信息, by the mother's identity number */
  birthCertificate: {
    code: 'birth-certificate', name: '出生医学证明信息', nameEn: 'Birth medical certificate', kind: 'record', many: true, subjectParam: 'motherIdNumber', subjectKind: 'person',
    params: [idParam('motherIdNumber', '母亲公民身份号码')],
    answer: [
      { name: 'certificateNo', type: 'string', label: '出生医学证明编号', identifies: 'none' },
      { name: 'childName', type: 'string', label: '新生儿姓名' },
      { name: 'childSex', type: 'string', label: '性别' },
      { name: 'birthDate', type: 'date', label: '出生日期' },
      { name: 'birthPlace', type: 'string', label: '出生地点' },
    ],
    description: '按母亲公民身份号码查询出生医学证明签发信息',
  },
  /** 教育: 学历信息 */
  education: {
    code: 'education-record', name: '学历信息', nameEn: 'Education record', kind: 'record', subjectParam: 'idNumber', subjectKind: 'person',
    params: [idParam()],
    answer: [
      { name: 'level', type: 'string', label: '最高学历' },
      { name: 'school', type: 'string', label: '毕业院校' },
      { name: 'major', type: 'string', label: '专业' },
      { name: 'graduationYear', type: 'integer', label: '毕业年份' },
      // 18 digits (school, year, level, sequence): some pass as an identity number, none is one
      { name: 'certificateNo', type: 'string', label: '毕业证书编号', identifies: 'none' },
    ],
    description: '按公民身份号码查询最高学历',
  },
} as const satisfies Record<string, ItemDefinition>;

export const STANDARD_ITEM_LIST: readonly ItemDefinition[] = Object.values(STANDARD_ITEMS) as readonly ItemDefinition[];
