/**
 * Synthetic department records for the sample nodes: people of 马鞍山市 with valid
 * identity numbers (GB 11643), enterprises with valid USCCs (GB 32100), and what each
 * department knows about them. Deterministic for a seed. The demo accounts' subjects are
 * included with fixed facts, so a demo application finds real answers.
 */
import { prng } from './prng.ts';
import { identityNumberCheckChar, usccCheckChar } from '@mianzheng/crypto';

export interface DemoPerson { idNumber: string; name: string; profile?: 'unmarried-employee' | 'married-homeowner' }
export interface DemoEnterprise { uscc: string; name: string }

export interface Person {
  idNumber: string; name: string; sex: '男' | '女'; birthDate: string; region: string; address: string; relation: string;
  maritalStatus: '未婚' | '已婚' | '离婚' | '丧偶'; maritalRegisteredOn: string | null; spouseIdNumber: string | null;
  education: { degree: string; school: string; major: string; gradYear: number; diplomaNo: string } | null;
  employer: string | null; contributionMonths: number; properties: Property[]; taxMonths: number; updatedAt: string;
}
export interface Property { certificateNo: string; location: string; area: number; usage: string; registeredOn: string }
export interface Enterprise { uscc: string; name: string; arrears: number; status: string; updatedAt: string }
export interface Birth { certificateNo: string; motherIdNumber: string; fatherIdNumber: string | null; childName: string; childSex: '男' | '女'; birthDate: string; birthPlace: string; issuedAt: string }
export interface Contribution { idNumber: string; month: string; insuranceType: string; base: number; employer: string; paidAt: string }
export interface TaxPayment { idNumber: string; period: string; taxType: string; paid: number }

export interface SyntheticWorld { people: Person[]; enterprises: Enterprise[]; births: Birth[]; contributions: Contribution[]; taxPayments: TaxPayment[]; generatedAt: string }

const REGIONS = [
  { code: '340503', name: '花山区', streets: ['湖东中路', '解放路', '佳山路', '红旗中路'] },
  { code: '340504', name: '雨山区', streets: ['雨山路', '湖西南路', '采石路', '九华西路'] },
  { code: '340506', name: '博望区', streets: ['博望大道', '丹阳路'] },
  { code: '340521', name: '当涂县', streets: ['姑孰路', '青山路'] },
  { code: '340522', name: '含山县', streets: ['环峰路', '褒禅路'] },
  { code: '340523', name: '和县', streets: ['历阳路', '乌江路'] },
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文', '华', '玉兰', '晨', '欣怡', '子涵', '浩然', '宇轩', '梓萱', '一诺', '思远', '佳怡', '志强', '海燕', '雪梅', '国庆', '春生'];
const SCHOOLS: ReadonlyArray<readonly [string, string]> = [['安徽工业大学', '冶金工程'], ['安徽工业大学', '计算机科学与技术'], ['安徽大学', '法学'], ['合肥工业大学', '土木工程'], ['安徽师范大学', '汉语言文学'], ['马鞍山职业技术学院', '机电一体化'], ['中国科学技术大学', '物理学'], ['安徽医科大学', '临床医学']];
const EMPLOYERS = ['马钢(集团)控股有限公司', '马鞍山市皖江新材料有限公司', '马鞍山农村商业银行股份有限公司', '安徽工业大学', '马鞍山市人民医院', '马鞍山港口(集团)有限责任公司'];
const COMPANY_WORDS = ['皖江', '江东', '采石', '濮塘', '雨山', '慈湖', '博望', '含山', '当涂', '和州'];
const COMPANY_KINDS = ['新材料', '机械制造', '物流', '商贸', '建筑工程', '科技', '食品', '环保'];
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

export function validIdNumber(region: string, birth: string, seq: number): string {
  const first17 = `${region}${birth.replaceAll('-', '')}${pad(seq, 3)}`;
  return first17 + identityNumberCheckChar(first17);
}

/** The last `n` months up to the month of `now`, in China time (as the nodes' windows count them, windowStartMonth). */
function monthsBack(now: Date, n: number): string[] {
  const out: string[] = [];
  const beijing = new Date(now.getTime() + 8 * 3600_000);
  for (let i = 1; i <= n; i++) {
    const d = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - i + 1, 1));
    out.push(`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`);
  }
  return out;
}

/** A synthetic city: `count` people and `count / 5` enterprises besides the demo subjects. */
export function generateWorld(options: { seed?: number; count?: number; now?: Date; demoPeople?: DemoPerson[]; demoEnterprises?: DemoEnterprise[] } = {}): SyntheticWorld {
  const rand = prng(options.seed ?? 20260301);
  const now = options.now ?? new Date();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const count = options.count ?? 300;
  const stamp = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
  const people: Person[] = [];
  const used = new Set<string>();

  function person(idNumber: string, name: string, over: Partial<Person> = {}): Person {
    const region = REGIONS.find((r) => r.code === idNumber.slice(0, 6)) ?? pick(REGIONS);
    const sex: Person['sex'] = Number(idNumber[16]) % 2 === 1 ? '男' : '女';
    const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
    const age = now.getUTCFullYear() - Number(idNumber.slice(6, 10));
    const marital: Person['maritalStatus'] = age < 22 ? '未婚' : pick(['未婚', '已婚', '已婚', '已婚', '离婚', '丧偶'] as const);
    const [school, major] = pick(SCHOOLS);
    const gradYear = Number(idNumber.slice(6, 10)) + 22;
    const educated = age >= 23 && rand() < 0.7;
    const employed = age >= 20 && age < 62 && rand() < 0.8;
    const properties: Property[] = [];
    const nProps = age >= 25 ? (rand() < 0.55 ? 1 : rand() < 0.2 ? 2 : 0) : 0;
    for (let i = 0; i < nProps; i++) properties.push(property(region));
    return {
      idNumber, name, sex, birthDate, region: region.code, address: `安徽省马鞍山市${region.name}${pick(region.streets)}${int(1, 399)}号${int(1, 30)}栋${int(101, 2602)}室`,
      relation: pick(['户主', '配偶', '子', '女', '户主']), maritalStatus: marital,
      maritalRegisteredOn: marital === '未婚' ? null : isoDate(Math.min(now.getUTCFullYear() - 1, Number(idNumber.slice(6, 10)) + int(22, 35)), int(1, 12), int(1, 28)),
      spouseIdNumber: null,
      education: educated ? { degree: pick(['本科', '本科', '硕士研究生', '大专', '博士研究生']), school, major, gradYear, diplomaNo: `10${int(100, 999)}1${gradYear}0${int(100000, 999999)}` } : null,
      employer: employed ? pick(EMPLOYERS) : null, contributionMonths: employed ? int(6, 60) : 0, properties, taxMonths: employed ? int(3, 24) : 0,
      updatedAt: stamp(int(1, 400)), ...over,
    };
  }
  function property(region: (typeof REGIONS)[number], over: Partial<Property> = {}): Property {
    const year = int(2005, now.getUTCFullYear() - 1);
    return {
      certificateNo: `皖(${year})马鞍山市不动产权第${pad(int(1, 9_999_999), 7)}号`, location: `${region.name}${pick(region.streets)}${int(1, 399)}号${int(1, 30)}栋${int(101, 2602)}室`,
      area: Math.round((60 + rand() * 90) * 100) / 100, usage: '住宅', registeredOn: isoDate(year, int(1, 12), int(1, 28)), ...over,
    };
  }

  for (const d of options.demoPeople ?? []) {
    used.add(d.idNumber);
    const region = REGIONS.find((r) => r.code === d.idNumber.slice(0, 6)) ?? REGIONS[0]!;
    if (d.profile === 'married-homeowner') {
      people.push(person(d.idNumber, d.name, {
        maritalStatus: '已婚', maritalRegisteredOn: '2012-10-01', relation: '户主', employer: EMPLOYERS[0]!, contributionMonths: 48, taxMonths: 12,
        properties: [property(region, { location: `${region.name}雨山路88号3栋1201室`, area: 118.6, registeredOn: '2013-05-20' })],
        education: { degree: '大专', school: '马鞍山职业技术学院', major: '机电一体化', gradYear: 2006, diplomaNo: '1037512006000123' },
      }));
    } else {
      // the demo citizen: unmarried, employed, no property — a 结婚登记 or 公租房 application finds answers
      people.push(person(d.idNumber, d.name, {
        maritalStatus: '未婚', maritalRegisteredOn: null, relation: '户主', employer: EMPLOYERS[1]!, contributionMonths: 36, taxMonths: 12, properties: [],
        education: { degree: '本科', school: '安徽工业大学', major: '计算机科学与技术', gradYear: 2012, diplomaNo: '1036012012000456' },
        address: `安徽省马鞍山市${region.name}湖东中路168号5栋602室`, updatedAt: stamp(30),
      }));
    }
  }
  while (people.length < count + (options.demoPeople?.length ?? 0)) {
    const region = pick(REGIONS);
    const birth = isoDate(int(1950, 2004), int(1, 12), int(1, 28));
    const id = validIdNumber(region.code, birth, int(1, 999));
    if (used.has(id)) continue;
    used.add(id);
    people.push(person(id, pick([...SURNAMES]) + pick(GIVEN)));
  }

  // Couples and births: married women get a spouse and (often) a child with a 出生医学证明.
  const births: Birth[] = [];
  const men = people.filter((p) => p.sex === '男' && p.maritalStatus === '已婚');
  const women = people.filter((p) => p.sex === '女' && p.maritalStatus === '已婚');
  women.forEach((w, i) => {
    const husband = men[i];
    if (husband) { w.spouseIdNumber = husband.idNumber; husband.spouseIdNumber = w.idNumber; }
    const motherYear = Number(w.birthDate.slice(0, 4));
    if (rand() < 0.7 && motherYear >= 1970) {
      const y = Math.min(now.getUTCFullYear() - 1, motherYear + int(24, 36));
      const sex = pick(['男', '女'] as const);
      births.push({
        certificateNo: `${String.fromCharCode(76 + int(0, 5))}34${pad(int(0, 9_999_999), 7)}`, motherIdNumber: w.idNumber, fatherIdNumber: w.spouseIdNumber,
        childName: (husband?.name.slice(0, 1) ?? w.name.slice(0, 1)) + pick(GIVEN), childSex: sex, birthDate: isoDate(y, int(1, 12), int(1, 28)),
        birthPlace: pick(['马鞍山市人民医院', '马鞍山市妇幼保健院', '马钢总医院', '当涂县人民医院']), issuedAt: stamp(int(10, 3000)),
      });
    }
  });

  const contributions: Contribution[] = [];
  const taxPayments: TaxPayment[] = [];
  for (const p of people) {
    for (const month of monthsBack(now, p.contributionMonths)) {
      for (const type of ['企业职工基本养老保险', '失业保险']) {
        contributions.push({ idNumber: p.idNumber, month, insuranceType: type, base: 4000 + (p.idNumber.charCodeAt(10) % 9) * 1000, employer: p.employer ?? '灵活就业', paidAt: `${month}-15T02:00:00.000Z` });
      }
    }
    for (const period of monthsBack(now, p.taxMonths)) taxPayments.push({ idNumber: p.idNumber, period, taxType: '个人所得税(工资薪金)', paid: Math.round(rand() * 120000) / 100 });
  }

  const enterprises: Enterprise[] = [];
  for (const e of options.demoEnterprises ?? []) enterprises.push({ uscc: e.uscc, name: e.name, arrears: 0, status: '正常', updatedAt: stamp(2) });
  const seen = new Set(enterprises.map((e) => e.uscc));
  while (enterprises.length < Math.ceil(count / 5) + (options.demoEnterprises?.length ?? 0)) {
    const region = pick(REGIONS);
    let body = '';
    for (let i = 0; i < 9; i++) body += USCC_ALPHABET[int(0, 29)];
    const first17 = `91${region.code}${body}`;
    const uscc = first17 + usccCheckChar(first17);
    if (seen.has(uscc)) continue;
    seen.add(uscc);
    const arrears = rand() < 0.12 ? Math.round(rand() * 5_000_000) / 100 : 0;
    enterprises.push({ uscc, name: `马鞍山市${pick(COMPANY_WORDS)}${pick(COMPANY_KINDS)}有限公司`, arrears, status: arrears > 0 ? '欠税' : rand() < 0.05 ? '非正常户' : '正常', updatedAt: stamp(int(1, 60)) });
  }
  return { people, enterprises, births, contributions, taxPayments, generatedAt: now.toISOString() };
}
