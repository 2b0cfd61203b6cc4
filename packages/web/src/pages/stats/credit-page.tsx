import { useState } from 'react';
import { App as AntApp, Button, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { apiDownload } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert } from '../../shell/feedback';
import { appsApi, type CreditRecord } from '../applications/applications-api';
import { useDate } from '../applications/components';
import { useAppText } from '../applications/messages';
import '../applications/applications.css';

/** Credit records of false commitments: list, export (.xlsx), repair with a reason. */
export default function CreditPage() {
  const { t, tk } = useAppText();
  const { message } = AntApp.useApp();
  const date = useDate();
  const [status, setStatus] = useState<string>();
  const [q, setQ] = useState('');
  // paged on the server: a region may hold more records than one answer carries
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const list = useApi((signal) => appsApi.creditRecords({ status, q: q || undefined, page: page.current, pageSize: page.pageSize }, signal), [status, q, page]);
  const filterBy = <T,>(set: (v: T) => void) => (v: T) => { set(v); setPage((p) => ({ ...p, current: 1 })); };
  const [repairing, setRepairing] = useState<CreditRecord>();
  const [reason, setReason] = useState('');
  const [run, busy] = useAction();
  const [runExport, exporting] = useAction();
  const exportUrl = appsApi.creditExportUrl({ status, q: q || undefined });
  const repair = async () => {
    if (!repairing) return;
    await run(async () => {
      await appsApi.repairCredit(repairing.id, reason.trim());
      message.success(t('credit.repaired'));
      setRepairing(undefined);
      setReason('');
      list.reload();
    });
  };
  return (
    <div className="mz-page" data-testid="credit-page">
      <div className="mz-title-row">
        <div>
          <Typography.Title level={2} className="mz-page-title">{t('credit.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('credit.subtitle')}</Typography.Paragraph>
        </div>
        {/* fetched, not followed: a refused export (more records than one file holds) is said here, not opened as the file */}
        <a href={exportUrl} data-testid="credit-export" onClick={(event) => { event.preventDefault(); void runExport(() => apiDownload(exportUrl, '信用记录.xlsx')); }}>
          <Button icon={<DownloadOutlined />} loading={exporting}>{t('credit.export')}</Button>
        </a>
      </div>
      <Space wrap className="mz-filters">
        <Input.Search allowClear placeholder={t('credit.search')} onSearch={(v) => filterBy(setQ)(v.trim())} style={{ width: 280 }} />
        <Select allowClear placeholder={t('credit.status')} value={status} onChange={filterBy(setStatus)} style={{ width: 160 }}
          options={['active', 'repaired', 'expired'].map((s) => ({ value: s, label: tk(`credit.status.${s}`, s) }))} />
      </Space>
      {list.error && <ApiErrorAlert error={list.error} onRetry={list.reload} />}
      <Table<CreditRecord>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('credit.empty') }}
        scroll={{ x: 1000 }}
        data-testid="credit-table"
        pagination={{
          current: page.current, pageSize: page.pageSize, total: list.data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200],
          showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t('credit.subject'), key: 'subject', render: (_, r) => <span>{r.subjectName} <span className="mz-mono mz-small">{r.subjectCodeMask}</span></span> },
          { title: t('credit.type'), dataIndex: 'typeLabel', key: 'type' },
          { title: t('credit.source'), key: 'source', render: (_, r) => <span className="mz-mono">{r.source.ref}</span> },
          { title: t('credit.department'), dataIndex: 'departmentName', key: 'dept' },
          { title: t('credit.detail'), dataIndex: 'detail', key: 'detail', width: 260 },
          { title: t('credit.recordedAt'), key: 'at', render: (_, r) => date(r.recordedAt) },
          { title: t('credit.validUntil'), key: 'until', render: (_, r) => date(r.validUntil) },
          { title: t('credit.status'), key: 'status', render: (_, r) => <Tag color={r.status === 'active' ? 'red' : r.status === 'repaired' ? 'green' : 'default'}>{tk(`credit.status.${r.status}`, r.status)}</Tag> },
          { title: t('common.actions'), key: 'actions', render: (_, r) => (r.status === 'active' ? <Button size="small" onClick={() => setRepairing(r)}>{t('credit.repair')}</Button> : r.repairReason) },
        ]}
      />
      <Modal open={!!repairing} title={t('credit.repair')} onCancel={() => setRepairing(undefined)} onOk={() => void repair()} okText={t('common.ok')} cancelText={t('common.cancel')}
        okButtonProps={{ disabled: reason.trim().length === 0, loading: busy }} destroyOnHidden>
        <Typography.Paragraph>{repairing?.subjectName} · {repairing?.detail}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('credit.repairReason')} aria-label={t('credit.repairReason')} />
      </Modal>
    </div>
  );
}
