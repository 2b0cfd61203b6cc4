import { useState } from 'react';
import { Button, Card, Col, Progress, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert } from '../../shell/feedback';
import { licensesApi } from './licenses-api';
import { useLicenseText } from './messages';

const REGIONS = [['340000', '安徽省'], ['340500', '马鞍山市'], ['340700', '铜陵市'], ['341700', '池州市'], ['341000', '黄山市'], ['340100', '合肥市']] as const;
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

export default function UsagePage() {
  const { t } = useLicenseText();
  const [type, setType] = useState<string>();
  const [region, setRegion] = useState<string>('340500');
  const types = useApi((signal) => licensesApi.types(signal), []);
  const usage = useApi((signal) => licensesApi.usage({ type, region }, signal), [type, region]);
  const rate = useApi((signal) => licensesApi.association(region, signal), [region]);
  const rows = (usage.data?.types ?? []).flatMap((x) => x.serviceItems.map((s) => ({ ...s, typeName: x.name, key: `${x.code}:${s.code}` })));
  return (
    <div className="mz-page" data-testid="license-usage-page">
      <Typography.Title level={2} className="mz-page-title">{t('usage.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('usage.subtitle')}</Typography.Paragraph>
      <Card className="mz-card">
        <Space wrap>
          <Select value={region} onChange={setRegion} aria-label={t('usage.region')} style={{ width: 160 }} options={REGIONS.map(([code, name]) => ({ value: code, label: name }))} />
          <Select allowClear placeholder={t('usage.type')} aria-label={t('usage.type')} value={type} onChange={setType} style={{ width: 220 }} options={(types.data?.items ?? []).map((x) => ({ value: x.code, label: x.name }))} />
          <Button icon={<DownloadOutlined />} href={licensesApi.usageExportUrl({ type, region })}>{t('usage.export')}</Button>
        </Space>
      </Card>
      {rate.error && <ApiErrorAlert error={rate.error} />}
      {rate.data && (
        <Card className="mz-card" title={t('usage.rate')} data-testid="association-rate" data-rate={String(rate.data.rate)}>
          <Row gutter={24}>
            <Col xs={24} md={8}><Statistic title={`${rate.data.region?.name ?? ''} ${t('usage.rate')}`} value={pct(rate.data.rate)} /></Col>
            <Col xs={12} md={8}><Statistic title={t('usage.linked')} value={rate.data.linked} /></Col>
            <Col xs={12} md={8}><Statistic title={t('usage.total')} value={rate.data.total} /></Col>
          </Row>
          {rate.data.byRegion.length > 1 && rate.data.byRegion.map((r) => (
            <div key={r.code} style={{ marginTop: 8 }}><span style={{ display: 'inline-block', width: 90 }}>{r.name}</span><Progress percent={Math.round((r.rate ?? 0) * 1000) / 10} style={{ width: 320 }} /></div>
          ))}
          {rate.data.unlinked.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>{t('usage.unlinked')}</Typography.Title>
              <ul>{rate.data.unlinked.map((u) => <li key={u.proofItemId}>{u.name}({u.regionName},{u.serviceItemCount})</li>)}</ul>
            </>
          )}
        </Card>
      )}
      <Card className="mz-card">
        {usage.error && <ApiErrorAlert error={usage.error} />}
        <Table size="small" loading={usage.loading} dataSource={rows} pagination={{ pageSize: 20 }} data-testid="usage-table" columns={[
          { title: t('usage.type'), dataIndex: 'typeName', width: 140 },
          { title: t('usage.item'), render: (_, r) => `${r.name}(${r.code})` },
          { title: t('grant.department'), dataIndex: 'departmentName' },
          { title: t('usage.materials'), render: (_, r) => r.materials.map((m) => m.name).join('、') },
        ]} />
      </Card>
    </div>
  );
}
