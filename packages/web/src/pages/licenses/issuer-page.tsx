import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Result, Select, Space, Table, Tabs, Typography, Upload } from 'antd';
import type { ButtonProps, UploadProps } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { formFieldErrors } from '../../api/form-errors';
import { ApiError, asApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../identity/auth-context';
import { ApiErrorAlert, PageLoading } from '../../shell/feedback';
import { formatDateTime } from '../../shell/i18n/i18n';
import { licensesApi, type BatchError, type IssuedLicense, type IssuerLicense, type LicenseType } from './licenses-api';
import { StatusTag } from './components';
import { useLicenseText } from './messages';


function TypePicker({ types, value, onChange }: { types: LicenseType[]; value?: string; onChange: (code: string) => void }) {
  return <Select value={value} onChange={onChange} style={{ minWidth: 280 }} data-testid="issuer-type" options={types.map((x) => ({ value: x.code, label: `${x.name}(${x.code})` }))} />;
}

/** The issue form's field an API field names (`holder.code`, `fields.<name>`, `validUntil` …), if the form shows it. */
function issueFormField(type: LicenseType, field: string): string | undefined {
  if (field === 'holder.code') return 'holderCode';
  if (field === 'holder.name') return 'holderName';
  if (field === 'validFrom' || field === 'validUntil') return field;
  const name = field.startsWith('fields.') ? field.slice('fields.'.length) : undefined;
  return name !== undefined && type.fields.some((f) => f.name === name) ? `f_${name}` : undefined;
}

function IssueTab({ types }: { types: LicenseType[] }) {
  const { t, locale } = useLicenseText();
  const [code, setCode] = useState(types[0]?.code);
  const type = types.find((x) => x.code === code);
  const [form] = Form.useForm();
  const [run, busy] = useAction();
  const [error, setError] = useState<ApiError>();
  const [issued, setIssued] = useState<IssuedLicense>();

  const submit = async (values: Record<string, string>) => {
    if (!type) return;
    await run(
      async () => {
        setError(undefined);
        setIssued(undefined);
        const fields: Record<string, string | number> = {};
        for (const f of type.fields) {
          const v = values[`f_${f.name}`];
          if (v !== undefined && v !== '') fields[f.name] = f.type === 'number' ? Number(v) : v;
        }
        setIssued(await licensesApi.issue({
          typeCode: type.code, holder: { code: values.holderCode!.trim(), name: values.holderName!.trim() }, fields,
          validFrom: values.validFrom || undefined, validUntil: values.validUntil || undefined, suite: values.suite || 'SM2-SM3',
        }));
        form.resetFields();
      },
      // a wrong check character, a missing field, a bad date: under the field named, every violation
      { onError: formFieldErrors<Record<string, string>>(form, (field) => issueFormField(type, field), locale, setError) },
    );
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space><Typography.Text strong>{t('issuer.type')}</Typography.Text><TypePicker types={types} value={code} onChange={setCode} /></Space>
      {type && (
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v as Record<string, string>)} style={{ maxWidth: 640 }} initialValues={{ suite: 'SM2-SM3' }}>
          <Form.Item name="holderName" label={t('issuer.holderName')} rules={[{ required: true }]}><Input data-testid="issue-holder-name" /></Form.Item>
          <Form.Item name="holderCode" label={`${t('issuer.holderCode')}(${t(type.holderKind === '111' ? 'types.identifies.person' : 'types.identifies.enterprise')})`} rules={[{ required: true }]}>
            <Input className="mz-mono" maxLength={18} data-testid="issue-holder-code" />
          </Form.Item>
          {type.fields.map((f) => (
            <Form.Item key={f.name} name={`f_${f.name}`} label={f.disclosable ? f.label : `${f.label}(${t('present.always')})`} rules={[{ required: f.required }]} tooltip={f.type === 'date' ? 'YYYY-MM-DD' : undefined}>
              {f.type === 'enum'
                ? <Select options={(f.enumValues ?? []).map((v) => ({ value: v, label: v }))} data-testid={`issue-field-${f.name}`} />
                : <Input placeholder={f.type === 'date' ? 'YYYY-MM-DD' : undefined} data-testid={`issue-field-${f.name}`} />}
            </Form.Item>
          ))}
          <Space wrap>
            <Form.Item name="validFrom" label={t('issuer.validFrom')}><Input placeholder="YYYY-MM-DD" /></Form.Item>
            <Form.Item name="validUntil" label={t('issuer.validUntil')}><Input placeholder="YYYY-MM-DD" /></Form.Item>
            <Form.Item name="suite" label={t('issuer.suite')}><Select style={{ width: 160 }} options={[{ value: 'SM2-SM3', label: 'SM2-SM3' }, { value: 'Ed25519', label: 'Ed25519' }]} /></Form.Item>
          </Space>
          {error && <Alert type="error" showIcon title={error.localized(locale)} description={error.code} data-testid="issue-error" style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="issue-submit">{t('issuer.submit')}</Button>
        </Form>
      )}
      {issued && (
        <Result status="success" title={`${t('issuer.issued')}:${issued.typeName}`} data-testid="issued"
          subTitle={<Space orientation="vertical"><span className="mz-mono" data-testid="issued-identifier">{issued.identifier}</span><span>{issued.holderNameMask} {issued.holderMask} · {issued.suite} · {issued.keyId}</span></Space>} />
      )}
    </Space>
  );
}

function BatchTab({ types }: { types: LicenseType[] }) {
  const { t, pick } = useLicenseText();
  const [code, setCode] = useState(types[0]?.code);
  const [errors, setErrors] = useState<BatchError[]>();
  const [failure, setFailure] = useState<ApiError>();
  const [done, setDone] = useState<number>();
  const customRequest: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    if (!code) return;
    setErrors(undefined); setFailure(undefined); setDone(undefined);
    try {
      const r = await licensesApi.batch(code, file as File);
      setDone(r.issued);
      onSuccess?.(r);
    } catch (e) {
      const err = asApiError(e);
      const list = (err.details as { errors?: BatchError[] } | undefined)?.errors;
      if (list) setErrors(list); else setFailure(err);
      onError?.(err);
    }
  };
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text strong>{t('issuer.type')}</Typography.Text><TypePicker types={types} value={code} onChange={setCode} />
        {code && <Button icon={<DownloadOutlined />} href={licensesApi.templateUrl(code)}>{t('issuer.template')}</Button>}
      </Space>
      <Upload accept=".xlsx" maxCount={1} showUploadList={false} customRequest={customRequest} data-testid="batch-upload">
        <Button icon={<UploadOutlined />} type="primary">{t('issuer.upload')}</Button>
      </Upload>
      {done !== undefined && <Alert type="success" showIcon title={t('issuer.batchOk', { n: done })} data-testid="batch-ok" />}
      {failure && <ApiErrorAlert error={failure} />}
      {errors && (
        <>
          <Alert type="error" showIcon title={t('issuer.batchInvalid')} />
          <Table size="small" rowKey={(e) => `${e.row}:${e.column}:${e.reason}`} dataSource={errors} pagination={errors.length > 50 ? { pageSize: 50 } : false} data-testid="batch-errors"
            columns={[
              { title: t('issuer.row'), dataIndex: 'row', width: 80 },
              { title: t('issuer.column'), dataIndex: 'column', width: 180 },
              { title: t('issuer.reason'), render: (_, e) => pick(e.reason, e.reasonEn) },
            ]} />
        </>
      )}
    </Space>
  );
}

function IssuedTab({ types }: { types: LicenseType[] }) {
  const { t, locale } = useLicenseText();
  const { message } = AntApp.useApp();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [type, setType] = useState<string>();
  const [page, setPage] = useState(1);
  const list = useApi((signal) => licensesApi.issued({ q: search || undefined, type, page, pageSize: 20 }, signal), [search, type, page]);
  const [acting, setActing] = useState<{ license: IssuerLicense; action: 'suspend' | 'reinstate' | 'revoke' }>();
  const [reason, setReason] = useState('');
  const [runAct, busyAct] = useAction();
  const act = async () => {
    if (!acting) return;
    await runAct(async () => {
      await licensesApi.setStatus(acting.license.id, acting.action, reason);
      message.success(t('issuer.done', { action: t(`issuer.${acting.action}`) }));
      setActing(undefined);
      setReason('');
      list.reload();
    });
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search placeholder={t('issuer.search')} value={q} onChange={(e) => setQ(e.target.value)} onSearch={(v) => { setPage(1); setSearch(v.trim()); }} style={{ width: 360 }} allowClear data-testid="issued-search" />
        <Select allowClear placeholder={t('issuer.type')} value={type} onChange={(v) => { setPage(1); setType(v); }} style={{ width: 220 }} options={types.map((x) => ({ value: x.code, label: x.name }))} />
      </Space>
      {list.error && <ApiErrorAlert error={list.error} onRetry={list.reload} />}
      <Table<IssuerLicense> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        onRow={(r) => ({ 'data-testid': 'issued-row', 'data-identifier': r.identifier }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('issuer.type'), render: (_, r) => r.licenseType.name },
          { title: t('issuer.holder'), render: (_, r) => <span>{r.holderNameMask} <span className="mz-mono mz-small">{r.holderMask}</span></span> },
          { title: t('wallet.identifier'), render: (_, r) => <span className="mz-mono mz-small">{r.identifier}</span> },
          { title: t('wallet.issuedAt'), render: (_, r) => formatDateTime(r.issuedAt, locale), width: 160 },
          { title: '', render: (_, r) => <StatusTag status={r.status} /> },
          {
            title: t('issuer.actions'), render: (_, r) => (
              <Space>
                {r.status === 'valid' && <Button size="small" onClick={() => setActing({ license: r, action: 'suspend' })} data-testid="issued-suspend">{t('issuer.suspend')}</Button>}
                {r.status === 'suspended' && <Button size="small" onClick={() => setActing({ license: r, action: 'reinstate' })} data-testid="issued-reinstate">{t('issuer.reinstate')}</Button>}
                {r.status !== 'revoked' && <Button size="small" danger onClick={() => setActing({ license: r, action: 'revoke' })} data-testid="issued-revoke">{t('issuer.revoke')}</Button>}
              </Space>
            ),
          },
        ]} />
      <Modal open={!!acting} title={acting ? `${t(`issuer.${acting.action}`)} · ${acting.license.licenseType.name}` : ''} onCancel={() => setActing(undefined)} onOk={() => void act()} confirmLoading={busyAct}
        okText={t('common.ok')} cancelText={t('common.cancel')} okButtonProps={{ disabled: reason.trim().length < 2, danger: acting?.action === 'revoke', 'data-testid': 'status-confirm' } as ButtonProps}>
        <Input.TextArea rows={3} placeholder={t('issuer.reason.prompt')} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="status-reason" />
      </Modal>
    </Space>
  );
}

export default function IssuerPage() {
  const { t } = useLicenseText();
  const { user } = useAuth();
  const all = useApi((signal) => licensesApi.types(signal), []);
  const mine = useMemo(() => (all.data?.items ?? []).filter((x) => x.issuingDepartments.some((d) => d.id === user?.departmentId)), [all.data, user]);
  return (
    <div className="mz-page" data-testid="issuer-page">
      <Typography.Title level={2} className="mz-page-title">{t('issuer.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{user?.departmentName} · {t('issuer.subtitle')}</Typography.Paragraph>
      {all.loading && !all.data && <PageLoading />}
      {all.error && <ApiErrorAlert error={all.error} onRetry={all.reload} />}
      {all.data && mine.length === 0 && <Alert type="warning" showIcon title={t('issuer.noTypes')} />}
      {mine.length > 0 && (
        <Card className="mz-card">
          <Tabs items={[
            { key: 'issue', label: <span data-testid="issuer-tab-issue">{t('issuer.tabIssue')}</span>, children: <IssueTab types={mine} /> },
            { key: 'batch', label: <span data-testid="issuer-tab-batch">{t('issuer.tabBatch')}</span>, children: <BatchTab types={mine} /> },
            { key: 'list', label: <span data-testid="issuer-tab-list">{t('issuer.tabList')}</span>, children: <IssuedTab types={mine} /> },
          ]} />
        </Card>
      )}
    </div>
  );
}
