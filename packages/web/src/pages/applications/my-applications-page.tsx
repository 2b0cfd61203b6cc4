import { useState } from 'react';
import { Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../identity/auth-context';
import { ApiErrorAlert } from '../../shell/feedback';
import { appsApi, type ApplicationListItem } from './applications-api';
import { AppStatusTag, useDate } from './components';
import { useAppText } from './messages';
import './applications.css';

const STATUSES = ['awaiting', 'under_review', 'returned', 'approved', 'completed', 'rejected', 'withdrawn', 'draft'] as const;

export default function MyApplicationsPage() {
  const { t, tk } = useAppText();
  const date = useDate();
  const { user } = useAuth();
  const isAgent = !!user?.roles.includes('agent') && !user.roles.includes('applicant');
  const [status, setStatus] = useState<string>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const list = useApi((signal) => appsApi.mine({ status, q: q || undefined, page, pageSize: 20 }, signal), [status, q, page]);

  return (
    <div className="mz-page mz-readable" data-testid="my-applications-page">
      <div className="mz-title-row">
        <div>
          <Typography.Title level={2} className="mz-page-title">{isAgent ? t('mine.agentTitle') : t('mine.title')}</Typography.Title>
          <Typography.Paragraph type="secondary" className="mz-lead">{isAgent ? t('mine.agentSubtitle') : t('mine.subtitle')}</Typography.Paragraph>
        </div>
        <Link to="/apply"><Button type="primary" size="large" icon={<PlusOutlined />} data-testid="my-applications-new">{t('mine.new')}</Button></Link>
      </div>
      <Space wrap>
        <Input.Search allowClear placeholder={t('mine.search')} onSearch={(v) => { setQ(v.trim()); setPage(1); }} style={{ width: 280 }} data-testid="my-applications-search" />
        <Select
          allowClear
          placeholder={t('mine.status')}
          aria-label={t('mine.status')}
          value={status}
          onChange={(v?: string) => { setStatus(v); setPage(1); }}
          style={{ width: 180 }}
          options={STATUSES.map((s) => ({ value: s, label: tk(`status.${s}`, s) }))}
          data-testid="my-applications-status"
        />
      </Space>
      {list.error && <ApiErrorAlert error={list.error} onRetry={list.reload} />}
      <Table<ApplicationListItem>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        data-testid="my-applications-table"
        locale={{ emptyText: t('mine.empty') }}
        scroll={{ x: 860 }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        onRow={(r) => ({ 'data-testid': 'my-application-row', 'data-ref': r.ref, 'data-status': r.status } as object)}
        columns={[
          {
            title: t('apply.item'), key: 'item',
            render: (_, r) => (
              <div>
                <Link to={`/applications/${r.id}`} className="mz-strong-link" data-testid="my-application-link">{r.serviceItem.name}</Link>
                <div className="mz-small mz-mono">{r.ref}</div>
              </div>
            ),
          },
          { title: t('detail.department'), dataIndex: 'departmentName', key: 'dept' },
          ...(isAgent ? [{ title: t('agents.principal'), dataIndex: 'applicantName', key: 'applicant' }] : []),
          { title: t('mine.status'), key: 'status', render: (_: unknown, r: ApplicationListItem) => (
            <Space size={4} wrap>
              <AppStatusTag status={r.status} />
              {r.awaitingMaterials > 0 && ['awaiting', 'submitted'].includes(r.status) ? <Tag color="orange">{t('mine.todo', { n: r.awaitingMaterials })}</Tag> : null}
            </Space>
          ) },
          { title: t('wb.exempt'), key: 'free', render: (_: unknown, r: ApplicationListItem) => t('mine.free', { free: r.satisfiedWithoutSubmission, total: r.proofMaterials }) },
          { title: t('detail.submittedAt'), key: 'submitted', render: (_: unknown, r: ApplicationListItem) => date(r.submittedAt ?? r.createdAt) },
        ]}
      />
    </div>
  );
}
