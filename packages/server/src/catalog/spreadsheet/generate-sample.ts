/**
 * Deterministic, realistic proof-item list rows for tests and the import benchmark.
 * The proof items follow the common list (shared/data/common-proof-items.csv, copied here
 * because that folder is not deployed); regions are Anhui's (GB/T 2260). Legal bases name
 * real laws and regulations but the article numbers are illustrative, not a legal reference.
 * Every value is already in cleaned form, so a write → parse round trip returns it unchanged.
 */
import type { ExemptionMethod, SheetRow } from './types.ts';
import { prng } from '@mianzheng/provider/prng';

type DeptKind =
  | '公安' | '民政' | '卫健' | '人社' | '税务' | '不动产登记' | '住建' | '公积金中心' | '教育'
  | '市场监管' | '残联' | '医保' | '退役军人事务';

interface CommonProof {
  name: string;
  issuers: readonly DeptKind[];
  methods: readonly ExemptionMethod[];
  bases: readonly string[];
  /** Service items that ask for it, with the kind of department that accepts them. */
  services: ReadonlyArray<readonly [string, DeptKind]>;
}

/** From common-proof-items.csv (name, issuing department, typical methods) plus bases and services. */
const PROOFS: readonly CommonProof[] = [
  { name: '无犯罪记录证明', issuers: ['公安'], methods: ['dept_verification', 'commitment'],
    bases: ['《公安机关办理犯罪记录查询工作规定》', '《保安服务管理条例》'],
    services: [['教师资格认定', '教育'], ['保安员证核发', '公安'], ['出租汽车驾驶员从业资格证核发', '住建'], ['养老机构备案', '民政']] },
  { name: '户籍证明', issuers: ['公安'], methods: ['e_license'],
    bases: ['《中华人民共和国户口登记条例》'],
    services: [['城乡居民基本养老保险参保登记', '人社'], ['最低生活保障审核确认', '民政'], ['义务教育入学登记', '教育']] },
  { name: '居民身份信息证明', issuers: ['公安'], methods: ['e_license'],
    bases: ['《中华人民共和国居民身份证法》'],
    services: [['社会保障卡申领', '人社'], ['住房公积金个人账户设立', '公积金中心'], ['个体工商户登记', '市场监管']] },
  { name: '亲属关系证明', issuers: ['公安', '民政'], methods: ['data_sharing'],
    bases: ['《中华人民共和国民法典》', '《中华人民共和国户口登记条例》'],
    services: [['遗属待遇申领', '人社'], ['住房公积金提取', '公积金中心'], ['不动产继承登记', '不动产登记']] },
  { name: '户口登记项目变更申请证明', issuers: ['公安'], methods: ['cancelled'],
    bases: ['《中华人民共和国户口登记条例》'],
    services: [['户口登记项目变更更正', '公安']] },
  { name: '婚姻状况证明', issuers: ['民政'], methods: ['data_sharing', 'commitment'],
    bases: ['《婚姻登记条例》', '《中华人民共和国民法典》'],
    services: [['公共租赁住房资格审核', '住建'], ['住房公积金贷款', '公积金中心'], ['生育登记', '卫健']] },
  { name: '出生医学证明', issuers: ['卫健'], methods: ['e_license'],
    bases: ['《中华人民共和国母婴保健法》'],
    services: [['出生登记', '公安'], ['城乡居民医疗保险参保登记', '医保'], ['社会保障卡申领', '人社']] },
  { name: '死亡证明', issuers: ['卫健', '公安'], methods: ['data_sharing'],
    bases: ['《中华人民共和国户口登记条例》'],
    services: [['死亡注销户口', '公安'], ['丧葬补助金申领', '人社'], ['城乡居民医疗保险参保终止', '医保']] },
  { name: '健在证明', issuers: ['人社'], methods: ['cancelled'],
    bases: ['《中华人民共和国社会保险法》'],
    services: [['养老保险待遇资格认证', '人社']] },
  { name: '社保参保缴费证明', issuers: ['人社'], methods: ['online_issue', 'data_sharing'],
    bases: ['《中华人民共和国社会保险法》'],
    services: [['购房资格审核', '住建'], ['积分入学申请', '教育'], ['居住证申领', '公安']] },
  { name: '居民就业状况证明', issuers: ['人社'], methods: ['data_sharing'],
    bases: ['《中华人民共和国就业促进法》'],
    services: [['失业保险金申领', '人社'], ['就业困难人员认定', '人社'], ['最低生活保障审核确认', '民政']] },
  { name: '个人完税证明', issuers: ['税务'], methods: ['online_issue'],
    bases: ['《中华人民共和国税收征收管理法》', '《税收票证管理办法》'],
    services: [['购房资格审核', '住建'], ['人才引进落户', '公安']] },
  { name: '企业无欠税证明', issuers: ['税务'], methods: ['dept_verification'],
    bases: ['《中华人民共和国税收征收管理法》'],
    services: [['政府采购供应商资格审查', '市场监管'], ['企业注销登记', '市场监管']] },
  { name: '不动产权属证明', issuers: ['不动产登记'], methods: ['e_license', 'data_sharing'],
    bases: ['《不动产登记暂行条例》', '《中华人民共和国民法典》'],
    services: [['住房公积金提取', '公积金中心'], ['企业住所登记', '市场监管'], ['义务教育入学登记', '教育']] },
  { name: '无房证明', issuers: ['住建', '不动产登记'], methods: ['dept_verification'],
    bases: ['《住房公积金管理条例》', '《公共租赁住房管理办法》'],
    services: [['公共租赁住房资格审核', '住建'], ['住房公积金提取', '公积金中心']] },
  { name: '住房公积金缴存证明', issuers: ['公积金中心'], methods: ['online_issue'],
    bases: ['《住房公积金管理条例》'],
    services: [['住房公积金贷款', '公积金中心'], ['人才住房补贴申领', '人社']] },
  { name: '学历证明', issuers: ['教育'], methods: ['data_sharing', 'commitment'],
    bases: ['《中华人民共和国高等教育法》', '《中华人民共和国教育法》'],
    services: [['教师资格认定', '教育'], ['职称评审', '人社'], ['人才引进落户', '公安']] },
  { name: '思想品德鉴定证明', issuers: ['教育'], methods: ['commitment'],
    bases: ['《教师资格条例》'],
    services: [['教师资格认定', '教育']] },
  { name: '营业执照', issuers: ['市场监管'], methods: ['e_license'],
    bases: ['《中华人民共和国市场主体登记管理条例》'],
    services: [['食品经营许可', '市场监管'], ['排水许可', '住建'], ['社会保险登记', '人社']] },
  { name: '企业住所场地证明', issuers: ['市场监管', '不动产登记'], methods: ['commitment'],
    bases: ['《中华人民共和国市场主体登记管理条例》'],
    services: [['企业设立登记', '市场监管'], ['个体工商户登记', '市场监管']] },
  { name: '残疾人证', issuers: ['残联'], methods: ['e_license'],
    bases: ['《中华人民共和国残疾人保障法》'],
    services: [['困难残疾人生活补贴申领', '民政'], ['重度残疾人护理补贴申领', '民政'], ['残疾人就业登记', '人社']] },
  { name: '疾病状况证明', issuers: ['卫健', '医保'], methods: ['dept_verification'],
    bases: ['《医疗机构管理条例》'],
    services: [['门诊慢特病待遇认定', '医保'], ['病退审批', '人社']] },
  { name: '最低生活保障证明', issuers: ['民政'], methods: ['data_sharing'],
    bases: ['《社会救助暂行办法》'],
    services: [['医疗救助申请', '医保'], ['学生资助申请', '教育'], ['公共租赁住房资格审核', '住建']] },
  { name: '婚育状况证明', issuers: ['卫健'], methods: ['cancelled', 'commitment'],
    bases: ['《中华人民共和国人口与计划生育法》'],
    services: [['生育登记', '卫健'], ['流动人口婚育证明核验', '卫健']] },
  { name: '证件遗失证明', issuers: ['公安'], methods: ['cancelled'],
    bases: ['《中华人民共和国居民身份证法》'],
    services: [['居民身份证补领', '公安'], ['营业执照补领', '市场监管']] },
  { name: '居民养犬证明', issuers: ['公安'], methods: ['data_sharing'],
    bases: ['《中华人民共和国动物防疫法》'],
    services: [['犬只登记', '公安'], ['犬只狂犬病免疫', '公安']] },
  { name: '未成年人监护关系证明', issuers: ['公安', '民政'], methods: ['commitment'],
    bases: ['《中华人民共和国民法典》', '《中华人民共和国未成年人保护法》'],
    services: [['未成年人居民身份证申领', '公安'], ['未成年人社会保障卡申领', '人社']] },
  { name: '退役军人身份证明', issuers: ['退役军人事务'], methods: ['e_license'],
    bases: ['《中华人民共和国退役军人保障法》'],
    services: [['退役军人优待证申领', '退役军人事务'], ['自主就业退役士兵一次性经济补助申领', '退役军人事务']] },
  { name: '水平能力测试成绩合格证', issuers: ['人社'], methods: ['commitment'],
    bases: ['《国家职业资格目录》'],
    services: [['专业技术人员职业资格认定', '人社']] },
];

const DEPT_SUFFIX: Record<DeptKind, string> = {
  公安: '公安局', 民政: '民政局', 卫健: '卫生健康委员会', 人社: '人力资源和社会保障局', 税务: '税务局',
  不动产登记: '不动产登记中心', 住建: '住房和城乡建设局', 公积金中心: '住房公积金管理中心', 教育: '教育局',
  市场监管: '市场监督管理局', 残联: '残疾人联合会', 医保: '医疗保障局', 退役军人事务: '退役军人事务局',
};

/** Departments that exist only at city level: a county's rows name the city's. */
const CITY_ONLY: ReadonlySet<DeptKind> = new Set(['公积金中心', '不动产登记']);

interface Region { code: string; name: string; city: string }

/** Anhui cities and some of their districts and counties (GB/T 2260). */
const REGIONS: readonly Region[] = (() => {
  const cities: Array<[string, string, Array<[string, string]>]> = [
    ['340100', '合肥市', [['340102', '瑶海区'], ['340103', '庐阳区'], ['340104', '蜀山区'], ['340111', '包河区'], ['340121', '长丰县'], ['340122', '肥东县'], ['340123', '肥西县'], ['340124', '庐江县'], ['340181', '巢湖市']]],
    ['340200', '芜湖市', [['340202', '镜湖区'], ['340207', '鸠江区'], ['340209', '弋江区'], ['340223', '南陵县'], ['340281', '无为市']]],
    ['340300', '蚌埠市', []],
    ['340400', '淮南市', []],
    ['340500', '马鞍山市', [['340503', '花山区'], ['340504', '雨山区'], ['340506', '博望区'], ['340521', '当涂县'], ['340522', '含山县'], ['340523', '和县']]],
    ['340600', '淮北市', []],
    ['340700', '铜陵市', [['340705', '铜官区'], ['340706', '义安区'], ['340711', '郊区'], ['340722', '枞阳县']]],
    ['340800', '安庆市', []],
    ['341000', '黄山市', [['341002', '屯溪区'], ['341003', '黄山区'], ['341004', '徽州区'], ['341021', '歙县'], ['341022', '休宁县'], ['341023', '黟县'], ['341024', '祁门县']]],
    ['341100', '滁州市', []],
    ['341200', '阜阳市', []],
    ['341300', '宿州市', []],
    ['341500', '六安市', []],
    ['341600', '亳州市', []],
    ['341700', '池州市', [['341702', '贵池区'], ['341721', '东至县'], ['341722', '石台县'], ['341723', '青阳县']]],
    ['341800', '宣城市', []],
  ];
  const out: Region[] = [];
  for (const [code, name, counties] of cities) {
    out.push({ code, name, city: name });
    for (const [cc, cn] of counties) out.push({ code: cc, name: cn, city: name });
  }
  return out;
})();

/** Purposes that tell apart rows of one proof from one department once every plain pair is used. */
const PURPOSES = [
  '办理入学用', '办理落户用', '办理社保用', '办理公积金用', '办理婚姻登记用', '办理不动产登记用', '办理出入境用',
  '办理从业资格用', '办理救助用', '办理就业登记用', '办理医保报销用', '办理企业开办用', '办理招投标用',
  '办理优抚用', '办理抚恤用', '办理继承用', '办理租房用', '办理职称用', '办理补贴用', '办理证照补领用',
];

const ARTICLES = ['第三条', '第四条', '第六条', '第八条', '第十条', '第十二条', '第十五条', '第十七条', '第二十条',
  '第二十一条', '第二十三条', '第二十七条', '第三十条', '第三十二条', '第三十五条', '第四十六条'];

const NOTES = ['2024年动态调整新增', '全市通办', '可通过“皖事通”办理', '由窗口人员发起核验', '告知承诺书全市统一文本'];

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

function department(kind: DeptKind, region: Region): string {
  if (kind === '税务') return `国家税务总局${region.name}税务局`;
  return `${CITY_ONLY.has(kind) ? region.city : region.name}${DEPT_SUFFIX[kind]}`;
}

/**
 * n rows, the same for the same (n, seed). Name + issuing department (+ region) is unique,
 * so a generated file has no duplicate errors; a retained row always has a legal basis.
 */
export function generateCatalogRows(n: number, seed: number): Omit<SheetRow, 'row'>[] {
  const rand = prng(seed);
  // Every (proof, issuer kind, region) once, in a seeded order.
  const pairs: Array<[CommonProof, DeptKind, Region]> = [];
  for (const p of PROOFS) {
    for (const kind of p.issuers) {
      for (const region of REGIONS) {
        if (CITY_ONLY.has(kind) && region.code !== `${region.code.slice(0, 4)}00`) continue;
        pairs.push([p, kind, region]);
      }
    }
  }
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j] as [CommonProof, DeptKind, Region], pairs[i] as [CommonProof, DeptKind, Region]];
  }

  const rows: Omit<SheetRow, 'row'>[] = [];
  for (let i = 0; i < n; i++) {
    const [proof, kind, region] = pairs[i % pairs.length] as [CommonProof, DeptKind, Region];
    const round = Math.floor(i / pairs.length);
    const purpose = round === 0 ? '' : round <= PURPOSES.length ? PURPOSES[round - 1] : `第${round}类用途`;
    const name = purpose === '' ? proof.name : `${proof.name}（${purpose}）`;

    // Mostly the typical methods; some lists keep a proof (retained) or pick one of two.
    let methods: ExemptionMethod[];
    const r = rand();
    if (r < 0.06) methods = ['retained'];
    else if (r < 0.2 && proof.methods.length > 1) methods = [pick(rand, proof.methods)];
    else methods = [...proof.methods];

    const basisCount = methods.includes('retained') ? 1 + Math.floor(rand() * proof.bases.length) : rand() < 0.1 ? 0 : 1 + Math.floor(rand() * proof.bases.length);
    const legalBasis = proof.bases.slice(0, basisCount).map((b) => `${b}${pick(rand, ARTICLES)}`).join('\n');

    const serviceCount = 1 + Math.floor(rand() * proof.services.length);
    const start = Math.floor(rand() * proof.services.length);
    const services: Array<readonly [string, DeptKind]> = [];
    for (let k = 0; k < serviceCount; k++) services.push(proof.services[(start + k) % proof.services.length] as readonly [string, DeptKind]);

    const row: Omit<SheetRow, 'row'> = {
      seq: String(i + 1),
      name,
      issuingDepartment: department(kind, region),
      legalBasis,
      methods,
      serviceItems: services.map(([s]) => s),
      region: region.code,
      acceptingDepartment: department((services[0] as readonly [string, DeptKind])[1], region),
      code: `${region.code}-ZM-${String(i + 1).padStart(5, '0')}`,
    };
    if (rand() < 0.15) row.notes = pick(rand, NOTES);
    rows.push(row);
  }
  return rows;
}
