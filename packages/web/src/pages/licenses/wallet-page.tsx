import { useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Col, Descriptions, Empty, Input, InputNumber, Modal, Radio, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { DownloadOutlined, QrcodeOutlined, SafetyOutlined } from '@ant-design/icons';
import { ApiError, asApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert, PageLoading } from '../../shell/feedback';
import { formatDateTime } from '../../shell/i18n/i18n';
import { licensesApi, type CreatedPresentation, type WalletLicense } from './licenses-api';
import { LicenseQr, StatusTag } from './components';
import { useLicenseText } from './messages';


function Countdown({ until, onExpired }: { until: string; onExpired?: () => void }) {
  const { t } = useLicenseText();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.round((Date.parse(until) - now) / 1000));
  useEffect(() => { if (left === 0) onExpired?.(); }, [left, onExpired]);
  return <Typography.Text type={left > 30 ? 'secondary' : 'danger'} data-testid="presentation-countdown">{left > 0 ? t('present.remaining', { n: left }) : t('present.expired')}</Typography.Text>;
}

function PresentModal({ license, onClose }: { license: WalletLicense; onClose: () => void }) {
  const { t } = useLicenseText();
  const { message } = AntApp.useApp();
  const verifiers = useApi((signal) => licensesApi.verifiers(signal), []);
  const departments = useApi((signal) => licensesApi.departments(undefined, signal), []);
  const disclosable = license.fields.filter((f) => f.disclosable);
  const always = license.fields.filter((f) => !f.disclosable);
  const [chosen, setChosen] = useState<string[]>(['holderName']);
  const [audience, setAudience] = useState<string>('');
  const [seconds, setSeconds] = useState(180);
  const [run, busy] = useAction();
  const [error, setError] = useState<ApiError>();
  const [created, setCreated] = useState<CreatedPresentation>();

  const audienceOptions = useMemo(() => [
    { value: '', label: t('present.anyone') },
    ...(verifiers.data?.items ?? []).map((v) => ({ value: `account:${v.id}`, label: v.name })),
    ...(departments.data?.items ?? []).map((d) => ({ value: `department:${d.id}`, label: d.name })),
  ], [verifiers.data, departments.data, t]);

  const create = async () => {
    await run(
      async () => {
        setError(undefined);
        const [kind, id] = audience ? (audience.split(/:(.*)/) as ['account' | 'department', string]) : [undefined, undefined];
        setCreated(await licensesApi.present(license.id, { fields: chosen, audience: kind && id ? { kind, id } : null, expiresInSeconds: seconds }));
      },
      { onError: (error) => setError(error) },
    );
  };

  return (
    <Modal open title={`${t('present.title')} · ${license.licenseType.name}`} onCancel={onClose} footer={null} width={560} destroyOnHidden>
      <div data-testid="present-modal">
      {!created ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <div>
            <Typography.Text strong>{t('present.fields')}</Typography.Text>
            <Checkbox.Group value={chosen} onChange={(v) => setChosen(v as string[])} style={{ display: 'flex', flexDirection: 'column', gap: 6, marginTop: 8 }}>
              {disclosable.map((f) => (
                <Checkbox key={f.name} value={f.name} data-testid={`present-field-${f.name}`}>{f.label}:{String(f.value)}</Checkbox>
              ))}
            </Checkbox.Group>
            {always.length > 0 && (
              <div style={{ marginTop: 8 }}>
                {always.map((f) => <Tag key={f.name}>{f.label}({t('present.always')})</Tag>)}
              </div>
            )}
          </div>
          <div>
            <Typography.Text strong>{t('present.audience')}</Typography.Text>
            <Select value={audience} onChange={setAudience} options={audienceOptions} showSearch optionFilterProp="label" style={{ width: '100%', marginTop: 8 }} data-testid="present-audience" />
          </div>
          <div>
            <Typography.Text strong>{t('present.expires')}</Typography.Text>
            <Radio.Group value={seconds} onChange={(e) => setSeconds(e.target.value as number)} style={{ display: 'block', marginTop: 8 }}>
              {[60, 120, 180, 300].map((s) => <Radio.Button key={s} value={s}>{t('present.seconds', { n: s })}</Radio.Button>)}
            </Radio.Group>
          </div>
          {error && <ApiErrorAlert error={error} />}
          <Button type="primary" icon={<QrcodeOutlined />} loading={busy} onClick={() => void create()} data-testid="present-create">{t('present.create')}</Button>
        </Space>
      ) : (
        <Space orientation="vertical" align="center" style={{ width: '100%' }} data-testid="presentation">
          <LicenseQr text={created.text} />
          <Typography.Text>{t('present.qrHint')}</Typography.Text>
          {created.audience && <Tag color="blue">{created.audience.name}</Tag>}
          <Countdown until={created.expiresAt} />
          <Input.TextArea readOnly value={created.text} rows={3} className="mz-mono mz-small" data-testid="presentation-text" />
          <Button onClick={() => void navigator.clipboard?.writeText(created.text).then(() => message.success(t('present.copied')))}>{t('present.copy')}</Button>
        </Space>
      )}
      </div>
    </Modal>
  );
}

function GrantModal({ license, onClose, onDone }: { license: WalletLicense; onClose: () => void; onDone: () => void }) {
  const { t } = useLicenseText();
  const { message } = AntApp.useApp();
  const departments = useApi((signal) => licensesApi.departments(undefined, signal), []);
  const [departmentId, setDepartmentId] = useState<string>();
  const [q, setQ] = useState('');
  const items = useApi((signal) => licensesApi.serviceItems(q || undefined, undefined, signal), [q]);
  const [serviceItemCode, setServiceItemCode] = useState<string>();
  const [applicationRef, setApplicationRef] = useState('');
  const [days, setDays] = useState(30);
  const [error, setError] = useState<ApiError>();
  const [run, busy] = useAction();
  const submit = async () => {
    if (!departmentId) return;
    await run(async () => {
      await licensesApi.grant(license.id, {
        departmentId, serviceItemCode: serviceItemCode || undefined, applicationRef: applicationRef.trim() || undefined,
        validUntil: new Date(Date.now() + days * 86_400_000).toISOString(),
      });
      message.success(t('grant.ok'));
      onDone();
    }, { onError: setError });
  };
  return (
    <Modal open title={`${t('grant.title')} · ${license.licenseType.name}`} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={t('common.ok')} cancelText={t('common.cancel')} okButtonProps={{ disabled: !departmentId, 'data-testid': 'grant-submit' } as ButtonProps} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text strong>{t('grant.department')}</Typography.Text>
        <Select showSearch optionFilterProp="label" value={departmentId} onChange={setDepartmentId} style={{ width: '100%' }} data-testid="grant-department"
          options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        <Typography.Text strong>{t('grant.serviceItem')}</Typography.Text>
        <Select showSearch filterOption={false} onSearch={setQ} value={serviceItemCode} onChange={setServiceItemCode} allowClear style={{ width: '100%' }} data-testid="grant-service-item"
          options={(items.data?.items ?? []).map((s) => ({ value: s.code, label: `${s.name}(${s.regionName})` }))} />
        <Input placeholder={t('grant.applicationRef')} value={applicationRef} onChange={(e) => setApplicationRef(e.target.value)} />
        <Typography.Text strong>{t('grant.days')}</Typography.Text>
        <InputNumber min={1} max={366} value={days} onChange={(v) => setDays(v ?? 30)} />
        {error && <ApiErrorAlert error={error} />}
      </Space>
    </Modal>
  );
}

function LicenseCard({ license, onChanged }: { license: WalletLicense; onChanged: () => void }) {
  const { t, pick } = useLicenseText();
  const { locale } = useLicenseText();
  const { message } = AntApp.useApp();
  const [presenting, setPresenting] = useState(false);
  const [granting, setGranting] = useState(false);
  const usable = license.status === 'valid' && !license.expired;
  const revokeGrant = async (id: string) => {
    try {
      await licensesApi.revokeGrant(id);
      onChanged();
    } catch (e) {
      message.error(asApiError(e).localized(locale));
    }
  };
  return (
    <Card
      className="mz-card"
      data-testid={`wallet-license-${license.licenseType.code}`}
      data-license-id={license.id}
      title={<Space><SafetyOutlined />{license.licenseType.name}<StatusTag status={license.status} expired={license.expired} /></Space>}
      extra={
        <Space wrap>
          <Button type="primary" icon={<QrcodeOutlined />} disabled={!usable} onClick={() => setPresenting(true)} data-testid="wallet-present">{t('wallet.present')}</Button>
          <Button disabled={!usable} onClick={() => setGranting(true)} data-testid="wallet-grant">{t('wallet.grant')}</Button>
          <Button icon={<DownloadOutlined />} href={licensesApi.documentUrl(license.id)} target="_blank">{t('wallet.download')}</Button>
        </Space>
      }
    >
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('verify.issuer')}>{license.issuer.name}</Descriptions.Item>
        <Descriptions.Item label={t('verify.validity')}>{license.validFrom} — {license.validUntil ?? t('verify.indefinite')}</Descriptions.Item>
        <Descriptions.Item label={t('wallet.number')}>{license.licenseNumber}</Descriptions.Item>
        <Descriptions.Item label={t('wallet.identifier')}><span className="mz-mono mz-small" data-testid="wallet-identifier">{license.identifier}</span></Descriptions.Item>
      </Descriptions>
      <Tabs size="small" items={[
        {
          key: 'fields', label: t('wallet.fields'),
          children: <Descriptions size="small" column={1} bordered>{license.fields.map((f) => <Descriptions.Item key={f.name} label={f.label}>{String(f.value)}</Descriptions.Item>)}</Descriptions>,
        },
        {
          key: 'grants', label: `${t('wallet.grants')} (${license.grants.length})`,
          children: license.grants.length === 0 ? <Empty description={t('wallet.noGrants')} /> : (
            <Table size="small" rowKey="id" pagination={false} dataSource={license.grants} columns={[
              { title: t('grant.department'), render: (_, g) => g.department.name },
              { title: t('grant.serviceItem'), render: (_, g) => g.serviceItemName ?? g.applicationRef },
              { title: t('verify.validity'), render: (_, g) => formatDateTime(g.validUntil, locale) },
              { title: '', render: (_, g) => <Tag color={g.state === 'live' ? 'green' : 'default'}>{t(`wallet.grantState.${g.state}`)}</Tag> },
              { title: '', render: (_, g) => g.state === 'live' ? <Button size="small" danger onClick={() => void revokeGrant(g.id)}>{t('wallet.revokeGrant')}</Button> : null },
            ]} />
          ),
        },
        {
          key: 'uses', label: `${t('wallet.uses')} (${license.uses.length})`,
          children: license.uses.length === 0 ? <Empty description={t('wallet.noUses')} /> : (
            <Table size="small" rowKey="id" pagination={license.uses.length > 10 ? { pageSize: 10 } : false} dataSource={license.uses} columns={[
              { title: '', render: (_, u) => formatDateTime(u.at, locale), width: 170 },
              { title: t('grant.department'), dataIndex: 'accessorName' },
              { title: '', dataIndex: 'purpose' },
              { title: '', dataIndex: 'outcome', render: (o: string) => <Tag>{o}</Tag> },
            ]} />
          ),
        },
        ...(license.statusHistory.length > 0 ? [{
          key: 'history', label: t('wallet.history'),
          children: <ul>{license.statusHistory.map((h) => <li key={h.at}>{formatDateTime(h.at, locale)} {pick(`${h.from} → ${h.to}`, `${h.from} → ${h.to}`)}:{h.reason}</li>)}</ul>,
        }] : []),
      ]} />
      {presenting && <PresentModal license={license} onClose={() => { setPresenting(false); onChanged(); }} />}
      {granting && <GrantModal license={license} onClose={() => setGranting(false)} onDone={() => { setGranting(false); onChanged(); }} />}
    </Card>
  );
}

export default function WalletPage() {
  const { t } = useLicenseText();
  const wallet = useApi((signal) => licensesApi.wallet(signal), []);
  return (
    <div className="mz-page" data-testid="wallet-page">
      <Typography.Title level={2} className="mz-page-title">{t('wallet.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('wallet.subtitle')}</Typography.Paragraph>
      {wallet.loading && !wallet.data && <PageLoading />}
      {wallet.error && <ApiErrorAlert error={wallet.error} onRetry={wallet.reload} />}
      {wallet.data && wallet.data.items.length === 0 && <Empty description={t('wallet.empty')} />}
      <Row gutter={[16, 16]}>
        {wallet.data?.items.map((l) => <Col key={l.id} xs={24} xl={12}><LicenseCard license={l} onChanged={wallet.reload} /></Col>)}
      </Row>
    </div>
  );
}
