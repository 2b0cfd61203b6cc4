import { useState } from 'react';
import { Card, Empty, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert } from '../../shell/feedback';
import { formatDateTime } from '../../shell/i18n/i18n';
import { exchangeApi, type AccessEntry } from './exchange-api';
import { FALLBACK_PURPOSES, OutcomeTag, usePurposeLabel } from './components';
import { useExchangeText } from './messages';
import { namedAsTag } from './named-as';

/** 谁用了我的数据: every use of the signed-in person's (or enterprise's) data, newest first. */
export default function MyAccessLogPage() {
  const { t, locale } = useExchangeText();
  const [page, setPage] = useState(1);
  const pageSize = 20;
  const log = useApi((signal) => exchangeApi.myAccessLog(page, pageSize, signal), [page]);
  const purpose = usePurposeLabel(FALLBACK_PURPOSES);
  const namedAs = (e: AccessEntry) => {
    const tag = namedAsTag(e);
    return tag ? <Tag style={{ marginLeft: 6 }} data-testid="access-named-as" title={tag.hover}>{t(tag.key, tag.params)}</Tag> : null;
  };

  const columns: TableColumnsType<AccessEntry> = [
    { title: t('me.at'), dataIndex: 'at', width: 170, render: (iso: string) => formatDateTime(iso, locale) },
    { title: t('me.who'), dataIndex: 'accessorName', render: (name: string, e) => <span data-testid="access-who">{name}{e.onBehalfOf ? <Tag style={{ marginLeft: 6 }}>{t('me.onBehalfOf')}</Tag> : null}</span> },
    { title: t('me.what'), dataIndex: 'dataItemLabel', render: (label: string, e) => (
      <span data-testid="access-what" title={e.dataItem}>{label}{namedAs(e)}</span>
    ) },
    { title: t('me.purpose'), dataIndex: 'purpose', render: (p: string) => purpose(p) },
    { title: t('me.application'), dataIndex: 'applicationRef', render: (ref: string | null) => <span className="mz-mono" data-testid="access-application">{ref ?? '—'}</span> },
    { title: t('me.legalBasis'), dataIndex: 'legalBasis', responsive: ['lg'] },
    { title: t('me.outcome'), dataIndex: 'outcome', width: 110, render: (o: string) => <OutcomeTag outcome={o} /> },
  ];

  return (
    <div className="mz-page" data-testid="my-access-log-page">
      <Typography.Title level={2} className="mz-page-title">{t('me.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('me.subtitle')}</Typography.Paragraph>
      {log.error ? <ApiErrorAlert error={log.error} onRetry={log.reload} /> : (
        <Card className="mz-card">
          <Table<AccessEntry>
            rowKey="id"
            columns={columns}
            dataSource={log.data?.items ?? []}
            loading={log.loading}
            locale={{ emptyText: <Empty description={t('me.empty')} /> }}
            pagination={{ current: page, pageSize, total: log.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
            onRow={(e) => ({ 'data-testid': 'access-row', 'data-application': e.applicationRef ?? '' }) as React.HTMLAttributes<HTMLElement>}
            data-testid="access-log-table"
          />
        </Card>
      )}
    </div>
  );
}
