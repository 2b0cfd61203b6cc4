/**
 * The 告知承诺书 as the applicant reads it before signing: the department's notice (eight
 * points) and the full text. Shared by the commitment page and in-person signing at the window.
 */
import { Card, Typography } from 'antd';
import type { Commitment } from './applications-api';
import { pct } from './components';
import { useAppText } from './messages';

const noticeOrder = ['proof', 'content', 'legalBasis', 'conditions', 'consequence', 'verification', 'complaint', 'voluntary'] as const;
const noticeLabels: Record<(typeof noticeOrder)[number], { zh: string; en: string }> = {
  proof: { zh: '（一）证明事项名称', en: '1. Proof' },
  content: { zh: '（二）证明内容', en: '2. Content' },
  legalBasis: { zh: '（三）设定依据', en: '3. Legal basis' },
  conditions: { zh: '（四）应当符合的条件和标准', en: '4. Conditions and standards' },
  consequence: { zh: '（五）虚假承诺的后果', en: '5. Consequence of a false commitment' },
  verification: { zh: '（六）核查方式', en: '6. Verification' },
  complaint: { zh: '（七）投诉渠道', en: '7. Complaints' },
  voluntary: { zh: '（八）自愿原则', en: '8. Voluntary' },
};

export function CommitmentDocument({ commitment: c }: { commitment: Commitment }) {
  const { t, locale } = useAppText();
  return (
    <>
      <Card className="mz-card" title={t('commit.notice')}>
        <dl className="mz-notice" data-testid="commitment-notice">
          {noticeOrder.filter((k) => c.notice[k]).map((k) => (
            <div key={k}>
              <dt>{locale === 'en' ? noticeLabels[k].en : noticeLabels[k].zh}</dt>
              <dd>{c.notice[k]}</dd>
            </div>
          ))}
        </dl>
        <Typography.Paragraph type="secondary">{t('commit.postCheck', { rate: pct(c.rule.postCheck.samplingRate, 0), days: c.rule.postCheck.withinDays })}</Typography.Paragraph>
      </Card>

      <Card className="mz-card" title={t('commit.fullText')}>
        <pre className="mz-commitment-text" data-testid="commitment-text" tabIndex={0} aria-label={t('commit.fullText')}>{c.text}</pre>
      </Card>
    </>
  );
}
