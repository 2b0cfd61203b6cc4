import { useState } from 'react';
import { Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert } from '../../shell/feedback';
import { beijingInstant, formatDateTime } from '../../shell/i18n/i18n';
import { exchangeApi, type LogEntry, type LogQuery } from './exchange-api';
import { ms, OutcomeTag, usePurposeLabel } from './components';
import { useExchangeText } from './messages';

const REASONS = [
  'unsigned', 'malformed_request', 'unknown_consumer', 'unknown_key', 'stale', 'digest_mismatch', 'bad_signature', 'replayed', 'busy', 'item_not_offered', 'item_not_allowed',
  'purpose_not_allowed', 'invalid_params', 'source_unavailable', 'internal', 'not_in_directory', 'ambiguous_item', 'consumer_not_allowed', 'invalid_request', 'actor_out_of_scope', 'no_open_case',
  'timeout', 'connection_failed', 'circuit_open', 'concurrency_limit', 'bad_response', 'provider_busy', 'provider_error', 'provider_suspended', 'provider_not_configured',
];

interface Filters { provider?: string; item?: string; consumer?: string; outcome?: string; reason?: string; purpose?: string; applicationRef?: string; subject?: string; range?: [{ format(template: string): string }, { format(template: string): string }] }

/** The platform's exchange log with filters (data administrators and supervisors). */
export default function ExchangeLogPage() {
  const { t, locale, reason } = useExchangeText();
  const [form] = Form.useForm<Filters>();
  const [query, setQuery] = useState<LogQuery>({ page: 1, pageSize: 20 });
  const log = useApi((signal) => exchangeApi.log(query, signal), [JSON.stringify(query)]);
  const directory = useApi((signal) => exchangeApi.providers(signal), []);
  const departments = useApi((signal) => exchangeApi.departments(signal), []);
  const purpose = usePurposeLabel(directory.data?.purposes);
  const providers = directory.data?.items ?? [];
  const itemOptions = [...new Map(providers.flatMap((p) => p.items.map((i) => [i.code, i.name] as const))).entries()].map(([value, label]) => ({ value, label: `${label} (${value})` }));

  const apply = (v: Filters) => {
    const trimmed = (s?: string) => (s && s.trim() ? s.trim() : undefined);
    setQuery({
      page: 1, pageSize: query.pageSize, provider: v.provider, item: v.item, consumer: v.consumer, outcome: v.outcome, reason: v.reason, purpose: v.purpose,
      applicationRef: trimmed(v.applicationRef), subject: trimmed(v.subject)?.toUpperCase(), from: v.range?.[0] ? beijingInstant(v.range[0]) : undefined, to: v.range?.[1] ? beijingInstant(v.range[1]) : undefined,
    });
  };

  const columns: TableColumnsType<LogEntry> = [
    { title: t('log.at'), dataIndex: 'at', width: 160, render: (iso: string) => formatDateTime(iso, locale) },
    { title: t('log.consumer'), dataIndex: 'consumerName', width: 150 },
    { title: t('log.item'), dataIndex: 'itemName', render: (name: string | null, e) => <span title={e.itemCode}>{name ?? e.itemCode}</span> },
    { title: t('log.provider'), dataIndex: 'providerName', responsive: ['xl'], render: (v: string | null) => v ?? '—' },
    { title: t('log.subjectMask'), dataIndex: 'subjectMask', width: 170, render: (v: string | null) => <span className="mz-mono">{v ?? '—'}</span> },
    { title: t('log.purpose'), dataIndex: 'purpose', responsive: ['lg'], render: (p: string) => purpose(p) },
    { title: t('log.applicationRef'), dataIndex: 'applicationRef', render: (v: string) => <span className="mz-mono" data-testid="log-application">{v}</span> },
    { title: t('log.outcome'), dataIndex: 'outcome', render: (o: string, e) => <OutcomeTag outcome={o} reason={e.reason} /> },
    { title: t('log.latency'), dataIndex: 'latencyMs', width: 90, align: 'right', render: (v: number) => `${ms(v)} ms` },
  ];

  return (
    <div className="mz-page" data-testid="exchange-log-page">
      <Typography.Title level={2} className="mz-page-title">{t('log.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('log.subtitle')}</Typography.Paragraph>
      <Card className="mz-card">
        <Form form={form} layout="inline" onFinish={apply} style={{ rowGap: 8 }}>
          <Form.Item name="provider" label={t('log.provider')}><Select allowClear style={{ width: 220 }} options={providers.map((p) => ({ value: p.id, label: p.name }))} data-testid="log-filter-provider" /></Form.Item>
          <Form.Item name="item" label={t('log.item')}><Select allowClear style={{ width: 220 }} options={itemOptions} /></Form.Item>
          <Form.Item name="consumer" label={t('log.consumer')}><Select allowClear showSearch optionFilterProp="label" style={{ width: 200 }} options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} /></Form.Item>
          <Form.Item name="outcome" label={t('log.outcome')}>
            <Select allowClear style={{ width: 130 }} data-testid="log-filter-outcome" options={(['answered', 'not_found', 'denied', 'unavailable'] as const).map((o) => ({ value: o, label: t(`outcome.${o}`) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('log.reason')}><Select allowClear showSearch optionFilterProp="label" style={{ width: 200 }} options={REASONS.map((r) => ({ value: r, label: reason(r) }))} /></Form.Item>
          <Form.Item name="purpose" label={t('log.purpose')}><Select allowClear style={{ width: 180 }} options={Object.keys(directory.data?.purposes ?? {}).map((p) => ({ value: p, label: purpose(p) }))} /></Form.Item>
          <Form.Item name="applicationRef" label={t('log.applicationRef')}><Input allowClear style={{ width: 180 }} data-testid="log-filter-application" /></Form.Item>
          <Form.Item name="subject" label={t('log.subject')} rules={[{ pattern: /^\w{18}$/, message: '18' }]}><Input allowClear className="mz-mono" style={{ width: 200 }} maxLength={18} /></Form.Item>
          <Form.Item name="range" label={t('log.range')}><DatePicker.RangePicker showTime /></Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="log-search">{t('log.search')}</Button>
              <Button onClick={() => { form.resetFields(); setQuery({ page: 1, pageSize: query.pageSize }); }}>{t('log.reset')}</Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      {log.error ? <ApiErrorAlert error={log.error} onRetry={log.reload} /> : (
        <Card className="mz-card">
          <Table<LogEntry>
            rowKey="id" size="middle" columns={columns} dataSource={log.data?.items ?? []} loading={log.loading} data-testid="exchange-log-table"
            pagination={{ current: query.page, pageSize: query.pageSize, total: log.data?.total ?? 0, showSizeChanger: true, onChange: (page, pageSize) => setQuery({ ...query, page, pageSize }) }}
            onRow={(e) => ({ 'data-testid': 'log-row', 'data-outcome': e.outcome }) as React.HTMLAttributes<HTMLElement>}
            expandable={{
              expandedRowRender: (e) => (
                <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
                  <Descriptions.Item label={t('log.legalBasis')}>{e.legalBasis}</Descriptions.Item>
                  <Descriptions.Item label={t('log.sent')}>{e.sent ? t('log.sent') : t('log.notSent')}</Descriptions.Item>
                  <Descriptions.Item label={t('log.httpStatus')}>{e.httpStatus ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('log.attempts')}>{e.attempts}</Descriptions.Item>
                  <Descriptions.Item label={t('log.suite')}>{e.requestSuite ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('log.asOf')}>{e.asOf ? formatDateTime(e.asOf, locale) : '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('log.detail')}>{e.detail ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('log.providerKey')}><span className="mz-mono">{e.providerKeyId ?? '—'}</span></Descriptions.Item>
                  <Descriptions.Item label={t('log.requestDigest')} span={2}><span className="mz-mono">{e.requestDigest ?? '—'}</span></Descriptions.Item>
                  <Descriptions.Item label={t('log.responseDigest')} span={2}><span className="mz-mono">{e.responseDigest ?? '—'}</span></Descriptions.Item>
                </Descriptions>
              ),
            }}
          />
        </Card>
      )}
    </div>
  );
}
