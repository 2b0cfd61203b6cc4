/**
 * 服务对象: who may apply for a service item — a natural person (自然人), a legal person
 * (法人: an enterprise or other organisation with a unified social credit code), or both.
 */
export const APPLICANT_KINDS = ['person', 'enterprise'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

export const APPLICANT_KIND_LABELS: Record<ApplicantKind, { zh: string; en: string }> = {
  person: { zh: '自然人', en: 'natural persons' },
  enterprise: { zh: '法人', en: 'legal persons (enterprises)' },
};

/** The kinds in the canonical order (person first), without duplicates. */
export function normaliseApplicantKinds(kinds: readonly string[]): ApplicantKind[] {
  return APPLICANT_KINDS.filter((k) => kinds.includes(k));
}

export function mayApply(applicantKinds: readonly ApplicantKind[], kind: ApplicantKind): boolean {
  return applicantKinds.includes(kind);
}

/**
 * Why an applicant of `kind` may not apply: "该事项的服务对象为自然人,企业账号不能申请" and its
 * English; undefined when they may.
 */
export function wrongApplicantKind(item: { name: string; applicantKinds: readonly ApplicantKind[] }, kind: ApplicantKind): { message: string; messageEn: string } | undefined {
  if (mayApply(item.applicantKinds, kind)) return undefined;
  const zh = item.applicantKinds.map((k) => APPLICANT_KIND_LABELS[k].zh).join('、');
  const en = item.applicantKinds.map((k) => APPLICANT_KIND_LABELS[k].en).join(' and ');
  const who = kind === 'enterprise' ? { zh: '企业', en: 'an enterprise' } : { zh: '个人', en: 'a natural person' };
  return {
    message: `“${item.name}”的服务对象为${zh}，${who.zh}不能申请`,
    messageEn: `"${item.name}" is for ${en} only; ${who.en} may not apply for it`,
  };
}
