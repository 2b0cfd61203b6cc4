import { Tag, Tooltip } from 'antd';
import type { Outcome, Purposes } from './exchange-api';
import { useExchangeText } from './messages';

const OUTCOME_COLORS: Record<Outcome, string> = { answered: 'green', not_found: 'default', denied: 'red', unavailable: 'orange' };

export function OutcomeTag({ outcome, reason }: { outcome: Outcome | string; reason?: string | null }) {
  const { t, reason: reasonText } = useExchangeText();
  const known = outcome in OUTCOME_COLORS;
  const tag = (
    <Tag color={OUTCOME_COLORS[outcome as Outcome] ?? 'default'} data-testid="outcome-tag" data-outcome={outcome}>
      {known ? t(`outcome.${outcome}` as 'outcome.answered') : outcome}{reason ? `:${reasonText(reason)}` : ''}
    </Tag>
  );
  return reason ? <Tooltip title={reason}>{tag}</Tooltip> : tag;
}

export function usePurposeLabel(purposes: Purposes | undefined) {
  const { locale } = useExchangeText();
  return (code: string) => {
    const p = purposes?.[code] ?? FALLBACK_PURPOSES[code];
    return p ? (locale === 'en' ? p.en : p.zh) : code;
  };
}

export const FALLBACK_PURPOSES: Purposes = {
  application_review: { zh: '办件受理审核', en: 'Reviewing an application' },
  dept_verification: { zh: '部门核验', en: 'Department verification' },
  post_check: { zh: '告知承诺事中事后核查', en: 'Post-check of a commitment' },
  application: { zh: '办件材料核验', en: 'Resolving an application\'s materials' },
  license_issuance: { zh: '证照签发', en: 'Issuing a license' },
  license_migration: { zh: '存量证照导入', en: 'Importing an existing license' },
  license_management: { zh: '发证部门查看证照', en: 'The issuing department viewing a license' },
};

export function percent(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(x >= 0.999 || x === 0 ? 0 : 1)}%`;
}

export function ms(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : x < 10 ? x.toFixed(1) : x.toFixed(0);
}

/** A duration in seconds, in the largest sensible unit. */
export function useDuration() {
  const { t } = useExchangeText();
  return (s: number | null | undefined) => {
    if (s === null || s === undefined) return '—';
    if (s < 120) return t('dir.seconds', { n: Math.round(s) });
    if (s < 7200) return t('dir.minutes', { n: Math.round(s / 60) });
    if (s < 172_800) return t('dir.hours', { n: Math.round(s / 3600) });
    return t('dir.days', { n: Math.round(s / 86_400) });
  };
}

export function downloadJson(name: string, data: unknown): void {
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
