import { useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Descriptions, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ApiOutlined, DownloadOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { ApiError, asApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../identity/auth-context';
import { ApiErrorAlert } from '../../shell/feedback';
import { exchangeApi, type DirectoryViewer, type NodeMeta, type Provider, type Purposes, type Suite } from './exchange-api';
import { downloadJson, ms, percent, useDuration, usePurposeLabel } from './components';
import { useExchangeText } from './messages';

type Item = Provider['items'][number];

function SettingsModal({ provider, onClose, onSaved }: { provider: Provider; onClose: () => void; onSaved: () => void }) {
  const { t } = useExchangeText();
  const [form] = Form.useForm();
  const [error, setError] = useState<ApiError>();
  const save = async () => {
    const v = await form.validateFields();
    try {
      await exchangeApi.update(provider.id, { name: v.name, endpoint: v.endpoint, requestSuite: v.requestSuite, resilience: v.resilience });
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Modal open title={`${t('dir.edit')} · ${provider.name}`} onCancel={onClose} onOk={() => void save()} okText={t('common.ok')} cancelText={t('common.cancel')} destroyOnHidden width={640}>
      <Form form={form} layout="vertical" initialValues={{ name: provider.name, endpoint: provider.endpoint, requestSuite: provider.requestSuite, resilience: provider.resilience }} data-testid="settings-form">
        <Form.Item name="name" label={t('dir.name')} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="endpoint" label={t('dir.endpoint')} rules={[{ required: true }]}><Input className="mz-mono" /></Form.Item>
        <Form.Item name="requestSuite" label={t('dir.suite')}><Select options={[{ value: 'SM2-SM3', label: 'SM2-SM3' }, { value: 'Ed25519', label: 'Ed25519' }]} /></Form.Item>
        <Space wrap>
          <Form.Item name={['resilience', 'timeoutMs']} label={t('dir.timeoutMs')}><InputNumber min={100} max={30000} /></Form.Item>
          <Form.Item name={['resilience', 'maxAttempts']} label={t('dir.maxAttempts')}><InputNumber min={1} max={5} /></Form.Item>
          <Form.Item name={['resilience', 'concurrency']} label={t('dir.concurrency')}><InputNumber min={1} max={512} /></Form.Item>
          <Form.Item name={['resilience', 'breakerThreshold']} label={t('dir.breakerThreshold')}><InputNumber min={1} max={100} /></Form.Item>
          <Form.Item name={['resilience', 'breakerHalfOpenMs']} label={t('dir.breakerHalfOpenMs')}><InputNumber min={500} max={600000} /></Form.Item>
        </Space>
      </Form>
      {error && <ApiErrorAlert error={error} />}
    </Modal>
  );
}

function GrantsModal({ provider, item, purposes, onClose, onSaved }: { provider: Provider; item: Item; purposes: Purposes; onClose: () => void; onSaved: () => void }) {
  const { t } = useExchangeText();
  const purpose = usePurposeLabel(purposes);
  const departments = useApi((signal) => exchangeApi.departments(signal), []);
  const [form] = Form.useForm<{ grants: Array<{ consumerDepartmentId: string; purposes: string[] }> }>();
  const [error, setError] = useState<ApiError>();
  const save = async () => {
    const v = await form.validateFields();
    try {
      await exchangeApi.setGrants(provider.id, item.code, v.grants ?? []);
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Modal open title={`${t('dir.editGrants')} · ${item.name}`} onCancel={onClose} onOk={() => void save()} okText={t('common.ok')} cancelText={t('common.cancel')} destroyOnHidden width={760}>
      <Form form={form} initialValues={{ grants: item.grants.map((g) => ({ consumerDepartmentId: g.consumerDepartmentId, purposes: g.purposes })) }} data-testid="grants-form">
        <Form.List name="grants">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'consumerDepartmentId']} rules={[{ required: true }]}>
                    <Select showSearch optionFilterProp="label" style={{ width: 260 }} placeholder={t('dir.grantDept')} options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'purposes']} rules={[{ required: true, type: 'array', min: 1 }]}>
                    <Checkbox.Group options={Object.keys(purposes).map((p) => ({ value: p, label: purpose(p) }))} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ purposes: ['application_review'] })}>{t('dir.addGrant')}</Button>
            </>
          )}
        </Form.List>
      </Form>
      {error && <ApiErrorAlert error={error} />}
    </Modal>
  );
}

function ProofItemsModal({ provider, item, onClose, onSaved }: { provider: Provider; item: Item; onClose: () => void; onSaved: () => void }) {
  const { t } = useExchangeText();
  const [q, setQ] = useState(item.proofItems[0]?.name ?? '');
  const found = useApi((signal) => exchangeApi.proofItems(q, signal), [q]);
  const [chosen, setChosen] = useState<string[]>(item.proofItems.map((p) => p.id));
  const [error, setError] = useState<ApiError>();
  const known = new Map(item.proofItems.map((p) => [p.id, p.name ?? p.id]));
  for (const p of found.data?.items ?? []) known.set(p.id, `${p.name}(${p.regionName})`);
  const save = async () => {
    try {
      await exchangeApi.putItem(provider.id, item.code, item.definition, chosen);
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Modal open title={`${t('dir.editProofs')} · ${item.name}`} onCancel={onClose} onOk={() => void save()} okText={t('common.ok')} cancelText={t('common.cancel')} destroyOnHidden width={640}>
      <Select mode="multiple" style={{ width: '100%' }} value={chosen} onChange={setChosen} showSearch filterOption={false} onSearch={setQ}
        options={[...known].map(([value, label]) => ({ value, label }))} data-testid="proof-items-select" />
      {error && <ApiErrorAlert error={error} />}
    </Modal>
  );
}

function RegisterModal({ viewer, onClose, onSaved }: { viewer: DirectoryViewer | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useExchangeText();
  // a city's data administrator registers nodes of its region's departments only (the server refuses the others)
  const scope = viewer?.regionCode ?? null;
  const departments = useApi((signal) => exchangeApi.departments(signal, scope), [scope]);
  const [form] = Form.useForm<{ endpoint: string; id: string; name: string; departmentId: string; requestSuite: Suite; keyId: string; keySuite: Suite; publicKey: string }>();
  const [meta, setMeta] = useState<NodeMeta>();
  const [error, setError] = useState<ApiError>();
  const discover = async () => {
    setError(undefined);
    try {
      const m = await exchangeApi.discover(form.getFieldValue('endpoint'));
      setMeta(m);
      const k = m.keys[0];
      form.setFieldsValue({ id: m.node.id, name: m.node.name, keyId: k?.keyId, keySuite: k?.suite, publicKey: k?.publicKey });
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const save = async () => {
    const v = await form.validateFields();
    setError(undefined);
    try {
      await exchangeApi.register({ id: v.id, name: v.name, departmentId: v.departmentId, endpoint: v.endpoint, requestSuite: v.requestSuite, keys: [{ keyId: v.keyId, suite: v.keySuite, publicKey: v.publicKey }] });
      for (const def of meta?.items ?? []) await exchangeApi.putItem(v.id, def.code, def, []);
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Modal open title={t('dir.register')} onCancel={onClose} onOk={() => void save()} okText={t('common.ok')} cancelText={t('common.cancel')} destroyOnHidden width={720}>
      <Typography.Paragraph type="secondary">{t('dir.registerHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ requestSuite: 'SM2-SM3', keySuite: 'SM2-SM3' }} data-testid="register-form">
        <Form.Item label={t('dir.endpoint')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="endpoint" noStyle rules={[{ required: true }]}><Input className="mz-mono" placeholder="http://10.1.2.3:8181" /></Form.Item>
            <Button onClick={() => void discover()} icon={<ApiOutlined />}>{t('dir.discover')}</Button>
          </Space.Compact>
        </Form.Item>
        {meta && <Typography.Text type="success">{t('dir.discovered', { n: meta.items.length, k: meta.keys.length })}</Typography.Text>}
        <Space wrap>
          <Form.Item name="id" label={t('dir.id')} rules={[{ required: true, pattern: /^[A-Za-z0-9._-]{1,64}$/ }]}><Input className="mz-mono" /></Form.Item>
          <Form.Item name="name" label={t('dir.name')} rules={[{ required: true }]}><Input style={{ width: 320 }} /></Form.Item>
        </Space>
        <Form.Item name="departmentId" label={t('dir.department')} rules={[{ required: true }]} extra={scope ? t('dir.departmentScope', { region: viewer?.regionName ?? scope }) : undefined}>
          <Select showSearch optionFilterProp="label" options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="requestSuite" label={t('dir.suite')}><Select options={[{ value: 'SM2-SM3', label: 'SM2-SM3' }, { value: 'Ed25519', label: 'Ed25519' }]} /></Form.Item>
        <Space wrap>
          <Form.Item name="keyId" label={t('dir.keyId')} rules={[{ required: true }]}><Input className="mz-mono" style={{ width: 300 }} /></Form.Item>
          <Form.Item name="keySuite" label="Suite"><Select style={{ width: 130 }} options={[{ value: 'SM2-SM3', label: 'SM2-SM3' }, { value: 'Ed25519', label: 'Ed25519' }]} /></Form.Item>
        </Space>
        <Form.Item name="publicKey" label={t('dir.publicKey')} rules={[{ required: true }]}><Input.TextArea className="mz-mono" autoSize /></Form.Item>
      </Form>
      {error && <ApiErrorAlert error={error} />}
    </Modal>
  );
}

function ProviderDetail({ provider, purposes, admin, refusal, onChanged }: { provider: Provider; purposes: Purposes; admin: boolean; refusal: string | undefined; onChanged: () => void }) {
  const { t, reason } = useExchangeText();
  const { message } = AntApp.useApp();
  const purpose = usePurposeLabel(purposes);
  const [grantsFor, setGrantsFor] = useState<Item>();
  const [proofsFor, setProofsFor] = useState<Item>();
  const [run] = useAction();
  const columns: TableColumnsType<Item> = [
    { title: t('dir.item'), dataIndex: 'name', render: (name: string, i) => <Space orientation="vertical" size={0}><span>{name}</span><Typography.Text type="secondary" className="mz-mono">{i.code}</Typography.Text></Space> },
    { title: t('dir.kind'), render: (_: unknown, i) => t(i.definition.kind === 'question' ? 'dir.kind.question' : 'dir.kind.record') },
    { title: t('dir.params'), render: (_: unknown, i) => i.definition.params.map((p) => p.label).join('、') },
    { title: t('dir.answer'), responsive: ['xl'], render: (_: unknown, i) => i.definition.answer.map((f) => f.label).join('、') },
    { title: t('dir.proofItems'), render: (_: unknown, i) => i.proofItems.map((p) => <Tag key={p.id} color="blue" title={p.id}>{p.name ?? p.id}</Tag>) },
    { title: t('dir.grants'), render: (_: unknown, i) => i.grants.map((g) => <Tooltip key={g.consumerDepartmentId} title={g.purposes.map(purpose).join('、')}><Tag>{g.consumerName}</Tag></Tooltip>) },
    ...(admin ? [{
      title: t('dir.actions'), width: 220, render: (_: unknown, i: Item) => (
        <Tooltip title={refusal}>
          <Space size={0} wrap data-testid={`item-actions-${i.code}`}>
            <Button type="link" size="small" disabled={!!refusal} onClick={() => setGrantsFor(i)} data-testid={`edit-grants-${i.code}`}>{t('dir.editGrants')}</Button>
            <Button type="link" size="small" disabled={!!refusal} onClick={() => setProofsFor(i)}>{t('dir.editProofs')}</Button>
            <Popconfirm disabled={!!refusal} title={t('dir.removeConfirm', { name: i.name })} onConfirm={() => run(async () => { await exchangeApi.removeItem(provider.id, i.code); message.success(t('dir.saved')); onChanged(); })}>
              <Button type="link" size="small" danger disabled={!!refusal}>{t('dir.removeItem')}</Button>
            </Popconfirm>
          </Space>
        </Tooltip>
      ),
    }] : []),
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`provider-detail-${provider.id}`}>
      <Table<Item> rowKey="code" size="small" pagination={false} columns={columns} dataSource={provider.items} title={() => t('dir.items')} />
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('dir.keys')}>
          {provider.keys.length === 0 ? t('dir.none') : provider.keys.map((k) => (
            <div key={k.keyId}><Tag color={k.status === 'active' ? 'green' : 'default'}>{k.status}</Tag><span className="mz-mono">{k.keyId}</span> · {k.suite} · <span className="mz-mono">{k.publicKey.slice(0, 16)}…</span></div>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('dir.rejections')}>
          {provider.quality.rejectedByReason.length === 0 ? t('dir.noRejections') : provider.quality.rejectedByReason.map((r) => (
            <Tag key={`${r.reason}-${r.sent}`} color={r.sent ? 'red' : 'default'} data-testid="rejection-reason" data-reason={r.reason}>{reason(r.reason)} × {r.count}</Tag>
          ))}
        </Descriptions.Item>
      </Descriptions>
      {grantsFor && <GrantsModal provider={provider} item={grantsFor} purposes={purposes} onClose={() => setGrantsFor(undefined)} onSaved={() => { setGrantsFor(undefined); message.success(t('dir.saved')); onChanged(); }} />}
      {proofsFor && <ProofItemsModal provider={provider} item={proofsFor} onClose={() => setProofsFor(undefined)} onSaved={() => { setProofsFor(undefined); message.success(t('dir.saved')); onChanged(); }} />}
    </Space>
  );
}

/** 数据共享目录: nodes, items, grants and data quality (data administrators manage; supervisors read). */
export default function DirectoryPage() {
  const { t } = useExchangeText();
  const { message } = AntApp.useApp();
  const { hasAnyRole } = useAuth();
  const admin = hasAnyRole(['data_admin']);
  const directory = useApi((signal) => exchangeApi.providers(signal), []);
  const duration = useDuration();
  const [editing, setEditing] = useState<Provider>();
  const [registering, setRegistering] = useState(false);
  const purposes = directory.data?.purposes ?? {};
  // a city's data administrator reads every node but changes only those of its region's departments
  const viewer = directory.data?.viewer ?? null;
  const scopeName = viewer?.regionCode ? (viewer.regionName ?? viewer.regionCode) : undefined;
  const refusal = (p: Provider) => (admin && !p.mayChange
    ? t('dir.outOfRegion', { dept: p.departmentName, region: p.departmentRegionName ?? p.departmentRegionCode, scope: scopeName ?? '' })
    : undefined);

  // each failure (network, 4xx) is a message in the user's language, not an unhandled rejection
  const [run] = useAction();
  const probe = (p: Provider) => run(async () => {
    const r = await exchangeApi.probe(p.id);
    if (r.ok) message.success(t('dir.probeOk', { ms: r.latencyMs.toFixed(1) }));
    else message.error(t('dir.probeFail', { detail: r.detail }));
  });
  const toggle = (p: Provider) => run(async () => {
    await exchangeApi.update(p.id, { status: p.status === 'active' ? 'suspended' : 'active' });
    message.success(t('dir.saved'));
    directory.reload();
  });
  const downloadNodeConfig = (p: Provider) => run(async () => downloadJson(`${p.id}-consumers.json`, await exchangeApi.nodeConfig(p.id)));

  const columns: TableColumnsType<Provider> = [
    { title: t('dir.node'), dataIndex: 'name', width: 280, fixed: 'left', render: (name: string, p) => <Space orientation="vertical" size={0}><Typography.Text strong>{name}</Typography.Text><Typography.Text type="secondary" className="mz-mono">{p.id}</Typography.Text></Space> },
    { title: t('dir.department'), dataIndex: 'departmentName', width: 170, responsive: ['lg'] },
    { title: t('dir.endpoint'), dataIndex: 'endpoint', width: 190, responsive: ['xl'], render: (e: string) => <span className="mz-mono">{e}</span> },
    { title: t('dir.status'), dataIndex: 'status', width: 90, render: (s: 'active' | 'suspended') => <Tag color={s === 'active' ? 'green' : 'default'}>{t(`status.${s}`)}</Tag> },
    { title: t('dir.breaker'), dataIndex: 'breaker', width: 100, render: (b: string) => <Tag color={b === 'open' ? 'red' : b === 'closed' ? 'green' : 'default'}>{t(`breaker.${b}` as 'breaker.open')}</Tag> },
    { title: t('dir.availability'), width: 100, align: 'right', render: (_: unknown, p) => <span data-testid="quality-availability">{percent(p.quality.availability)}</span> },
    { title: t('dir.latency'), width: 130, align: 'right', render: (_: unknown, p) => `${ms(p.quality.latencyP50Ms)} / ${ms(p.quality.latencyP99Ms)} ms` },
    { title: t('dir.errorRate'), width: 90, align: 'right', render: (_: unknown, p) => percent(p.quality.errorRate) },
    { title: t('dir.staleness'), width: 120, align: 'right', responsive: ['lg'], render: (_: unknown, p) => duration(p.quality.stalenessP50S) },
    { title: t('dir.calls'), width: 90, align: 'right', render: (_: unknown, p) => p.quality.sent },
    ...(admin ? [{
      title: t('dir.actions'), width: 260, render: (_: unknown, p: Provider) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => void probe(p)} data-testid={`probe-${p.id}`}>{t('dir.probe')}</Button>
          <Tooltip title={refusal(p)}>
            <Space size={0} data-testid={`provider-actions-${p.id}`} data-may-change={p.mayChange}>
              <Button type="link" size="small" disabled={!p.mayChange} onClick={() => setEditing(p)}>{t('dir.edit')}</Button>
              <Button type="link" size="small" disabled={!p.mayChange} onClick={() => void toggle(p)} danger={p.status === 'active'}>{p.status === 'active' ? t('dir.suspend') : t('dir.activate')}</Button>
            </Space>
          </Tooltip>
          <Tooltip title={t('dir.nodeConfig')}><Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => void downloadNodeConfig(p)} /></Tooltip>
        </Space>
      ),
    }] : []),
  ];

  return (
    <div className="mz-page" data-testid="exchange-directory-page">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={2} className="mz-page-title">{t('dir.title')}</Typography.Title>
        {admin ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)} data-testid="register-node">{t('dir.register')}</Button> : <Tag>{t('dir.readOnly')}</Tag>}
      </Space>
      <Typography.Paragraph type="secondary">{t('dir.subtitle')}</Typography.Paragraph>
      {admin && scopeName && <Typography.Paragraph><Tag color="blue" data-testid="directory-scope">{t('dir.scope', { region: scopeName })}</Tag></Typography.Paragraph>}
      {directory.error ? <ApiErrorAlert error={directory.error} onRetry={directory.reload} /> : (
        <Card className="mz-card">
          <Table<Provider>
            rowKey="id" columns={columns} dataSource={directory.data?.items ?? []} loading={directory.loading} pagination={false} data-testid="provider-table" scroll={{ x: 1560 }}
            onRow={(p) => ({ 'data-testid': 'provider-row', 'data-provider': p.id }) as React.HTMLAttributes<HTMLElement>}
            expandable={{ expandedRowRender: (p) => <ProviderDetail provider={p} purposes={purposes} admin={admin} refusal={refusal(p)} onChanged={directory.reload} /> }}
          />
        </Card>
      )}
      {editing && <SettingsModal provider={editing} onClose={() => setEditing(undefined)} onSaved={() => { setEditing(undefined); message.success(t('dir.saved')); directory.reload(); }} />}
      {registering && <RegisterModal viewer={viewer} onClose={() => setRegistering(false)} onSaved={() => { setRegistering(false); message.success(t('dir.saved')); directory.reload(); }} />}
    </div>
  );
}
