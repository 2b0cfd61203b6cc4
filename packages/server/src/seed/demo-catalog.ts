import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ApplicantKind } from '../catalog/domain/applicant-kinds.ts';
import { defaultCommitmentRule, type CommitmentRule, type ExemptionMethod, type RiskCategory } from '../catalog/domain/proof-item.ts';
import { DEMO_CITIES, departmentId } from './reference-data.ts';

interface ProofTemplate {
  key: string;
  name: string;
  dept: string; // department key
  legalBasis: string;
  methods: ExemptionMethod[];
  riskCategory?: RiskCategory;
  notes?: string;
  commitment?: Partial<CommitmentRule>;
}

/** The common proof items (shared/data/common-proof-items.csv) with realistic legal bases. */
export const PROOF_TEMPLATES: readonly ProofTemplate[] = [
  { key: 'wfzjl', name: '无犯罪记录证明', dept: 'ga', legalBasis: '《公安机关办理犯罪记录查询工作规定》第二条', methods: ['dept_verification', 'commitment'], commitment: { conditions: '申请人本人无犯罪记录。', postCheck: { samplingRate: 0.2, withinDays: 90 } } },
  { key: 'hjzm', name: '户籍证明/户口簿', dept: 'ga', legalBasis: '《中华人民共和国户口登记条例》第四条', methods: ['e_license', 'data_sharing'] },
  { key: 'sfxx', name: '居民身份信息证明', dept: 'ga', legalBasis: '《中华人民共和国居民身份证法》第十四条', methods: ['e_license'], notes: '通过人脸核验或亮证核验身份' },
  { key: 'qsgx', name: '亲属关系证明', dept: 'ga', legalBasis: '《中华人民共和国户口登记条例》第十五条', methods: ['data_sharing', 'commitment'], commitment: { conditions: '申请人与相关人员存在所填报的亲属关系。' } },
  { key: 'hkbg', name: '户口登记项目变更申请证明', dept: 'ga', legalBasis: '', methods: ['cancelled'] },
  { key: 'hyzk', name: '婚姻状况证明', dept: 'mz', legalBasis: '《婚姻登记条例》第五条', methods: ['data_sharing', 'commitment'], commitment: { conditions: '申请人所填报的婚姻状况真实。' } },
  { key: 'csyx', name: '出生医学证明', dept: 'wj', legalBasis: '《中华人民共和国母婴保健法》第二十三条', methods: ['e_license', 'data_sharing'] },
  { key: 'swzm', name: '死亡证明', dept: 'wj', legalBasis: '《人口死亡信息登记管理规范(试行)》', methods: ['data_sharing', 'dept_verification'] },
  { key: 'jzzm', name: '健在证明', dept: 'rs', legalBasis: '', methods: ['cancelled'], notes: '以人脸识别认证代替' },
  { key: 'sbjf', name: '社保参保缴费证明', dept: 'rs', legalBasis: '《中华人民共和国社会保险法》第七十四条', methods: ['online_issue', 'data_sharing'] },
  { key: 'jyzk', name: '居民就业状况证明', dept: 'rs', legalBasis: '《就业服务与就业管理规定》第六十三条', methods: ['data_sharing'] },
  { key: 'grws', name: '个人完税证明', dept: 'sw', legalBasis: '《中华人民共和国税收征收管理法实施细则》第四十五条', methods: ['online_issue'] },
  { key: 'wqs', name: '企业无欠税证明', dept: 'sw', legalBasis: '《国家税务总局关于开具无欠税证明有关事项的公告》', methods: ['dept_verification'] },
  { key: 'bdcqs', name: '不动产权属证明', dept: 'bdc', legalBasis: '《不动产登记暂行条例》第二十七条', methods: ['e_license', 'data_sharing'] },
  { key: 'wfzm', name: '无房证明', dept: 'bdc', legalBasis: '《公共租赁住房管理办法》第七条', methods: ['dept_verification'] },
  { key: 'gjjjc', name: '住房公积金缴存证明', dept: 'gjj', legalBasis: '《住房公积金管理条例》第十四条', methods: ['online_issue'] },
  { key: 'xlzm', name: '学历证明', dept: 'jy', legalBasis: '《中华人民共和国教师法》第十一条', methods: ['data_sharing', 'commitment'], commitment: { conditions: '申请人具有所填报的学历。' } },
  { key: 'sxpd', name: '思想品德鉴定证明', dept: 'jy', legalBasis: '《教师资格条例实施办法》第十五条', methods: ['commitment'], commitment: { conditions: '申请人遵守宪法和法律,热爱教育事业,具有良好的思想品德。' } },
  { key: 'yyzz', name: '营业执照', dept: 'sj', legalBasis: '《中华人民共和国市场主体登记管理条例》第二十一条', methods: ['e_license'] },
  { key: 'zscd', name: '企业住所场地证明', dept: 'sj', legalBasis: '《中华人民共和国市场主体登记管理条例》第十一条', methods: ['commitment'], commitment: { conditions: '申请人对住所(经营场所)享有合法使用权,住所真实、安全。', postCheck: { samplingRate: 0.05, withinDays: 60 } } },
  { key: 'cjrz', name: '残疾人证', dept: 'cl', legalBasis: '《中华人民共和国残疾人保障法》第二条', methods: ['e_license'] },
  { key: 'jbzk', name: '疾病状况证明', dept: 'yb', legalBasis: '《医疗保障基金使用监督管理条例》第十八条', methods: ['dept_verification'], riskCategory: 'personal_health' },
  { key: 'dbzm', name: '最低生活保障证明', dept: 'mz', legalBasis: '《社会救助暂行办法》第十一条', methods: ['data_sharing', 'dept_verification'] },
  { key: 'hyzm', name: '婚育状况证明', dept: 'wj', legalBasis: '', methods: ['cancelled'] },
  { key: 'zjys', name: '证件遗失证明', dept: 'ga', legalBasis: '', methods: ['cancelled'], notes: '以申请人书面声明代替' },
  { key: 'yqzm', name: '居民养犬证明', dept: 'ga', legalBasis: '《马鞍山市养犬管理条例》第十条', methods: ['data_sharing'] },
  { key: 'jhgx', name: '未成年人监护关系证明', dept: 'ga', legalBasis: '《中华人民共和国民法典》第二十七条', methods: ['commitment'], commitment: { conditions: '申请人是该未成年人的法定监护人。' } },
  { key: 'tyjr', name: '退役军人身份证明', dept: 'tyjr', legalBasis: '《中华人民共和国退役军人保障法》第十五条', methods: ['e_license'] },
  { key: 'spnl', name: '水平能力测试成绩合格证', dept: 'rs', legalBasis: '《国家职业资格目录》', methods: ['commitment'], commitment: { conditions: '申请人已取得相应的水平能力测试合格成绩。' } },
  { key: 'jsz', name: '机动车驾驶证', dept: 'ga', legalBasis: '《中华人民共和国道路交通安全法》第十九条', methods: ['e_license'], riskCategory: 'public_security' },
  { key: 'hjbh', name: '户籍迁出证明', dept: 'ga', legalBasis: '《中华人民共和国户口登记条例》第十条', methods: ['data_sharing'] },
  { key: 'gzzm', name: '收入证明', dept: 'rs', legalBasis: '', methods: ['cancelled'], notes: '以个人所得税纳税记录代替' },
];

const PERSON: readonly ApplicantKind[] = ['person'];
const ENTERPRISE: readonly ApplicantKind[] = ['enterprise'];
const BOTH: readonly ApplicantKind[] = ['person', 'enterprise'];

/**
 * Service items of every city, each with an application form, the proofs it requires and its
 * 服务对象 as the province's service catalog lists it: personal matters (marriage, household
 * registration, social security, births …) serve natural persons; starting and running a business
 * (设立登记, 食品经营许可, 纳税信用复评) serve enterprises; a property transfer (不动产转移登记) and a dog's
 * registration (犬只登记, 单位养犬 included) serve both.
 */
export const SERVICE_TEMPLATES: readonly { key: string; name: string; dept: string; proofs: string[]; applicantKinds: readonly ApplicantKind[] }[] = [
  { key: 'hkqy', name: '户口迁移登记', dept: 'ga', proofs: ['hjzm', 'sfxx', 'qsgx', 'hkbg'], applicantKinds: PERSON },
  { key: 'sfzsl', name: '居民身份证申领', dept: 'ga', proofs: ['hjzm', 'zjys'], applicantKinds: PERSON },
  { key: 'jhdj', name: '结婚登记', dept: 'mz', proofs: ['sfxx', 'hjzm', 'hyzk'], applicantKinds: PERSON },
  { key: 'dbsq', name: '最低生活保障申请', dept: 'mz', proofs: ['sfxx', 'jyzk', 'bdcqs', 'sbjf'], applicantKinds: PERSON },
  { key: 'lsjz', name: '临时救助申请', dept: 'mz', proofs: ['sfxx', 'dbzm', 'jbzk'], applicantKinds: PERSON },
  { key: 'sydj', name: '失业登记', dept: 'rs', proofs: ['sfxx', 'jyzk', 'sbjf'], applicantKinds: PERSON },
  { key: 'txsq', name: '企业职工基本养老保险退休申请', dept: 'rs', proofs: ['sfxx', 'sbjf', 'jzzm', 'hjzm'], applicantKinds: PERSON },
  { key: 'sbk', name: '社会保障卡申领', dept: 'rs', proofs: ['sfxx', 'hjzm'], applicantKinds: PERSON },
  { key: 'csdj', name: '新生儿出生登记', dept: 'ga', proofs: ['csyx', 'hjzm', 'hyzk', 'hyzm'], applicantKinds: PERSON },
  { key: 'sydjx', name: '生育登记', dept: 'wj', proofs: ['sfxx', 'hyzk', 'hyzm'], applicantKinds: PERSON },
  { key: 'gzf', name: '公共租赁住房申请', dept: 'zj', proofs: ['sfxx', 'wfzm', 'bdcqs', 'gzzm', 'hjzm'], applicantKinds: PERSON },
  { key: 'gjjtq', name: '住房公积金提取', dept: 'gjj', proofs: ['gjjjc', 'bdcqs', 'hyzk'], applicantKinds: PERSON },
  { key: 'bdczy', name: '不动产转移登记', dept: 'bdc', proofs: ['bdcqs', 'hyzk', 'grws'], applicantKinds: BOTH },
  { key: 'qysl', name: '企业设立登记', dept: 'sj', proofs: ['zscd', 'sfxx'], applicantKinds: ENTERPRISE },
  { key: 'spjy', name: '食品经营许可', dept: 'sj', proofs: ['yyzz', 'zscd', 'jbzk'], applicantKinds: ENTERPRISE },
  { key: 'jszg', name: '教师资格认定', dept: 'jy', proofs: ['xlzm', 'sxpd', 'wfzjl', 'sfxx'], applicantKinds: PERSON },
  { key: 'rxdj', name: '义务教育入学登记', dept: 'jy', proofs: ['hjzm', 'bdcqs', 'jhgx'], applicantKinds: PERSON },
  { key: 'cjbt', name: '残疾人两项补贴申请', dept: 'cl', proofs: ['cjrz', 'dbzm', 'sfxx'], applicantKinds: PERSON },
  { key: 'yhz', name: '退役军人优待证申领', dept: 'tyjr', proofs: ['tyjr', 'sfxx', 'wfzjl'], applicantKinds: PERSON },
  { key: 'mtb', name: '门诊慢特病待遇认定', dept: 'yb', proofs: ['jbzk', 'sfxx'], applicantKinds: PERSON },
  { key: 'yqdj', name: '犬只登记', dept: 'ga', proofs: ['yqzm', 'sfxx', 'bdcqs'], applicantKinds: BOTH },
  { key: 'ysws', name: '企业纳税信用评价复评', dept: 'sw', proofs: ['wqs', 'yyzz'], applicantKinds: ENTERPRISE },
  { key: 'zyzg', name: '职业资格证书补发', dept: 'rs', proofs: ['spnl', 'sfxx', 'zjys'], applicantKinds: PERSON },
  { key: 'swdj', name: '死亡人员户口注销', dept: 'ga', proofs: ['swzm', 'hjzm', 'qsgx'], applicantKinds: PERSON },
];

/** Proof items that exist only in some cities' lists, so the lists differ by region. */
const CITY_PROOFS: Record<string, readonly string[]> = {
  mas: PROOF_TEMPLATES.map((p) => p.key),
  tl: PROOF_TEMPLATES.filter((p) => p.key !== 'yqzm').map((p) => p.key),
  cz: PROOF_TEMPLATES.filter((p) => !['yqzm', 'spnl', 'jsz'].includes(p.key)).map((p) => p.key),
  hs: PROOF_TEMPLATES.filter((p) => !['yqzm', 'zjys'].includes(p.key)).map((p) => p.key),
  hf: PROOF_TEMPLATES.filter((p) => p.key !== 'yqzm').map((p) => p.key),
};

export function proofItemId(cityKey: string, templateKey: string): string {
  return `ZM-${cityKey.toUpperCase()}-${templateKey.toUpperCase()}`;
}

/** Writes the demo draft catalog of five cities: ~150 proof items and ~120 service items. */
export async function seedDemoCatalog(db: Db): Promise<{ proofItems: number; serviceItems: number }> {
  let proofCount = 0;
  let serviceCount = 0;
  await db.transaction().execute(async (trx) => {
    for (const city of DEMO_CITIES) {
      const keys = new Set(CITY_PROOFS[city.key]);
      const proofs = PROOF_TEMPLATES.filter((p) => keys.has(p.key));
      await trx.insertInto('proof_items').values(proofs.map((p) => {
        const commitment = p.methods.includes('commitment') ? { ...defaultCommitmentRule(p.name), ...p.commitment } : null;
        return {
          id: proofItemId(city.key, p.key), name: p.name, issuing_department_id: departmentId(city.key, p.dept), region_code: city.code,
          legal_basis: p.legalBasis.replace('马鞍山市', city.name), methods: p.methods, risk_category: p.riskCategory ?? null,
          commitment: JSON.stringify(commitment), notes: p.notes ?? '',
        };
      })).execute();
      proofCount += proofs.length;
      for (const s of SERVICE_TEMPLATES) {
        const code = `${city.code}-${s.key.toUpperCase()}`;
        await trx.insertInto('service_items').values({ code, name: s.name, department_id: departmentId(city.key, s.dept), region_code: city.code, applicant_kinds: [...s.applicantKinds] }).execute();
        const required = s.proofs.filter((k) => keys.has(k));
        const materials = [
          { id: `${code}-M01`, service_item_code: code, position: 1, name: `${s.name}申请表`, proof_item_id: null, required: true },
          ...required.map((k, i) => ({
            id: `${code}-M${String(i + 2).padStart(2, '0')}`, service_item_code: code, position: i + 2,
            name: PROOF_TEMPLATES.find((p) => p.key === k)!.name, proof_item_id: proofItemId(city.key, k), required: true,
          })),
        ];
        await trx.insertInto('service_item_materials').values(materials).execute();
        serviceCount++;
      }
    }
    await sql`SELECT setval('proof_item_seq', 1000)`.execute(trx);
  });
  return { proofItems: proofCount, serviceItems: serviceCount };
}
