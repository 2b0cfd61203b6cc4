import type { Locale, Translate } from '../shell/i18n/i18n';
import { APPLICANT_KINDS, type ApplicantKind } from './types';

/** 服务对象 in the user's language: "自然人、法人" / "Natural persons, Legal persons (enterprises)". */
export function applicantKindsLabel(kinds: readonly ApplicantKind[], t: Translate, locale: Locale): string {
  return APPLICANT_KINDS.filter((k) => kinds.includes(k)).map((k) => t(`service.applicantKind.${k}`)).join(locale === 'en' ? ', ' : '、');
}

/** The kind of applicant a signed-in account applies as, if it is one (staff are not). */
export function ownApplicantKind(user: { kind: string } | null | undefined): ApplicantKind | undefined {
  return user?.kind === 'person' || user?.kind === 'enterprise' ? user.kind : undefined;
}
