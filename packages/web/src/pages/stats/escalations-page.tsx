import { useState } from 'react';
import { Table, Tag, Typography } from 'antd';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert } from '../../shell/feedback';
import { appsApi, type VerificationRequest } from '../applications/applications-api';
import { useDate } from '../applications/components';
import { useAppText } from '../applications/messages';
import '../applications/applications.css';

/** Verification requests left unanswered past their working-day deadline, escalated to supervisors. */
export default function EscalationsPage() {
  const { t } = useAppText();
  const date = useDate();
  const [page, setPage] = useState(1);
  const list = useApi((signal) => appsApi.escalated({ page, pageSize: 20 }, signal), [page]);
  return (
    <div className="mz-page" data-testid="escalations-page">
      <Typography.Title level={2} className="mz-page-title">{t('esc.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('esc.subtitle')}</Typography.Paragraph>
      {list.error && <ApiErrorAlert error={list.error} onRetry={list.reload} />}
      <Table<VerificationRequest>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('esc.empty') }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        scroll={{ x: 1000 }}
        rowClassName={(r) => (r.status === 'escalated' ? 'mz-row-overdue' : '')}
        data-testid="escalations-table"
        columns={[
          { title: t('ver.ref'), key: 'ref', render: (_, r) => <span className="mz-mono">{r.applicationRef}</span> },
          { title: t('ver.proof'), dataIndex: 'proofItemName', key: 'proof' },
          { title: t('esc.issuer'), key: 'issuer', render: (_, r) => r.issuingDepartmentName ?? r.issuingDepartmentId },
          { title: t('ver.requester'), dataIndex: 'requestingDepartmentName', key: 'requester' },
          { title: t('ver.requestedAt'), key: 'requested', render: (_, r) => date(r.requestedAt) },
          { title: t('ver.due'), key: 'due', render: (_, r) => <span className="mz-overdue">{date(r.dueAt)} <Tag color="red">{t('ver.workingDays', { n: r.workingDays })}</Tag></span> },
          { title: t('esc.escalatedAt'), key: 'escalated', render: (_, r) => date(r.escalatedAt) },
          { title: t('mine.status'), key: 'status', render: (_, r) => <Tag color={r.status === 'escalated' ? 'volcano' : 'default'}>{r.status === 'escalated' ? t('ver.escalated') : r.status}</Tag> },
        ]}
      />
    </div>
  );
}
