/**
 * Choosing a service item and the 办理前告知 plan (per material: nothing to provide — we will …,
 * or please upload), shared by the online apply page and the walk-in (现场帮办) page.
 */
import { useEffect, useState } from 'react';
import { Alert, Card, Progress, Select } from 'antd';
import { useApi } from '../../api/use-api';
import type { ApplicantKind } from '../../catalog/types';
import { appsApi, type Plan } from './applications-api';
import { useAppText } from './messages';
import { PlanMaterialCard } from './plan-material-card';

export const DEFAULT_REGION = '340500';

export interface Choice { kind: 'single'; code: string; name?: string; department?: string }

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return v;
}

/**
 * Search-as-you-type over the published service items; with `applicantKind`, only the items
 * that kind of applicant may apply for (服务对象) — filing any other is refused.
 */
export function ServiceItemPicker({ value, onChange, allowed, applicantKind }: { value: Choice | null; onChange: (c: Choice) => void; allowed?: string[]; applicantKind?: ApplicantKind }) {
  const { t } = useAppText();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q, 250);
  // An agent picks among the authorised items only: fetched one by one (the search does not match codes).
  const items = useApi(
    (signal) => (allowed
      // one item that cannot be read (removed from the list meanwhile) leaves the others offered
      ? Promise.allSettled(allowed.map((code) => appsApi.serviceItem(code, signal).then((s) => ({ code: s.code, name: s.name, department: { id: s.department?.id ?? '', name: s.department?.name ?? '' }, applicantKinds: s.applicantKinds ?? [] }))))
        .then((settled) => settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])))
        .then((list) => ({ items: list.filter((s) => (!debounced || s.name.includes(debounced)) && (!applicantKind || s.applicantKinds.includes(applicantKind))) }))
      : appsApi.serviceItems(debounced || undefined, DEFAULT_REGION, signal, applicantKind)),
    [debounced, allowed?.join(','), applicantKind],
  );
  const options = (items.data?.items ?? []).map((s) => ({ value: s.code, label: `${s.name} · ${s.department.name}`, item: s }));
  if (value && !options.some((o) => o.value === value.code)) {
    options.unshift({ value: value.code, label: `${value.name ?? value.code}${value.department ? ` · ${value.department}` : ''}`, item: undefined as never });
  }
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      size="large"
      value={value?.code}
      placeholder={t('apply.searchItem')}
      loading={items.loading}
      onChange={(code: string) => {
        const found = items.data?.items.find((s) => s.code === code);
        onChange({ kind: 'single', code, name: found?.name, department: found?.department.name });
      }}
      options={options.map(({ value: v, label }) => ({ value: v, label }))}
      style={{ width: '100%', maxWidth: 720 }}
      aria-label={t('apply.searchItem')}
      data-testid="apply-service-select"
    />
  );
}

export function PlanView({ plan }: { plan: Plan }) {
  const { t } = useAppText();
  const total = plan.materials.length;
  const free = plan.materials.filter((m) => !m.mustProvide).length;
  const ordered = [...plan.materials].sort((a, b) => Number(a.mustProvide) - Number(b.mustProvide));
  return (
    <div className="mz-materials" data-testid="apply-plan">
      {!plan.commitmentRoute.offered && (
        <Alert
          type="warning"
          showIcon
          data-testid="commitment-excluded"
          title={t('apply.commitmentExcluded')}
          description={<>{plan.commitmentRoute.reason} {t('apply.commitmentExcludedHint')}</>}
        />
      )}
      <Card className="mz-card mz-summary" data-testid="apply-plan-summary">
        <div className="mz-summary-body">
          <Progress type="circle" percent={total ? Math.round((free / total) * 100) : 100} size={88} strokeColor="#389e0d" format={() => `${free}/${total}`} />
          <div className="mz-summary-text">
            <p className="mz-summary-headline">{t('apply.summary', { total, free })}</p>
            <p className="mz-summary-hint">{t('apply.summaryHint')}</p>
          </div>
        </div>
      </Card>
      {ordered.map((m) => <PlanMaterialCard key={m.proofItemId} material={m} plan={plan} />)}
      {plan.forms.length > 0 && (
        <section className="mz-material mz-material-form" data-testid="plan-forms">
          <div className="mz-material-head">
            <span className="mz-material-status">{t('mat.form')}</span>
            <h3 className="mz-material-name">{plan.forms.map((f) => f.name).join('、')}</h3>
          </div>
          <p className="mz-material-explanation">{t('apply.formHint')}</p>
        </section>
      )}
    </div>
  );
}
