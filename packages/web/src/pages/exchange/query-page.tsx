import { useMemo, useState } from 'react';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import type { ApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert, PageLoading } from '../../shell/feedback';
import { formatDateTime } from '../../shell/i18n/i18n';
import { exchangeApi, type ItemDefinition, type QueryOutcome } from './exchange-api';
import { OutcomeTag, usePurposeLabel } from './components';
import { useExchangeText } from './messages';


function AnswerView({ def, outcome }: { def: ItemDefinition; outcome: QueryOutcome }) {
  const { t } = useExchangeText();
  const show = (v: unknown) => (v === true ? t('query.yes') : v === false ? t('query.no') : v === null || v === undefined ? '—' : String(v));
  if (!outcome.answer) return null;
  if (def.many) {
    const records = (outcome.answer.records as Array<Record<string, unknown>>) ?? [];
    if (records.length === 0) return <Typography.Text data-testid="query-answer">{t('query.noRecords')}</Typography.Text>;
    return (
      <Table size="small" rowKey={(_, i) => String(i)} pagination={records.length > 10 ? { pageSize: 10 } : false} dataSource={records} data-testid="query-answer"
        title={() => t('query.records', { n: records.length })}
        columns={def.answer.map((f) => ({ title: f.label, dataIndex: f.name, render: show }))} />
    );
  }
  return (
    <Descriptions size="small" column={1} bordered data-testid="query-answer">
      {def.answer.map((f) => <Descriptions.Item key={f.name} label={f.label}><span data-testid={`answer-${f.name}`}>{show(outcome.answer?.[f.name])}</span></Descriptions.Item>)}
    </Descriptions>
  );
}

/** A window clerk (or issuing-department staff) queries a provider department for an application. */
export default function QueryPage() {
  const { t, locale, pick } = useExchangeText();
  const items = useApi((signal) => exchangeApi.items(signal), []);
  const purpose = usePurposeLabel(items.data?.purposes);
  const [form] = Form.useForm();
  const [selected, setSelected] = useState<string>();
  const [run, busy] = useAction();
  const [error, setError] = useState<ApiError>();
  const [result, setResult] = useState<{ def: ItemDefinition; outcome: QueryOutcome }>();
  const item = useMemo(() => items.data?.items.find((i) => `${i.providerId}/${i.code}` === selected), [items.data, selected]);

  if (items.loading && !items.data) return <PageLoading />;
  if (items.error) return <ApiErrorAlert error={items.error} onRetry={items.reload} />;
  const options = (items.data?.items ?? []).filter((i) => i.grantedPurposes.length > 0);

  const submit = async () => {
    if (!item) return;
    const v = await form.validateFields().catch(() => undefined); // the form shows what is missing
    if (!v) return;
    const params: Record<string, string | number> = {};
    for (const p of item.definition.params) if (v[`param_${p.name}`] !== undefined && v[`param_${p.name}`] !== '') params[p.name] = p.type === 'integer' ? Number(v[`param_${p.name}`]) : String(v[`param_${p.name}`]).trim();
    await run(
      async () => {
        setError(undefined);
        const outcome = await exchangeApi.query({ itemCode: item.code, providerId: item.providerId, params, purpose: v.purpose, applicationRef: v.applicationRef.trim(), legalBasis: v.legalBasis.trim() });
        setResult({ def: item.definition, outcome });
      },
      { onError: (error) => setError(error) },
    );
  };

  return (
    <div className="mz-page" data-testid="exchange-query-page">
      <Typography.Title level={2} className="mz-page-title">{t('query.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('query.subtitle')}</Typography.Paragraph>
      <Card className="mz-card">
        {options.length === 0 ? <Empty description={t('query.noItems')} /> : (
          <Form form={form} layout="vertical" style={{ maxWidth: 640 }}>
            <Form.Item label={t('query.item')} required>
              <Select value={selected} onChange={(v) => { setSelected(v); setResult(undefined); form.setFieldsValue({ purpose: undefined }); }} aria-label={t('query.item')} data-testid="query-item"
                options={options.map((i) => ({ value: `${i.providerId}/${i.code}`, label: `${i.name}(${i.providerName})` }))} />
            </Form.Item>
            {item && (
              <>
                {item.definition.description && <Typography.Paragraph type="secondary">{item.definition.description}</Typography.Paragraph>}
                {item.definition.params.map((p) => (
                  <Form.Item key={`${item.code}-${p.name}`} name={`param_${p.name}`} label={p.label} rules={[{ required: p.required }]}>
                    {p.type === 'integer' ? <InputNumber min={p.min} max={p.max} style={{ width: 200 }} data-testid={`query-param-${p.name}`} />
                      : p.type === 'enum' ? <Select options={(p.values ?? []).map((x) => ({ value: x, label: x }))} data-testid={`query-param-${p.name}`} />
                      : <Input className="mz-mono" maxLength={18} data-testid={`query-param-${p.name}`} />}
                  </Form.Item>
                ))}
                <Form.Item name="purpose" label={t('query.purpose')} rules={[{ required: true }]}>
                  <Select options={item.grantedPurposes.map((c) => ({ value: c, label: purpose(c) }))} data-testid="query-purpose" />
                </Form.Item>
                <Form.Item name="applicationRef" label={t('query.applicationRef')} extra={t('query.applicationRefHelp')} rules={[{ required: true, max: 128 }]}>
                  <Input className="mz-mono" data-testid="query-application" />
                </Form.Item>
                <Form.Item name="legalBasis" label={t('query.legalBasis')} rules={[{ required: true, min: 2, max: 2000 }]}>
                  <Input data-testid="query-legal-basis" />
                </Form.Item>
                <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="query-submit">{t('query.submit')}</Button>
              </>
            )}
          </Form>
        )}
      </Card>
      {error && <ApiErrorAlert error={error} />}
      {result && (
        <Card className="mz-card" title={<Space>{t('query.result')}<OutcomeTag outcome={result.outcome.outcome} reason={result.outcome.reason} /></Space>} data-testid="query-result">
          {(result.outcome.outcome === 'denied' || result.outcome.outcome === 'unavailable') && (
            <Alert type={result.outcome.outcome === 'denied' ? 'error' : 'warning'} showIcon title={pick(result.outcome.message ?? '', result.outcome.messageEn ?? '')}
              description={result.outcome.field ? `${result.outcome.reason} · ${result.outcome.field}` : result.outcome.reason} style={{ marginBottom: 12 }} />
          )}
          <AnswerView def={result.def} outcome={result.outcome} />
          <Descriptions size="small" column={1} style={{ marginTop: 12 }}>
            {result.outcome.providerName && <Descriptions.Item label={t('query.provider')}>{result.outcome.providerName}</Descriptions.Item>}
            {result.outcome.asOf && <Descriptions.Item label={t('query.asOf')}><span data-testid="query-as-of">{formatDateTime(result.outcome.asOf, locale)}</span></Descriptions.Item>}
            {result.outcome.evidence && <Descriptions.Item label={t('query.evidence')}><span className="mz-mono">{t('query.signedBy', { key: result.outcome.evidence.providerKeyId, suite: result.outcome.evidence.suite })}</span></Descriptions.Item>}
            <Descriptions.Item label="ID"><span className="mz-mono">{result.outcome.exchangeId}</span> · {t('query.latency', { ms: result.outcome.latencyMs.toFixed(1), n: result.outcome.attempts })}</Descriptions.Item>
          </Descriptions>
        </Card>
      )}
    </div>
  );
}
