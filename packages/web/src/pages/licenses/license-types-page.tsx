import { useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { ApiError, asApiError } from '../../api/http';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert } from '../../shell/feedback';
import { licensesApi, type FieldDefinition, type LicenseType, type LicenseTypeInput } from './licenses-api';
import { useLicenseText } from './messages';
import { labelColon } from '../../shell/i18n/i18n';


interface FormValues {
  code: string; name: string; definingAgencyName: string; holderKind: '111' | '001'; legalBasis: string; description?: string;
  issuingDepartmentIds: string[]; validityYears?: number | null;
  fields: (Omit<FieldDefinition, 'enumValues'> & { enumValues?: string })[];
}

function TypeModal({ type, onClose, onSaved }: { type?: LicenseType; onClose: () => void; onSaved: () => void }) {
  const { t } = useLicenseText();
  const [form] = Form.useForm<FormValues>();
  const departments = useApi((signal) => licensesApi.departments(undefined, signal), []);
  const [error, setError] = useState<ApiError>();
  const initial: Partial<FormValues> = type ? {
    ...type, issuingDepartmentIds: type.issuingDepartments.map((d) => d.id), validityYears: type.validity.kind === 'years' ? type.validity.years : null,
    fields: type.fields.map((f) => ({ ...f, enumValues: f.enumValues?.join('、') })),
  } : { holderKind: '111', fields: [{ name: '', label: '', type: 'string', required: true, disclosable: true }], issuingDepartmentIds: [] };
  const save = async () => {
    const v = await form.validateFields();
    const input: LicenseTypeInput = {
      code: v.code.trim(), name: v.name.trim(), definingAgencyName: v.definingAgencyName.trim(), holderKind: v.holderKind, legalBasis: v.legalBasis.trim(), description: v.description ?? '',
      issuingDepartmentIds: v.issuingDepartmentIds, validity: v.validityYears ? { kind: 'years', years: v.validityYears } : { kind: 'none' },
      fields: v.fields.map((f) => ({
        name: f.name.trim(), label: f.label.trim(), type: f.type, required: !!f.required, disclosable: !!f.disclosable,
        ...(f.type === 'enum' ? { enumValues: (f.enumValues ?? '').split(/[、,,]/).map((s) => s.trim()).filter(Boolean) } : {}),
        // what a text field's value identifies (a person named by the license gets its own access-log entries); kept through an edit
        ...(f.type === 'string' && f.identifies ? { identifies: f.identifies } : {}),
      })),
    };
    setError(undefined);
    try {
      if (type) {
        const { code: _code, ...patch } = input;
        await licensesApi.updateType(type.code, patch);
      } else await licensesApi.createType(input);
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Modal open width={900} title={type ? `${t('types.edit')} · ${type.name}` : t('types.new')} onCancel={onClose} onOk={() => void save()} okText={t('common.ok')} cancelText={t('common.cancel')} destroyOnHidden>
      <div data-testid="type-modal">
      <Form form={form} layout="vertical" initialValues={initial}>
        <Space wrap>
          <Form.Item name="code" label={t('types.code')} rules={[{ required: true, len: 21 }]}><Input className="mz-mono" style={{ width: 260 }} disabled={!!type} /></Form.Item>
          <Form.Item name="name" label={t('types.name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="definingAgencyName" label={t('types.agency')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="holderKind" label={t('types.holderKind')}><Select style={{ width: 200 }} options={[{ value: '111', label: `111 ${t('types.identifies.person')}` }, { value: '001', label: `001 ${t('types.identifies.enterprise')}` }]} /></Form.Item>
          <Form.Item name="validityYears" label={`${t('types.validity')}(${t('types.years', { n: 'N' })})`}><InputNumber min={1} max={100} placeholder={t('types.none')} /></Form.Item>
        </Space>
        <Form.Item name="legalBasis" label={t('types.legalBasis')} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="issuingDepartmentIds" label={t('types.departments')} rules={[{ required: true }]}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Typography.Text strong>{t('types.fields')}</Typography.Text>
        <Form.List name="fields">
          {(items, { add, remove }) => (
            <>
              {items.map((item) => (
                <Space key={item.key} align="baseline" wrap>
                  <Form.Item name={[item.name, 'name']} rules={[{ required: true }]}><Input placeholder={t('types.fieldName')} style={{ width: 150 }} /></Form.Item>
                  <Form.Item name={[item.name, 'label']} rules={[{ required: true }]}><Input placeholder={t('types.fieldLabel')} style={{ width: 140 }} /></Form.Item>
                  <Form.Item name={[item.name, 'type']}><Select style={{ width: 100 }} options={['string', 'date', 'number', 'enum'].map((x) => ({ value: x, label: x }))} /></Form.Item>
                  <Form.Item name={[item.name, 'enumValues']}><Input placeholder={t('types.enumValues')} style={{ width: 170 }} /></Form.Item>
                  <Form.Item name={[item.name, 'identifies']} tooltip={t('types.identifiesHelp')}>
                    <Select data-testid={`type-field-identifies-${item.name}`} allowClear placeholder={t('types.identifies')} style={{ width: 170 }} options={(['person', 'enterprise', 'none'] as const).map((x) => ({ value: x, label: t(`types.identifies.${x}`) }))} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'required']} valuePropName="checked"><Checkbox>{t('types.required')}</Checkbox></Form.Item>
                  <Form.Item name={[item.name, 'disclosable']} valuePropName="checked"><Checkbox>{t('types.disclosable')}</Checkbox></Form.Item>
                  <MinusCircleOutlined onClick={() => remove(item.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ type: 'string', required: false, disclosable: true })}>{t('types.addField')}</Button>
            </>
          )}
        </Form.List>
        {error && <div style={{ marginTop: 16 }}><ApiErrorAlert error={error} /></div>}
      </Form>
      </div>
    </Modal>
  );
}

function LinkModal({ type, onClose, onSaved }: { type: LicenseType; onClose: () => void; onSaved: () => void }) {
  const { t } = useLicenseText();
  const items = useApi((signal) => licensesApi.eLicenseProofItems(signal), []);
  const [value, setValue] = useState<string[]>(type.proofItems.map((p) => p.id));
  const [error, setError] = useState<ApiError>();
  const save = async () => {
    try {
      await licensesApi.linkProofItems(type.code, value);
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Modal open width={720} title={`${t('types.link')} · ${type.name}`} onCancel={onClose} onOk={() => void save()} okText={t('common.ok')} cancelText={t('common.cancel')}>
      <Select mode="multiple" style={{ width: '100%' }} value={value} onChange={setValue} showSearch optionFilterProp="label"
        options={[...new Map([...(items.data?.items ?? []).map((p) => [p.id, `${p.name}(${p.regionName} ${p.id})`] as const), ...type.proofItems.map((p) => [p.id, `${p.name}(${p.id})`] as const)]).entries()].map(([id, label]) => ({ value: id, label }))} />
      {error && <div style={{ marginTop: 16 }}><ApiErrorAlert error={error} /></div>}
    </Modal>
  );
}

export default function LicenseTypesPage() {
  const { t, locale } = useLicenseText();
  const colon = labelColon(locale);
  const list = locale === 'en' ? ', ' : '、';
  const { message } = AntApp.useApp();
  const types = useApi((signal) => licensesApi.types(signal), []);
  const [editing, setEditing] = useState<LicenseType | 'new'>();
  const [linking, setLinking] = useState<LicenseType>();
  const saved = () => { message.success(t('types.saved')); setEditing(undefined); setLinking(undefined); types.reload(); };
  return (
    <div className="mz-page" data-testid="license-types-page">
      <Typography.Title level={2} className="mz-page-title">{t('types.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('types.subtitle')}</Typography.Paragraph>
      <Card className="mz-card" extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="types-new">{t('types.new')}</Button>}>
        {types.error && <ApiErrorAlert error={types.error} onRetry={types.reload} />}
        <Table<LicenseType> rowKey="code" loading={types.loading} dataSource={types.data?.items ?? []} pagination={false} size="small"
          expandable={{ expandedRowRender: (r) => (
            <Space orientation="vertical">
              <div>{r.fields.map((f) => <Tag key={f.name} color={f.disclosable ? 'blue' : 'default'}>{f.label} · {f.type}{f.required ? ' *' : ''}</Tag>)}</div>
              <div>{t('types.departments')}{colon}{r.issuingDepartments.map((d) => d.name).join(list)}</div>
              <div>{t('types.legalBasis')}{colon}{r.legalBasis}</div>
            </Space>
          ) }}
          columns={[
            { title: t('types.name'), dataIndex: 'name' },
            { title: t('types.code'), dataIndex: 'code', render: (c: string) => <span className="mz-mono mz-small">{c}</span> },
            { title: t('types.holderKind'), dataIndex: 'holderKind' },
            { title: t('types.validity'), render: (_, r) => (r.validity.kind === 'years' ? t('types.years', { n: r.validity.years }) : t('types.none')) },
            { title: t('types.proofItems'), render: (_, r) => r.proofItems.length },
            { title: t('types.count'), dataIndex: 'licenseCount' },
            { title: '', render: (_, r) => <Space><Button size="small" onClick={() => setEditing(r)} data-testid={`types-edit-${r.code}`}>{t('types.edit')}</Button><Button size="small" onClick={() => setLinking(r)}>{t('types.link')}</Button></Space> },
          ]} />
      </Card>
      {editing && <TypeModal type={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} onSaved={saved} />}
      {linking && <LinkModal type={linking} onClose={() => setLinking(undefined)} onSaved={saved} />}
    </div>
  );
}
