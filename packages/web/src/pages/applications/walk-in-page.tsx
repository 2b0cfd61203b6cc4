/**
 * 现场帮办 — a helper (agent) or a window clerk files for a person or enterprise who walks into
 * the service hall: 1) the identity check (document inspected + the number's check character),
 * 2) the service item and, per material, what the platform will do without paper (the same plan
 * as online), 3) filing with the identity check, the resolution of each material, and — for an
 * applicant without an account of their own — the commitment read and signed in person.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Descriptions, Form, Input, Popconfirm, Radio, Space, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, EditOutlined, IdcardOutlined, SendOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { ApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert, PageLoading } from '../../shell/feedback';
import {
  appsApi, asApiError, newIdempotencyKey, type Application, type Commitment, type IdentityCheck, type IdentityCheckInput,
} from './applications-api';
import { CommitmentDocument } from './commitment-view';
import { AppStatusTag, useDate, WizardHeader } from './components';
import { MaterialPanel } from './material-panel';
import { useAppText } from './messages';
import { PlanView, ServiceItemPicker, type Choice } from './plan-view';
import './applications.css';
import { labelColon } from '../../shell/i18n/i18n';

type IdForm = IdentityCheckInput;
const emptyIdForm: IdForm = { name: '', kind: 'person', code: '', documentInspected: false };
const idFields = ['name', 'kind', 'code', 'documentInspected'] as const;

function checksOf(error: ApiError | undefined): { name: string; passed: boolean }[] | undefined {
  const details = error?.details as { checks?: { name: string; passed: boolean }[] } | undefined;
  return Array.isArray(details?.checks) ? details.checks : undefined;
}

/** A server error: its message (zh-CN first), the field it names and the code. */
function WalkInError({ error, action }: { error: ApiError; action?: React.ReactNode }) {
  const { t, tk, locale } = useAppText();
  const field = error.field;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="walkin-error"
      data-code={error.code}
      data-field={field ?? ''}
      title={error.localized(locale)}
      description={(
        <>
          {field ? <div data-testid="walkin-error-field">{t('walkin.field')}{labelColon(locale)}{tk(`walkin.field.${field}`, field)}{locale === 'en' ? ` (${field})` : `（${field}）`}</div> : null}
          <Typography.Text type="secondary" className="mz-small">{error.code}</Typography.Text>
        </>
      )}
      action={action}
    />
  );
}

/** What the identity check found, check by check; also for a refused check (the server returns its checks with the error). */
function CheckResult({ check, failedChecks, input, expired }: { check?: IdentityCheck; failedChecks?: { name: string; passed: boolean }[]; input: IdForm; expired: boolean }) {
  const { t, tk } = useAppText();
  const date = useDate();
  const checks = check?.checks ?? failedChecks ?? [];
  const verified = !!check?.verified;
  return (
    <Card className="mz-card" size="small" title={t('walkin.result')} data-testid="walkin-check-result" data-verified={String(verified)}>
      <Descriptions
        column={1}
        size="small"
        items={[
          {
            key: 'result', label: t('walkin.result'),
            children: verified ? <Tag color="success" icon={<CheckCircleFilled />}>{t('walkin.verified')}</Tag> : <Tag color="error" icon={<CloseCircleFilled />}>{t('walkin.notVerified')}</Tag>,
          },
          { key: 'subject', label: t('walkin.subject'), children: <span data-testid="walkin-check-subject">{check?.subjectName ?? input.name}</span> },
          ...(check ? [{ key: 'mask', label: t('walkin.codeMask'), children: <span className="mz-mono" data-testid="walkin-check-mask">{check.subjectCodeMask}</span> }] : []),
          {
            key: 'checks', label: t('walkin.checks'),
            children: (
              <ul className="mz-walkin-checks" data-testid="walkin-checks">
                {checks.map((c) => (
                  <li key={c.name} data-testid="walkin-check-item" data-name={c.name} data-passed={String(c.passed)}>
                    {c.passed ? <CheckCircleFilled style={{ color: '#389e0d' }} /> : <CloseCircleFilled style={{ color: '#cf1322' }} />}{' '}
                    {tk(`walkin.checkName.${c.name}`, c.name)}:{c.passed ? t('walkin.passed') : t('walkin.failed')}
                  </li>
                ))}
              </ul>
            ),
          },
          ...(check ? [
            { key: 'at', label: t('walkin.checkedAt'), children: date(check.checkedAt) },
            { key: 'until', label: t('walkin.validUntil'), children: <span data-testid="walkin-check-valid-until">{date(check.validUntil)}</span> },
          ] : []),
        ]}
      />
      {verified && !expired && <Typography.Paragraph type="secondary" className="mz-small">{t('walkin.validHint')}</Typography.Paragraph>}
      {verified && expired && <Alert type="warning" showIcon title={t('walkin.expired')} data-testid="walkin-expired" />}
      {!verified && <Alert type="error" showIcon title={t('walkin.refused')} data-testid="walkin-refused" />}
    </Card>
  );
}

/** 实名核验 at the window: the person's own online account, confirmed with the check just made of their document. */
function AccountVerification({ check }: { check: IdentityCheck }) {
  const { t } = useAppText();
  const [username, setUsername] = useState('');
  const [done, setDone] = useState<{ username: string; displayName: string }>();
  const [error, setError] = useState<ApiError>();
  const [run, busy] = useAction();
  const submit = () => run(async () => {
    setError(undefined);
    setDone(await appsApi.verifyAccount(username.trim(), check.id));
  }, { onError: setError });
  return (
    <Card className="mz-card" size="small" title={t('walkin.account.title')} data-testid="walkin-account">
      <Typography.Paragraph type="secondary" className="mz-small">{t('walkin.account.hint')}</Typography.Paragraph>
      <Space.Compact style={{ maxWidth: 420, width: '100%' }}>
        <Input value={username} onChange={(e) => setUsername(e.target.value)} placeholder={t('walkin.account.username')} aria-label={t('walkin.account.username')} autoComplete="off" data-testid="walkin-account-username" />
        <Button type="primary" loading={busy} disabled={!username.trim()} onClick={() => void submit()} data-testid="walkin-account-submit">{t('walkin.account.submit')}</Button>
      </Space.Compact>
      {done && <Alert className="mz-gap-top" type="success" showIcon title={t('walkin.account.done', { username: done.username, name: done.displayName })} data-testid="walkin-account-done" />}
      {error && <div className="mz-gap-top"><WalkInError error={error} /></div>}
    </Card>
  );
}

/** The commitment read by the applicant at the window and signed in person, with the helper's current identity check of that person. */
function InPersonSign({ app, commitmentId, check, onSigned }: { app: Application; commitmentId: string; check: IdentityCheck; onSigned: (c: Commitment) => void }) {
  const { t, locale } = useAppText();
  const [open, setOpen] = useState(false);
  const loaded = useApi((signal) => (open ? appsApi.commitment(commitmentId, signal) : Promise.resolve(undefined)), [commitmentId, open]);
  const [ticked, setTicked] = useState<number[]>([]);
  const [run, busy] = useAction();
  const [error, setError] = useState<ApiError>();
  const c = loaded.data;
  const sign = async () => {
    await run(
      async () => {
        setError(undefined);
        const r = await appsApi.signInPerson(commitmentId, check.id);
        onSigned(r.commitment);
      },
      { onError: (error) => setError(error) },
    );
  };
  if (!open) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="walkin-awaiting-signature"
        title={t('mat.signAgent')}
        description={t('walkin.inPersonNote')}
        action={<Button type="primary" icon={<EditOutlined />} onClick={() => setOpen(true)} data-testid="walkin-sign-open">{t('walkin.sign')}</Button>}
      />
    );
  }
  return (
    <div className="mz-walkin-sign" data-testid="walkin-commitment" data-commitment-id={commitmentId}>
      <Typography.Title level={4}>{t('walkin.sign')}</Typography.Title>
      <Typography.Paragraph className="mz-lead">{t('walkin.signIntro')}</Typography.Paragraph>
      {loaded.loading && !c && <PageLoading />}
      {loaded.error && <ApiErrorAlert error={loaded.error} onRetry={loaded.reload} />}
      {c && (
        <>
          <CommitmentDocument commitment={c} />
          <Card className="mz-card mz-sign-card" title={t('walkin.signStatements')}>
            <Typography.Paragraph>{t('commit.applicant')}{labelColon(locale)}{c.applicantName}({c.applicantCodeMask})</Typography.Paragraph>
            <Checkbox.Group value={ticked} onChange={(v) => setTicked(v as number[])} className="mz-statements">
              {c.statements.map((s, i) => (
                <Checkbox key={s} value={i} data-testid={`walkin-statement-${i}`} className="mz-statement">{s}</Checkbox>
              ))}
            </Checkbox.Group>
            {error && <div className="mz-gap-top"><WalkInError error={error} /></div>}
            <div className="mz-sign-row">
              <Popconfirm
                title={t('walkin.signConfirm', { name: app.applicant.name, mask: app.applicant.codeMask })}
                onConfirm={() => void sign()}
                okText={t('walkin.sign')}
                cancelText={t('common.cancel')}
                okButtonProps={{ loading: busy, 'data-testid': 'walkin-sign-ok' } as ButtonProps}
              >
                <Button type="primary" size="large" icon={<EditOutlined />} disabled={ticked.length !== c.statements.length} loading={busy} data-testid="walkin-sign-submit">
                  {t('walkin.signSubmit')}
                </Button>
              </Popconfirm>
              <Button onClick={() => setOpen(false)}>{t('walkin.hide')}</Button>
            </div>
          </Card>
        </>
      )}
    </div>
  );
}

export default function WalkInPage() {
  const { t, tk, locale } = useAppText();
  const { message } = AntApp.useApp();
  const date = useDate();
  const [step, setStep] = useState(0);

  // step 1: identity
  const [idForm] = Form.useForm<IdForm>();
  const [idValues, setIdValues] = useState<IdForm>(emptyIdForm);
  const [checkedInput, setCheckedInput] = useState<IdForm>(emptyIdForm);
  const [check, setCheck] = useState<IdentityCheck>();
  const [checkError, setCheckError] = useState<ApiError>();
  const [runCheckAction, checking] = useAction();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const expired = !!check && new Date(check.validUntil).getTime() <= now;
  const usable = !!check?.verified && !expired;

  // step 2: service item and plan
  const [selection, setSelection] = useState<Choice | null>(null);
  const plan = useApi(
    // the plan for the person checked (their credit situation decides whether the commitment route is offered)
    (signal) => (selection && check?.verified ? appsApi.preview({ serviceItemCode: selection.code, identityCheckId: check.id }, signal) : Promise.resolve(undefined)),
    [selection?.code, check?.id, check?.verified],
  );

  // step 3: filing and after
  const [details] = Form.useForm<{ contactPhone?: string; note?: string }>();
  const [runSubmit, submitting] = useAction();
  const [submitError, setSubmitError] = useState<ApiError>();
  const [app, setApp] = useState<Application>();
  const [signed, setSigned] = useState<Commitment[]>([]);
  const idempotencyKey = useMemo(() => newIdempotencyKey(), [check?.id, selection?.code]);

  const runCheck = async (input: IdForm) => {
    const body: IdForm = { name: input.name.trim(), kind: input.kind, code: input.code.trim().toUpperCase(), documentInspected: !!input.documentInspected };
    await runCheckAction(
      async () => {
        setCheckError(undefined);
        setCheck(undefined);
        setCheckedInput(body);
        const result = await appsApi.identityCheck(body);
        setCheck(result);
        setNow(Date.now());
        if (result.verified) message.success(t('walkin.verified'));
      },
      {
        onError: (error) => {
          setCheckError(error);
          if (error.field && (idFields as readonly string[]).includes(error.field) && step === 0) {
            idForm.setFields([{ name: error.field as keyof IdForm, errors: [error.localized(locale)] }]);
          }
        },
      },
    );
  };

  const submitIdentity = async () => {
    const values = await idForm.validateFields().catch(() => undefined);
    if (values) await runCheck(values);
  };

  const submit = async () => {
    if (!check || !selection) return;
    const values = await details.validateFields().catch(() => undefined);
    if (!values) return;
    const form: Record<string, string> = {};
    if (values.contactPhone) form.contactPhone = values.contactPhone;
    if (values.note) form.note = values.note;
    await runSubmit(
      async () => {
        setSubmitError(undefined);
        const created = await appsApi.apply({ serviceItemCode: selection.code, identityCheckId: check.id, form, submit: true }, idempotencyKey);
        setApp(created);
        message.success(t('apply.done', { ref: created.ref }));
      },
      { onError: (error) => setSubmitError(error) },
    );
  };

  const onSigned = async (c: Commitment) => {
    setSigned((list) => [...list.filter((x) => x.id !== c.id), c]);
    message.success(t('walkin.signed', { proof: c.proofItemName }));
    if (app) {
      try {
        setApp(await appsApi.get(app.id));
      } catch (e) {
        message.error(asApiError(e).localized(locale));
      }
    }
  };

  const startOver = () => {
    setStep(0);
    setIdValues(emptyIdForm);
    setCheckedInput(emptyIdForm);
    setCheck(undefined);
    setCheckError(undefined);
    setSelection(null);
    setApp(undefined);
    setSigned([]);
    setSubmitError(undefined);
    details.resetFields();
  };

  const identityProblem = submitError && ['AGENT.IDENTITY_CHECK_EXPIRED', 'AGENT.IDENTITY_CHECK_NOT_FOUND', 'AGENT.IDENTITY_CHECK_FAILED'].includes(submitError.code);
  const canNext = step === 0 ? usable : step === 1 ? !!selection && !!plan.data : false;
  const kind = idValues.kind;
  const itemName = plan.data?.serviceItems.map((s) => s.name).join('、') ?? selection?.name ?? selection?.code;

  return (
    <div className="mz-page mz-readable mz-apply" data-testid="walkin-page">
      <WizardHeader
        title={t('walkin.title')}
        lead={t('walkin.subtitle')}
        steps={[t('walkin.step.identity'), t('walkin.step.item'), t('walkin.step.submit')]}
        current={step}
        testId="walkin-steps"
      />

      {step === 0 && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="walkin-step-identity">
          <Card className="mz-card">
            <Form
              form={idForm}
              layout="vertical"
              size="large"
              style={{ maxWidth: 560 }}
              initialValues={idValues}
              onValuesChange={(changed: Partial<IdForm>, all: IdForm) => {
                setIdValues(all);
                // A check vouches for what was checked: any edit needs a new one.
                setCheck(undefined);
                setCheckError(undefined);
                idForm.setFields(Object.keys(changed).map((name) => ({ name: name as keyof IdForm, errors: [] })));
              }}
            >
              <Form.Item name="kind" label={t('walkin.kind')}>
                <Radio.Group optionType="button" data-testid="walkin-kind" options={[
                  { value: 'person', label: t('walkin.kind.person') },
                  { value: 'enterprise', label: t('walkin.kind.enterprise') },
                ]} />
              </Form.Item>
              <Form.Item name="name" label={t(`walkin.name.${kind}`)} rules={[{ required: true, whitespace: true, message: t('walkin.nameRequired') }]}>
                <Input maxLength={100} autoComplete="off" data-testid="walkin-name" />
              </Form.Item>
              <Form.Item name="code" label={t(`walkin.code.${kind}`)} rules={[{ required: true, len: 18, message: t('walkin.codeRequired') }]}>
                <Input maxLength={18} autoComplete="off" className="mz-mono" data-testid="walkin-code" />
              </Form.Item>
              <Form.Item name="documentInspected" valuePropName="checked" extra={t('walkin.documentHint')}>
                <Checkbox data-testid="walkin-document">{t(`walkin.documentInspected.${kind}`)}</Checkbox>
              </Form.Item>
              <Button type="primary" size="large" icon={<IdcardOutlined />} loading={checking} onClick={() => void submitIdentity()} data-testid="walkin-check">
                {t('walkin.check')}
              </Button>
            </Form>
          </Card>
          {checkError && <WalkInError error={checkError} />}
          {(check || checksOf(checkError)) && <CheckResult check={check} failedChecks={checksOf(checkError)} input={checkedInput} expired={expired} />}
          {check?.verified && !expired && <AccountVerification check={check} />}
        </Space>
      )}

      {step === 1 && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="walkin-step-item">
          <Card className="mz-card">
            <Typography.Paragraph>
              {t('walkin.subject')}:<strong>{check?.subjectName}</strong> <span className="mz-mono">{check?.subjectCodeMask}</span>
            </Typography.Paragraph>
            <Typography.Title level={4}>{t('walkin.pickItem')}</Typography.Title>
            <ServiceItemPicker value={selection} onChange={setSelection} applicantKind={checkedInput?.kind} />
            <Alert className="mz-gap-top" type="info" showIcon title={t('walkin.inPersonNote')} data-testid="walkin-inperson-note" />
          </Card>
          {selection && plan.loading && !plan.data && <PageLoading />}
          {plan.error && <ApiErrorAlert error={plan.error} onRetry={plan.reload} />}
          {selection && plan.data && (
            <>
              <Typography.Title level={3} className="mz-apply-item-name" data-testid="walkin-item-name">{itemName}</Typography.Title>
              <PlanView plan={plan.data} />
            </>
          )}
        </Space>
      )}

      {step === 2 && !app && check && (
        <Card className="mz-card" title={t('walkin.confirmTitle')} data-testid="walkin-step-submit">
          <Descriptions
            column={1}
            bordered
            items={[
              { key: 'applicant', label: t('apply.applicant'), children: <span data-testid="walkin-confirm-applicant">{check.subjectName} <span className="mz-mono">{check.subjectCodeMask}</span></span> },
              { key: 'item', label: t('apply.item'), children: <span data-testid="walkin-confirm-item">{itemName}</span> },
              { key: 'dept', label: t('apply.department'), children: plan.data?.serviceItems.map((s) => s.departmentName).join('、') },
              { key: 'free', label: t('apply.step.materials'), children: plan.data ? t('apply.summary', { total: plan.data.materials.length, free: plan.data.materials.filter((m) => !m.mustProvide).length }) : '' },
              { key: 'until', label: t('walkin.validUntil'), children: date(check.validUntil) },
            ]}
          />
          <Form form={details} layout="vertical" size="large" style={{ maxWidth: 560 }} className="mz-gap-top">
            <Form.Item name="contactPhone" label={t('walkin.phoneOptional')} rules={[{ pattern: /^1\d{10}$/, message: t('walkin.phoneInvalid') }]}>
              <Input inputMode="tel" maxLength={11} autoComplete="off" data-testid="walkin-phone" />
            </Form.Item>
            <Form.Item name="note" label={t('apply.note')}>
              <Input.TextArea rows={2} maxLength={500} data-testid="walkin-note" />
            </Form.Item>
          </Form>
          {expired && <Alert type="warning" showIcon title={t('walkin.expired')} data-testid="walkin-expired" />}
          {submitError && (
            <WalkInError
              error={submitError}
              action={identityProblem ? <Button onClick={() => { setCheck(undefined); setStep(0); }} data-testid="walkin-recheck">{t('walkin.recheck')}</Button> : undefined}
            />
          )}
          {submitError && !identityProblem && <Typography.Paragraph type="secondary">{t('apply.retrySafe')}</Typography.Paragraph>}
        </Card>
      )}

      {step === 2 && app && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="walkin-result" data-application-id={app.id} data-status={app.status}>
          <Card className="mz-card" title={t('walkin.submitted')}>
            <Descriptions
              column={1}
              bordered
              items={[
                { key: 'ref', label: t('walkin.ref'), children: <span className="mz-mono" data-testid="walkin-ref">{app.ref}</span> },
                { key: 'status', label: t('mine.status'), children: <AppStatusTag status={app.status} /> },
                { key: 'item', label: t('apply.item'), children: `${app.serviceItem.name} · ${app.department.name}` },
                { key: 'applicant', label: t('apply.applicant'), children: <span data-testid="walkin-result-applicant">{app.applicant.name} <span className="mz-mono">{app.applicant.codeMask}</span>{app.walkIn ? ` · ${t('detail.walkIn')}` : ''}</span> },
                { key: 'summary', label: t('apply.step.materials'), children: <span data-testid="walkin-summary">{t('detail.summary', { total: app.summary.proofMaterials, free: app.summary.satisfiedWithoutSubmission })}</span> },
              ]}
            />
            <Space wrap className="mz-gap-top">
              <Link to={`/applications/${app.id}`} data-testid="walkin-open-detail"><Button>{t('walkin.openDetail')}</Button></Link>
              <Button onClick={startOver} data-testid="walkin-start-over">{t('walkin.next')}</Button>
            </Space>
          </Card>
          {app.applicant.hasAccount && <Alert type="info" showIcon title={t('walkin.hasAccount')} data-testid="walkin-has-account" />}
          {!app.commitmentRoute.offered && <Alert type="warning" showIcon data-testid="commitment-excluded" title={t('detail.commitmentExcluded')} description={app.commitmentRoute.reason} />}
          {(expired || (!check && !checking)) && !app.applicant.hasAccount && (
            <Alert
              type="warning"
              showIcon
              title={t('walkin.expired')}
              data-testid="walkin-expired"
              action={(
                <Popconfirm
                  title={`${t(`walkin.documentInspected.${checkedInput.kind}`)}?`}
                  onConfirm={() => void runCheck({ ...checkedInput, documentInspected: true })}
                  okText={t('walkin.check')}
                  cancelText={t('common.cancel')}
                >
                  <Button loading={checking} data-testid="walkin-recheck">{t('walkin.recheck')}</Button>
                </Popconfirm>
              )}
            />
          )}
          {checkError && <WalkInError error={checkError} />}
          {signed.length > 0 && (
            <Alert
              type="success"
              showIcon
              data-testid="walkin-signed"
              title={signed.map((c) => (
                <div key={c.id} data-testid="walkin-signed-item" data-commitment-id={c.id} data-status={c.status}>
                  {t('walkin.signed', { proof: c.proofItemName })} · {c.signedVia ? tk(`commit.via.${c.signedVia}`, c.signedVia) : ''} · {date(c.signedAt)}{' '}
                  <Link to={`/commitments/${c.id}`}>{t('mat.viewCommitment')}</Link>
                </div>
              ))}
            />
          )}
          <Typography.Title level={3} className="mz-section-title">{t('walkin.resolutions')}</Typography.Title>
          <div className="mz-materials" data-testid="walkin-materials">
            {app.materials.map((m) => (
              <MaterialPanel
                key={m.materialId}
                app={app}
                material={m}
                onChanged={setApp}
                evidenceOpen={false}
                inPersonSign={!app.applicant.hasAccount && check ? (commitmentId) => <InPersonSign app={app} commitmentId={commitmentId} check={check} onSigned={(c) => void onSigned(c)} /> : undefined}
              />
            ))}
          </div>
        </Space>
      )}

      {!app && (
        <div className="mz-apply-nav">
          {step > 0 && <Button size="large" onClick={() => setStep((s) => s - 1)} disabled={submitting} data-testid="walkin-prev">{t('apply.prev')}</Button>}
          {step < 2 && (
            <Button size="large" type="primary" onClick={() => setStep((s) => s + 1)} disabled={!canNext} data-testid="walkin-next">{t('apply.next')}</Button>
          )}
          {step === 2 && (
            <Button size="large" type="primary" icon={<SendOutlined />} loading={submitting} disabled={!usable} onClick={() => void submit()} data-testid="walkin-submit">
              {submitting ? t('walkin.submitting') : t('walkin.submit')}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
