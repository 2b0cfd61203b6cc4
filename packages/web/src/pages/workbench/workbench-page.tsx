import { useState } from 'react';
import { Button, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../identity/auth-context';
import { ApiErrorAlert } from '../../shell/feedback';
import { appsApi, type ApplicationListItem } from '../applications/applications-api';
import { AppStatusTag, useDate } from '../applications/components';
import { useAppText } from '../applications/messages';
import '../applications/applications.css';

const STATUSES = ['under_review', 'awaiting', 'returned', 'approved', 'completed', 'rejected', 'withdrawn'] as const;

/** The department queue: filters, review deadlines (overdue in red), one click to the evidence. */
export default function WorkbenchPage() {
  const { t, tk } = useAppText();
  const date = useDate();
  const { user } = useAuth();
  const [status, setStatus] = useState<string | undefined>('under_review');
  const [q, setQ] = useState('');
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const queue = useApi((signal) => appsApi.queue({ status, q: q || undefined, overdue: overdue || undefined, page, pageSize: 20 }, signal), [status, q, overdue, page]);

  return (
    <div className="mz-page" data-testid="workbench-page">
      <div className="mz-title-row">
        <div>
          <Typography.Title level={2} className="mz-page-title">{t('wb.title')} · {user?.departmentName}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('wb.subtitle')}</Typography.Paragraph>
        </div>
        <Button icon={<ReloadOutlined />} onClick={queue.reload}>{t('common.refresh')}</Button>
      </div>
      <Space wrap size="middle" className="mz-filters">
        <Input.Search allowClear placeholder={t('wb.search')} onSearch={(v) => { setQ(v.trim()); setPage(1); }} style={{ width: 300 }} data-testid="workbench-search" />
        <Select
          allowClear
          placeholder={t('wb.status')}
          aria-label={t('wb.status')}
          value={status}
          onChange={(v?: string) => { setStatus(v); setPage(1); }}
          style={{ width: 180 }}
          options={STATUSES.map((s) => ({ value: s, label: tk(`status.${s}`, s) }))}
          data-testid="workbench-status"
        />
        <label className="mz-inline-switch"><Switch checked={overdue} onChange={(v) => { setOverdue(v); setPage(1); }} data-testid="workbench-overdue" /> {t('wb.overdue')}</label>
      </Space>
      {queue.error && <ApiErrorAlert error={queue.error} onRetry={queue.reload} />}
      <Table<ApplicationListItem>
        rowKey="id"
        size="middle"
        loading={queue.loading}
        dataSource={queue.data?.items ?? []}
        locale={{ emptyText: t('wb.empty') }}
        scroll={{ x: 980 }}
        rowClassName={(r) => (r.overdue ? 'mz-row-overdue' : '')}
        data-testid="workbench-table"
        onRow={(r) => ({ 'data-testid': 'workbench-row', 'data-ref': r.ref, 'data-status': r.status, 'data-overdue': String(r.overdue) } as object)}
        pagination={{ current: page, pageSize: 20, total: queue.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        columns={[
          // widths in em: the whole number and mask stay in their cells at the elderly mode's larger type too
          { title: t('detail.ref'), key: 'ref', width: '16em', render: (_, r) => <span className="mz-mono mz-nowrap">{r.ref}</span> },
          { title: t('wb.item'), key: 'item', render: (_, r) => r.serviceItem.name },
          {
            title: t('wb.applicant'), key: 'applicant', width: '12em',
            render: (_, r) => (
              <span>{r.applicantName} <span className="mz-mono mz-small mz-nowrap">{r.applicantCodeMask}</span>{r.viaAgent ? <Tag color="purple" style={{ marginInlineStart: 6 }}>{t('wb.agentTag')}</Tag> : null}</span>
            ),
          },
          { title: t('wb.status'), key: 'status', render: (_, r) => <AppStatusTag status={r.status} /> },
          { title: t('wb.exempt'), key: 'free', render: (_, r) => `${r.satisfiedWithoutSubmission}/${r.proofMaterials}` },
          { title: t('wb.submittedAt'), key: 'submitted', render: (_, r) => date(r.submittedAt) },
          {
            title: t('wb.due'), key: 'due',
            render: (_, r) => (r.reviewDueAt ? (
              <span className={r.overdue ? 'mz-overdue' : ''}>{date(r.reviewDueAt)}{r.overdue ? <Tag color="red" style={{ marginInlineStart: 6 }}>{t('wb.overdueTag')}</Tag> : null}</span>
            ) : '—'),
          },
          {
            title: t('common.actions'), key: 'actions', fixed: 'right',
            render: (_, r) => <Link to={`/workbench/${r.id}`} data-testid="workbench-review"><Button type="primary" size="small">{t('wb.review')}</Button></Link>,
          },
        ]}
      />
    </div>
  );
}
