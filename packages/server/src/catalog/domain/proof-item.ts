import type { ErrorCode } from '../../shared/errors.ts';

export const METHODS = ['cancelled', 'data_sharing', 'e_license', 'dept_verification', 'commitment', 'online_issue', 'retained'] as const;
export type ExemptionMethod = (typeof METHODS)[number];

export const METHOD_LABELS: Record<ExemptionMethod, { zh: string; en: string }> = {
  cancelled: { zh: '直接取消', en: 'Cancelled' },
  data_sharing: { zh: '数据共享', en: 'Data sharing' },
  e_license: { zh: '电子证照', en: 'E-license' },
  dept_verification: { zh: '部门核验', en: 'Department verification' },
  commitment: { zh: '告知承诺', en: 'Commitment' },
  online_issue: { zh: '在线开具', en: 'Issued online' },
  retained: { zh: '保留（仍需提交）', en: 'Retained (still submitted)' },
};

/**
 * Categories where the 2020 national guidance excludes the commitment route: a wrong
 * grant would be costly or irreparable.
 */
export const RISK_CATEGORIES = [
  'national_security', 'state_secrets', 'public_security', 'financial_prudential', 'ecology', 'personal_health', 'life_property_safety', 'foreign_affairs',
] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

export const RISK_LABELS: Record<RiskCategory, string> = {
  national_security: '国家安全', state_secrets: '国家秘密', public_security: '公共安全', financial_prudential: '金融业审慎监管',
  ecology: '生态环境保护', personal_health: '直接涉及人身健康', life_property_safety: '直接涉及生命财产安全', foreign_affairs: '重要涉外等',
};

export interface CommitmentRule {
  /** The conditions and standards the applicant commits to meeting. */
  conditions: string;
  /** The consequence of a false commitment. */
  consequence: string;
  postCheck: { samplingRate: number; withinDays: number };
}

export interface ProofItemFields {
  name: string;
  issuingDepartmentId: string;
  regionCode: string;
  legalBasis: string;
  methods: ExemptionMethod[];
  riskCategory: RiskCategory | null;
  commitment: CommitmentRule | null;
  notes: string;
}

/** Longest proof-item name, in characters: the editor, the API and imported lists alike. */
export const PROOF_ITEM_NAME_MAX = 200;

export interface RuleViolation { code: ErrorCode; field: string; message: string; messageEn: string }

export function isMethod(v: string): v is ExemptionMethod {
  return (METHODS as readonly string[]).includes(v);
}

/** The catalog's rules from DOMAIN.md, as a pure check. An empty list means the item is acceptable. */
export function checkProofItemRules(p: ProofItemFields): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (p.name.trim() === '') {
    out.push({ code: 'CATALOG.NAME_REQUIRED', field: 'name', message: '请填写证明名称', messageEn: 'Enter the name of the proof' });
  } else if ([...p.name].length > PROOF_ITEM_NAME_MAX) {
    out.push({
      code: 'CATALOG.NAME_TOO_LONG', field: 'name',
      message: `证明名称不能超过 ${PROOF_ITEM_NAME_MAX} 个字符（实际 ${[...p.name].length} 个）`,
      messageEn: `The name of the proof may be at most ${PROOF_ITEM_NAME_MAX} characters (${[...p.name].length} given)`,
    });
  }
  if (p.methods.length === 0) {
    out.push({ code: 'CATALOG.METHOD_REQUIRED', field: 'methods', message: '至少需要一种免提交方式', messageEn: 'At least one exemption method is required' });
  }
  const unknown = p.methods.filter((m) => !isMethod(m));
  if (unknown.length > 0) {
    out.push({ code: 'REQUEST.INVALID', field: 'methods', message: `未知的免提交方式：${unknown.join('、')}`, messageEn: `Unknown exemption method: ${unknown.join(', ')}` });
  }
  if (new Set(p.methods).size !== p.methods.length) {
    out.push({ code: 'CATALOG.METHOD_CONFLICT', field: 'methods', message: '免提交方式重复', messageEn: 'An exemption method is listed twice' });
  }
  if (p.methods.includes('cancelled') && p.methods.length > 1) {
    out.push({ code: 'CATALOG.METHOD_CONFLICT', field: 'methods', message: '直接取消的证明不能再有其他方式', messageEn: 'A cancelled proof takes no other method' });
  }
  if (p.methods.includes('retained') && p.legalBasis.trim() === '') {
    out.push({ code: 'CATALOG.LEGAL_BASIS_REQUIRED', field: 'legalBasis', message: '保留的证明事项必须有设定依据', messageEn: 'A retained proof needs a legal basis' });
  }
  if (p.methods.includes('commitment')) {
    if (p.riskCategory) {
      out.push({
        code: 'CATALOG.COMMITMENT_EXCLUDED', field: 'methods',
        message: `涉及${RISK_LABELS[p.riskCategory]}的证明事项不适用告知承诺制`, messageEn: `The commitment method is excluded for the category ${p.riskCategory}`,
      });
    }
    const c = p.commitment;
    if (!c || c.conditions.trim() === '' || c.consequence.trim() === '' || !(c.postCheck.samplingRate > 0 && c.postCheck.samplingRate <= 1) || !(c.postCheck.withinDays >= 1)) {
      out.push({
        code: 'CATALOG.COMMITMENT_RULE_REQUIRED', field: 'commitment',
        message: '告知承诺方式需要填写承诺条件、虚假承诺后果和核查规则（抽查比例 0–1，核查期限 ≥ 1 天）',
        messageEn: 'The commitment method needs conditions, consequence and a post-check rule (sampling rate in (0,1], deadline ≥ 1 day)',
      });
    }
  }
  return out;
}

/** The commitment text an import fills in when the file gives only the method. */
export function defaultCommitmentRule(proofName: string): CommitmentRule {
  return {
    conditions: `申请人符合“${proofName}”所证明的事实和条件，所提供的信息真实、准确、完整。`,
    consequence: '如承诺不实，行政机关将依法撤销相关决定，并将虚假承诺情况记入信用记录，依法追究相应责任。',
    postCheck: { samplingRate: 0.1, withinDays: 90 },
  };
}
