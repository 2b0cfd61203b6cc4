import type { CommitmentRule } from '../../catalog/domain/proof-item.ts';

/**
 * The 告知承诺书 generated from a proof item's commitment rule, with everything the 2020
 * national guidance requires the department to state in writing, and the four statements
 * the applicant commits to. Pure: the same input always gives the same text (its SM3
 * digest is what the applicant signs).
 */
export interface CommitmentInput {
  proofItemName: string;
  legalBasis: string;
  issuingDepartmentName: string;
  acceptingDepartmentName: string;
  serviceItemName: string;
  applicationRef: string;
  applicantName: string;
  applicantCodeMask: string;
  applicantKind: 'person' | 'enterprise';
  rule: CommitmentRule;
  /** YYYY-MM-DD (Asia/Shanghai) the text was generated. */
  date: string;
}

export interface CommitmentNotice {
  proof: string;
  content: string;
  legalBasis: string;
  conditions: string;
  consequence: string;
  verification: string;
  complaint: string;
  voluntary: string;
}

export const COMMITMENT_STATEMENTS = [
  '本人（单位）已知晓行政机关告知的全部内容；',
  '本人（单位）符合上述条件和标准；',
  '本人（单位）所填报和提供的信息真实、准确、完整；',
  '本人（单位）愿意接受行政机关的核查，如承诺不实，愿意承担相应的法律责任。',
] as const;

export function commitmentNotice(c: CommitmentInput): CommitmentNotice {
  const pct = Math.round(c.rule.postCheck.samplingRate * 1000) / 10;
  return {
    proof: c.proofItemName,
    content: `证明申请人符合办理“${c.serviceItemName}”所需的“${c.proofItemName}”所载事实，原由${c.issuingDepartmentName}出具。`,
    legalBasis: c.legalBasis || '（该证明事项设定依据见公布的证明事项清单）',
    conditions: c.rule.conditions,
    consequence: c.rule.consequence,
    verification: `由${c.issuingDepartmentName}会同${c.acceptingDepartmentName}在办结后 ${c.rule.postCheck.withinDays} 日内核查，按 ${pct}% 比例随机抽查；有失信记录的申请人全部核查。核查结果记入信用记录。`,
    complaint: `对告知承诺事项有异议的，可拨打 12345 政务服务便民热线，或通过本平台“投诉”功能向${c.acceptingDepartmentName}或司法行政部门反映。`,
    voluntary: '告知承诺为自愿选择：不愿或不能承诺的，可改为提交相关证明。',
  };
}

/** The full text, line by line, as printed and as digested for signing. */
export function commitmentText(c: CommitmentInput): string {
  const n = commitmentNotice(c);
  const who = c.applicantKind === 'enterprise' ? '申请单位' : '申请人';
  return [
    '证明事项告知承诺书',
    '',
    `办件编号：${c.applicationRef}`,
    `办理事项：${c.serviceItemName}（受理部门：${c.acceptingDepartmentName}）`,
    `${who}：${c.applicantName}（证件号码：${c.applicantCodeMask}）`,
    '',
    '一、行政机关告知',
    `（一）证明事项名称：${n.proof}`,
    `（二）证明内容：${n.content}`,
    `（三）设定依据：${n.legalBasis}`,
    `（四）应当符合的条件和标准：${n.conditions}`,
    `（五）虚假承诺的后果：${n.consequence}`,
    `（六）核查方式：${n.verification}`,
    `（七）投诉渠道：${n.complaint}`,
    `（八）${n.voluntary}`,
    '',
    `二、${who}承诺`,
    ...COMMITMENT_STATEMENTS.map((s, i) => `${i + 1}. ${s}`),
    '',
    `承诺人：${c.applicantName}`,
    `日期：${c.date}`,
  ].join('\n');
}
