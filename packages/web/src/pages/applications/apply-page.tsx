import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Empty, Form, Input, Radio, Select, Space, Tabs, Tag, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { ApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { applicantKindsLabel, ownApplicantKind } from '../../catalog/applicant-kinds';
import { useI18n } from '../../shell/i18n/i18n';
import type { ApplicantKind } from '../../catalog/types';
import { useAuth } from '../../identity/auth-context';
import { ApiErrorAlert, PageLoading } from '../../shell/feedback';
import { appsApi, newIdempotencyKey } from './applications-api';
import { WizardHeader } from './components';
import { useAppText } from './messages';
import { DEFAULT_REGION, PlanView, ServiceItemPicker, type Choice } from './plan-view';
import './applications.css';

interface BundleChoice { kind: 'bundle'; code: string; region: string }
type Selection = Choice | BundleChoice | null;

/** The integrated services of a region; with `applicantKind`, only those whose every item that kind of applicant may apply for. */
function BundlePicker({ value, onChange, applicantKind }: { value: BundleChoice | null; onChange: (c: BundleChoice) => void; applicantKind?: ApplicantKind }) {
  const { t } = useAppText();
  const [region, setRegion] = useState(value?.region ?? DEFAULT_REGION);
  const regions = useApi((signal) => appsApi.regions(signal), []);
  const bundles = useApi((signal) => appsApi.bundles(region, signal), [region]);
  const cities = (regions.data?.items ?? []).filter((r) => r.level === 'city');
  const offered = bundles.data?.items.filter((b) => !applicantKind || (b.applicantKinds ?? []).includes(applicantKind));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <span>{t('apply.region')}</span>
        <Select
          value={region}
          onChange={setRegion}
          style={{ minWidth: 180 }}
          options={cities.length ? cities.map((c) => ({ value: c.code, label: c.name })) : [{ value: DEFAULT_REGION, label: '马鞍山市' }]}
          data-testid="apply-bundle-region"
        />
      </Space>
      {bundles.error && <ApiErrorAlert error={bundles.error} onRetry={bundles.reload} />}
      {offered && offered.length === 0 && <Empty description={t('apply.noBundle')} />}
      <Radio.Group value={value?.region === region ? value.code : undefined} onChange={(e) => onChange({ kind: 'bundle', code: e.target.value as string, region })} className="mz-bundle-grid">
        {offered?.map((b) => (
          <Radio key={b.code} value={b.code} className="mz-bundle-option" data-testid={`apply-bundle-${b.code}`}>
            <span className="mz-bundle-name">{b.name}</span>
            <span className="mz-bundle-desc">{b.description}</span>
            <span className="mz-bundle-items">
              {b.plan.serviceItems.map((s) => <Tag key={s.code}>{s.name}</Tag>)}
            </span>
            <span className="mz-bundle-free">
              {t('apply.bundleSummary', { unique: b.plan.summary.uniqueProofs, total: b.plan.summary.proofMaterials, free: b.plan.summary.nothingToProvide })}
            </span>
          </Radio>
        ))}
      </Radio.Group>
    </Space>
  );
}

export default function ApplyPage() {
  const { t } = useAppText();
  const { t: tShell, locale } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const { user } = useAuth();
  const isAgent = !!user?.roles.includes('agent') && !user.roles.includes('applicant');
  const [params] = useSearchParams();
  const [tab, setTab] = useState<'single' | 'bundle'>(params.get('bundle') ? 'bundle' : 'single');
  const [selection, setSelection] = useState<Selection>(() => {
    const bundle = params.get('bundle');
    if (bundle) return { kind: 'bundle', code: bundle, region: params.get('region') ?? DEFAULT_REGION };
    const code = params.get('serviceItem');
    return code ? { kind: 'single', code } : null;
  });
  const [principal, setPrincipal] = useState<string | undefined>(params.get('onBehalfOf') ?? undefined);
  // A service item chosen by link (?serviceItem=…) gets its name, department and 服务对象 for the picker.
  const [linkedKinds, setLinkedKinds] = useState<{ code: string; kinds: ApplicantKind[] }>();
  useEffect(() => {
    if (selection?.kind !== 'single' || selection.name) return;
    const controller = new AbortController();
    appsApi.serviceItem(selection.code, controller.signal).then(
      (s) => {
        setLinkedKinds({ code: s.code, kinds: s.applicantKinds ?? [] });
        setSelection((cur) => (cur?.kind === 'single' && cur.code === s.code ? { ...cur, name: s.name, department: s.department?.name } : cur));
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [selection]);
  const [step, setStep] = useState(0);
  const [form] = Form.useForm<{ contactPhone: string; note?: string }>();
  const [formValues, setFormValues] = useState<{ contactPhone: string; note?: string }>();
  const [run, submitting] = useAction();
  const [submitError, setSubmitError] = useState<ApiError>();
  // One key per thing being submitted: a retry after a dropped connection replays, never duplicates.
  const idempotencyKey = useMemo(() => newIdempotencyKey(), [selection?.kind, selection?.code, principal]);

  const authorizations = useApi((signal) => (isAgent ? appsApi.authorizations('received', signal) : Promise.resolve({ items: [] })), [isAgent]);
  const activeAuths = (authorizations.data?.items ?? []).filter((a) => a.status === 'active');
  const principalAuth = activeAuths.filter((a) => a.principal.id === principal);
  // the items still offered: one removed from the list since the authorization was given cannot be applied for
  const allowedCodes = isAgent ? [...new Set(principalAuth.flatMap((a) => a.serviceItems.filter((s) => s.offered).map((s) => s.code)))] : undefined;
  const principalName = activeAuths.find((a) => a.principal.id === principal)?.principal.name;
  // 服务对象: the signed-in applicant is offered only what a person / an enterprise may apply for; an agent
  // only what the principal's kind may (an authorization given before that rule may name others: not offered)
  const applicantKind = isAgent ? activeAuths.find((a) => a.principal.id === principal)?.principal.kind : ownApplicantKind(user);

  const current = tab === 'single' ? (selection?.kind === 'single' ? selection : null) : selection?.kind === 'bundle' ? selection : null;
  const plan = useApi(
    (signal) => (current && step >= 1
      ? appsApi.preview(current.kind === 'single' ? { serviceItemCode: current.code, onBehalfOf: principal } : { bundleCode: current.code, region: current.region, onBehalfOf: principal }, signal)
      : Promise.resolve(undefined)),
    [current?.kind, current?.code, current?.kind === 'bundle' ? current.region : '', principal, step >= 1],
  );

  // an item linked to that the signed-in applicant may not apply for: said at once, not after filling the form
  const notForMe = !!applicantKind && current?.kind === 'single' && linkedKinds?.code === current.code && linkedKinds.kinds.length > 0 && !linkedKinds.kinds.includes(applicantKind)
    ? tShell('service.notForYou', { kinds: applicantKindsLabel(linkedKinds.kinds, tShell, locale), you: tShell(`service.you.${applicantKind}`) })
    : undefined;
  const canNext = step === 0 ? !!current && !notForMe && (!isAgent || !!principal) : step === 1 ? !!plan.data : true;

  const next = async () => {
    if (step === 2) {
      const values = await form.validateFields().catch(() => undefined);
      if (!values) return;
      setFormValues(values);
    }
    setStep((s) => Math.min(3, s + 1));
  };

  const submit = async () => {
    if (!current) {
      message.warning(t('apply.needItem'));
      return;
    }
    const formBody: Record<string, string> = { contactPhone: formValues?.contactPhone ?? '' };
    if (formValues?.note) formBody.note = formValues.note;
    await run(
      async () => {
        setSubmitError(undefined);
        if (current.kind === 'single') {
          const created = await appsApi.apply({ serviceItemCode: current.code, form: formBody, onBehalfOf: principal }, idempotencyKey);
          message.success(t('apply.done', { ref: created.ref }));
          navigate(`/applications/${created.id}`);
        } else {
          const created = await appsApi.applyBundle({ bundleCode: current.code, region: current.region, form: formBody, onBehalfOf: principal }, idempotencyKey);
          message.success(t('apply.done', { ref: created.ref }));
          navigate(`/bundles/${created.id}`);
        }
      },
      { onError: (error) => setSubmitError(error) },
    );
  };

  const itemName = plan.data ? plan.data.serviceItems.map((s) => s.name).join('、') : current?.kind === 'single' ? current.name ?? current.code : current?.code;

  return (
    <div className="mz-page mz-readable mz-apply" data-testid="apply-page">
      <WizardHeader
        title={t('apply.title')}
        lead={t('apply.subtitle')}
        steps={[t('apply.step.choose'), t('apply.step.materials'), t('apply.step.form'), t('apply.step.confirm')]}
        current={step}
        testId="apply-steps"
      />

      {step === 0 && (
        <Card className="mz-card" data-testid="apply-step-choose">
          {isAgent && (
            <div className="mz-gap">
              <Typography.Title level={4}>{t('apply.onBehalfOf')}</Typography.Title>
              {authorizations.data && activeAuths.length === 0 ? (
                <Alert type="info" showIcon title={t('apply.noAuthorizations')} action={<Link to="/agents">{t('agents.received')}</Link>} />
              ) : (
                <Select
                  size="large"
                  value={principal}
                  onChange={(v: string) => { setPrincipal(v); setSelection(null); }}
                  placeholder={t('apply.onBehalfPick')}
                  style={{ width: '100%', maxWidth: 480 }}
                  options={[...new Map(activeAuths.map((a) => [a.principal.id, a.principal.name])).entries()].map(([id, name]) => ({ value: id, label: name }))}
                  data-testid="apply-principal-select"
                />
              )}
              <Alert className="mz-gap-top" type="warning" showIcon title={t('apply.agentSignNote')} />
            </div>
          )}
          {isAgent ? (
            principal ? (
              <>
                <Typography.Title level={4}>{t('apply.item')}</Typography.Title>
                <ServiceItemPicker value={selection?.kind === 'single' ? selection : null} onChange={setSelection} allowed={allowedCodes} applicantKind={applicantKind} />
              </>
            ) : null
          ) : (
            <Tabs
              activeKey={tab}
              onChange={(k) => setTab(k as 'single' | 'bundle')}
              items={[
                { key: 'single', label: t('apply.tab.single'), children: <ServiceItemPicker value={selection?.kind === 'single' ? selection : null} onChange={setSelection} applicantKind={applicantKind} /> },
                { key: 'bundle', label: t('apply.tab.bundle'), children: <BundlePicker value={selection?.kind === 'bundle' ? selection : null} onChange={setSelection} applicantKind={applicantKind} /> },
              ]}
              data-testid="apply-tabs"
            />
          )}
          {step === 0 && notForMe && <Alert className="mz-gap-top" type="warning" showIcon title={notForMe} data-testid="apply-not-for-you" />}
        </Card>
      )}

      {step === 1 && (
        <div data-testid="apply-step-materials">
          {plan.loading && !plan.data && <PageLoading />}
          {plan.error && <ApiErrorAlert error={plan.error} onRetry={plan.reload} />}
          {plan.data && (
            <>
              <Typography.Title level={3} className="mz-apply-item-name" data-testid="apply-item-name">{itemName}</Typography.Title>
              <PlanView plan={plan.data} />
            </>
          )}
        </div>
      )}

      {step === 2 && (
        <Card className="mz-card" data-testid="apply-step-form">
          <Form form={form} layout="vertical" initialValues={formValues} requiredMark="optional" size="large" style={{ maxWidth: 560 }}>
            <Form.Item name="contactPhone" label={t('apply.phone')} rules={[{ required: true, pattern: /^1\d{10}$/, message: t('apply.phoneRequired') }]}>
              <Input inputMode="tel" maxLength={11} autoComplete="tel" data-testid="apply-phone" />
            </Form.Item>
            <Form.Item name="note" label={t('apply.note')}>
              <Input.TextArea rows={3} maxLength={500} placeholder={t('apply.notePlaceholder')} data-testid="apply-note" />
            </Form.Item>
          </Form>
        </Card>
      )}

      {step === 3 && (
        <Card className="mz-card" title={t('apply.confirmTitle')} data-testid="apply-step-confirm">
          <Descriptions
            column={1}
            bordered
            items={[
              { key: 'item', label: t('apply.item'), children: <span data-testid="apply-confirm-item">{itemName}</span> },
              { key: 'dept', label: t('apply.department'), children: [...new Set(plan.data?.serviceItems.map((s) => s.departmentName) ?? [])].join('、') },
              { key: 'applicant', label: t('apply.applicant'), children: principal ? `${principalName ?? principal}(${t('apply.onBehalf')})` : `${user?.displayName ?? ''}(${t('apply.me')})` },
              { key: 'free', label: t('apply.step.materials'), children: plan.data ? t('apply.summary', { total: plan.data.materials.length, free: plan.data.materials.filter((m) => !m.mustProvide).length }) : '' },
              { key: 'phone', label: t('apply.phone'), children: formValues?.contactPhone },
              ...(formValues?.note ? [{ key: 'note', label: t('apply.note'), children: formValues.note }] : []),
            ]}
          />
          <Typography.Paragraph className="mz-gap-top" type="secondary">{t('apply.confirmHint')}</Typography.Paragraph>
          {submitError && <ApiErrorAlert error={submitError} />}
          {submitError && <Typography.Paragraph type="secondary">{t('apply.retrySafe')}</Typography.Paragraph>}
        </Card>
      )}

      <div className="mz-apply-nav">
        {step > 0 && <Button size="large" onClick={() => setStep((s) => s - 1)} disabled={submitting} data-testid="apply-prev">{t('apply.prev')}</Button>}
        {step < 3 && (
          <Button size="large" type="primary" onClick={() => void next()} disabled={!canNext} data-testid="apply-next">{t('apply.next')}</Button>
        )}
        {step === 3 && (
          <Button size="large" type="primary" icon={<SendOutlined />} loading={submitting} onClick={() => void submit()} data-testid="apply-submit">
            {submitting ? t('apply.submitting') : t('apply.submit')}
          </Button>
        )}
      </div>
    </div>
  );
}
