import type { Db } from '../db/database.ts';
import type { ApplicantKind } from '../catalog/domain/applicant-kinds.ts';
import { defaultCommitmentRule } from '../catalog/domain/proof-item.ts';
import { CITY_DEPARTMENTS, governmentUscc, readRegions } from './reference-data.ts';
import { PROOF_TEMPLATES, SERVICE_TEMPLATES } from './demo-catalog.ts';
import { prng } from '@mianzheng/provider/prng';

const SUBJECTS = [
  '企业经营状况', '房屋租赁', '子女抚养', '收养关系', '赡养关系', '独生子女', '计划生育', '家庭经济困难', '农村宅基地', '土地承包经营',
  '林权', '水电费缴纳', '供暖费缴纳', '物业费缴纳', '学籍', '在读', '毕业', '实习', '培训', '职称',
  '工龄', '劳动关系', '离职', '退休', '参军入伍', '伤残等级', '慢性病', '孕产期', '预防接种', '献血',
  '养老服务', '高龄', '孤儿', '困境儿童', '特困人员', '低收入家庭', '农业经营', '渔业捕捞', '施工许可', '消防验收',
  '环保达标', '安全生产', '食品安全', '道路运输', '船舶登记', '商标注册', '专利权属', '出口退税', '社会组织',
];
const ACTIONS = ['申请', '登记', '认定', '变更', '注销', '备案', '补办', '审核', '核发', '延续'];
const OBJECTS = [
  '城乡居民养老保险', '医疗救助', '临时救助', '住房补贴', '就业补贴', '创业担保贷款', '技能培训补贴', '高龄津贴', '独生子女奖励', '困难残疾人生活补贴',
  '重度残疾人护理补贴', '孤儿基本生活费', '特困人员供养', '廉租住房', '人才公寓', '落户', '居住证', '养犬登记', '机动车登记', '驾驶证换领',
  '出入境证件', '营业执照', '食品经营许可', '药品经营许可', '医疗机构执业许可', '建筑工程施工许可', '排污许可', '取水许可', '林木采伐许可', '渔业捕捞许可',
  '道路运输经营许可', '出租汽车经营许可', '烟草专卖零售许可', '危险化学品经营许可', '民办学校办学许可', '幼儿园办园许可', '社会团体登记', '民办非企业单位登记', '宗教活动场所登记', '殡葬设施审批',
  '公租房租赁补贴', '住房公积金贷款', '不动产抵押登记', '不动产预告登记', '契税减免', '个税专项附加扣除', '失业保险金', '工伤认定', '生育津贴', '医保关系转移',
];
/** 服务对象 of the generated items, by their object: licences to run a business or an organisation serve legal persons … */
const ENTERPRISE_OBJECTS = new Set([
  '营业执照', '食品经营许可', '药品经营许可', '医疗机构执业许可', '建筑工程施工许可', '排污许可', '道路运输经营许可', '出租汽车经营许可', '危险化学品经营许可',
  '民办学校办学许可', '幼儿园办园许可', '社会团体登记', '民办非企业单位登记', '宗教活动场所登记', '殡葬设施审批',
]);
/** … these both (an individual or a unit applies: 个体 licences, land and property, employer-filed benefits); every other object, persons. */
const BOTH_OBJECTS = new Set([
  '创业担保贷款', '就业补贴', '技能培训补贴', '取水许可', '林木采伐许可', '渔业捕捞许可', '烟草专卖零售许可', '机动车登记', '不动产抵押登记', '不动产预告登记',
  '契税减免', '工伤认定', '生育津贴',
]);
function objectApplicantKinds(object: string): ApplicantKind[] {
  if (ENTERPRISE_OBJECTS.has(object)) return ['enterprise'];
  return BOTH_OBJECTS.has(object) ? ['person', 'enterprise'] : ['person'];
}

/**
 * Builds a large catalog for benchmarks: every city of Anhui with its usual departments,
 * ≥ 2,000 proof items and ≥ 8,000 service items with 3–5 materials each, in the draft.
 */
export async function generateLargeCatalog(db: Db, seed = 2026): Promise<{ departments: number; proofItems: number; serviceItems: number }> {
  const rnd = prng(seed);
  const cities = readRegions().filter((r) => r.level === 'city');
  const departments = [];
  let serial = 5001;
  for (const city of cities) {
    for (const d of CITY_DEPARTMENTS) departments.push({ id: `g${city.code}-${d.key}`, uscc: governmentUscc(city.code, serial++), name: `${city.name}${d.suffix}`, region_code: city.code, category: d.category });
  }
  await db.insertInto('departments').values(departments).onConflict((oc) => oc.doNothing()).execute();
  const deptOf = (cityCode: string, key: string) => `g${cityCode}-${key}`;
  const deptKeys = CITY_DEPARTMENTS.filter((d) => !['sf', 'sjzy'].includes(d.key)).map((d) => d.key);

  let proofCount = 0;
  let serviceCount = 0;
  for (const city of cities) {
    const proofs: { id: string; name: string; issuing_department_id: string; region_code: string; legal_basis: string; methods: string[]; risk_category: string | null; commitment: string; notes: string }[] = [];
    for (const t of PROOF_TEMPLATES) {
      proofs.push({
        id: `L${city.code}-${t.key}`, name: t.name, issuing_department_id: deptOf(city.code, t.dept), region_code: city.code, legal_basis: t.legalBasis,
        methods: t.methods, risk_category: t.riskCategory ?? null, commitment: JSON.stringify(t.methods.includes('commitment') ? defaultCommitmentRule(t.name) : null), notes: t.notes ?? '',
      });
    }
    const methodSets: string[][] = [['data_sharing'], ['e_license'], ['dept_verification'], ['commitment'], ['cancelled'], ['online_issue'], ['data_sharing', 'commitment'], ['retained']];
    SUBJECTS.forEach((subject, i) => {
      for (const [j, suffix] of ['证明', '情况证明', '情况说明'].entries()) {
        const methods = methodSets[Math.floor(rnd() * methodSets.length)]!;
        const name = `${subject}${suffix}`;
        proofs.push({
          id: `L${city.code}-S${i}-${j}`, name, issuing_department_id: deptOf(city.code, deptKeys[Math.floor(rnd() * deptKeys.length)]!), region_code: city.code,
          legal_basis: `《${city.name}${subject}管理办法》第${1 + Math.floor(rnd() * 40)}条`, methods, risk_category: null,
          commitment: JSON.stringify(methods.includes('commitment') ? defaultCommitmentRule(name) : null), notes: '',
        });
      }
    });
    for (let i = 0; i < proofs.length; i += 500) await db.insertInto('proof_items').values(proofs.slice(i, i + 500)).execute();
    proofCount += proofs.length;

    const services: { code: string; name: string; department_id: string; region_code: string; applicant_kinds: ApplicantKind[] }[] = [];
    for (const s of SERVICE_TEMPLATES) services.push({ code: `L${city.code}-${s.key}`, name: s.name, department_id: deptOf(city.code, s.dept), region_code: city.code, applicant_kinds: [...s.applicantKinds] });
    ACTIONS.forEach((action, ai) => OBJECTS.forEach((object, oi) => {
      services.push({ code: `L${city.code}-A${ai}O${oi}`, name: `${object}${action}`, department_id: deptOf(city.code, deptKeys[Math.floor(rnd() * deptKeys.length)]!), region_code: city.code, applicant_kinds: objectApplicantKinds(object) });
    }));
    for (let i = 0; i < services.length; i += 500) await db.insertInto('service_items').values(services.slice(i, i + 500)).execute();
    serviceCount += services.length;

    const materials = [];
    for (const s of services) {
      materials.push({ id: `${s.code}-M01`, service_item_code: s.code, position: 1, name: `${s.name}申请表`, proof_item_id: null, required: true });
      const n = 2 + Math.floor(rnd() * 3);
      const chosen = new Set<number>();
      while (chosen.size < n) chosen.add(Math.floor(rnd() * proofs.length));
      [...chosen].forEach((pi, k) => materials.push({ id: `${s.code}-M${String(k + 2).padStart(2, '0')}`, service_item_code: s.code, position: k + 2, name: proofs[pi]!.name, proof_item_id: proofs[pi]!.id, required: true }));
    }
    for (let i = 0; i < materials.length; i += 1000) await db.insertInto('service_item_materials').values(materials.slice(i, i + 1000)).execute();
  }
  return { departments: departments.length, proofItems: proofCount, serviceItems: serviceCount };
}
