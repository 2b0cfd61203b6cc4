import { Button, Card, Empty, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { ApiErrorAlert } from '../shell/feedback';
import { formatDateTime, useI18n } from '../shell/i18n/i18n';
import { catalogApi } from './catalog-api';
import type { CatalogVersion } from './types';
import { useCompareParams } from './use-compare-params';
import { VersionCompare } from './version-compare';

export default function VersionsPage() {
  const { t, locale } = useI18n();
  const versions = useApi((signal) => catalogApi.versions(signal), []);
  const items = versions.data?.items ?? [];
  const { from, to, setPair } = useCompareParams(versions.data?.items);
  const selected = [from, to].filter((n): n is number => n !== undefined);

  const columns: TableColumnsType<CatalogVersion> = [
    {
      title: `${t('versions.number')} / ${t('versions.note')}`,
      dataIndex: 'number',
      render: (n: number, v) => (
        <div className="mz-version-cell">
          <Typography.Text strong>{t('versions.numberLabel', { number: n })}</Typography.Text>
          {v.note ? <Typography.Text type="secondary" className="mz-version-note" data-testid="version-note">{v.note}</Typography.Text> : null}
        </div>
      ),
    },
    { title: t('versions.publishedAt'), dataIndex: 'publishedAt', width: 180, render: (iso: string) => formatDateTime(iso, locale) },
    { title: t('versions.publishedBy'), dataIndex: 'publishedBy', width: 110, responsive: ['lg'] },
    { title: t('versions.proofItemCount'), dataIndex: 'proofItemCount', width: 112, align: 'right', responsive: ['md'] },
    { title: t('versions.serviceItemCount'), dataIndex: 'serviceItemCount', width: 80, align: 'right', responsive: ['xl'] },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 250,
      render: (_: unknown, v) => (
        <Space size={0}>
          <Link to={`/versions/${v.number}`} data-testid="version-view-list">
            <Button type="link" icon={<UnorderedListOutlined />}>
              {t('versions.viewList')}
            </Button>
          </Link>
          <Button type="link" icon={<DownloadOutlined />} href={catalogApi.exportUrl(v.number)} download data-testid="version-download">
            {t('versions.download')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div className="mz-page" data-testid="versions-page">
      <Typography.Title level={2} className="mz-page-title">{t('versions.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('versions.subtitle')}</Typography.Paragraph>
      {versions.error ? (
        <ApiErrorAlert error={versions.error} onRetry={versions.reload} />
      ) : (
        <>
          <Card className="mz-card" title={t('versions.selectHint')}>
            <Table<CatalogVersion>
              rowKey="number"
              columns={columns}
              dataSource={[...items].sort((a, b) => b.number - a.number)}
              loading={versions.loading}
              pagination={items.length > 10 ? { pageSize: 10 } : false}
              locale={{ emptyText: <Empty description={t('versions.empty')} /> }}
              rowSelection={{
                type: 'checkbox',
                hideSelectAll: true,
                selectedRowKeys: selected,
                onChange: (keys) => {
                  const numbers = keys.map(Number).sort((a, b) => a - b);
                  // Keep the newest two ticks: a third tick replaces the older choice.
                  const pair = numbers.length > 2 ? numbers.slice(-2) : numbers;
                  if (pair.length === 2) setPair(pair[0]!, pair[1]!);
                },
              }}
              onRow={(v) => ({ 'data-testid': 'version-row', 'data-version': v.number }) as React.HTMLAttributes<HTMLElement>}
              data-testid="versions-table"
            />
          </Card>
          <Card className="mz-card" title={t('compare.title')}>
            <VersionCompare versions={items} from={from} to={to} onChange={setPair} />
          </Card>
        </>
      )}
    </div>
  );
}
