/** 服务对象 as the catalog's service item page and the apply wizard show it, in both languages. */
import { describe, expect, it } from 'vitest';
import { applicantKindsLabel, ownApplicantKind } from '../src/catalog/applicant-kinds';
import { format, type Translate } from '../src/shell/i18n/i18n';
import { zhCN } from '../src/shell/i18n/messages-zh-cn';
import { en } from '../src/shell/i18n/messages-en';

const zhT: Translate = (key, params) => format(zhCN[key], params);
const enT: Translate = (key, params) => format(en[key], params);

describe('服务对象 labels', () => {
  it('names who may apply, person first, in zh-CN and English', () => {
    expect(applicantKindsLabel(['person'], zhT, 'zh-CN')).toBe('自然人');
    expect(applicantKindsLabel(['enterprise', 'person'], zhT, 'zh-CN')).toBe('自然人、法人');
    expect(applicantKindsLabel(['enterprise'], enT, 'en')).toBe('Legal persons (enterprises)');
    expect(applicantKindsLabel(['person', 'enterprise'], enT, 'en')).toBe('Natural persons, Legal persons (enterprises)');
  });

  it('says why a signed-in applicant of another kind may not apply', () => {
    expect(zhT('service.notForYou', { kinds: applicantKindsLabel(['person'], zhT, 'zh-CN'), you: zhT('service.you.enterprise') })).toBe('该事项的服务对象为自然人，企业不能申请');
    expect(enT('service.notForYou', { kinds: applicantKindsLabel(['person'], enT, 'en'), you: enT('service.you.enterprise') })).toBe('Natural persons only: an enterprise may not apply for this service');
  });

  it('a person or an enterprise account applies as itself; staff and visitors as neither', () => {
    expect([ownApplicantKind({ kind: 'person' }), ownApplicantKind({ kind: 'enterprise' }), ownApplicantKind({ kind: 'staff' }), ownApplicantKind(null)]).toEqual(['person', 'enterprise', undefined, undefined]);
  });
});
