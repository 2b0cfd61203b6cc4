import { useState } from 'react';
import { Alert, App as AntApp, Button, Input, Modal, Radio, Table, Tabs, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert } from '../../shell/feedback';
import { appsApi, type PostCheck } from '../applications/applications-api';
import { useDate } from '../applications/components';
import { useAppText } from '../applications/messages';
import '../applications/applications.css';

/** Post-checks of signed commitments assigned to the issuing department: record true or false. */
export default function PostChecksPage() {
  const { t, tk } = useAppText();
  const { message } = AntApp.useApp();
  const date = useDate();
  const [tab, setTab] = useState<'open' | 'done'>('open');
  const [page, setPage] = useState(1);
  const list = useApi((signal) => appsApi.postChecks({ status: tab, page, pageSize: 20 }, signal), [tab, page]);
  const [recording, setRecording] = useState<PostCheck>();
  const [truthful, setTruthful] = useState(true);
  const [note, setNote] = useState('');
  const [run, busy] = useAction();

  const send = async () => {
    if (!recording) return;
    await run(async () => {
      const r = await appsApi.postCheckResult(recording.id, truthful, note.trim() || undefined);
      message.success(r.creditRecordId ? `${t('pc.saved')} · ${t('pc.creditRecorded')}` : t('pc.saved'));
      setRecording(undefined);
      setNote('');
      setTruthful(true);
      list.reload();
    });
  };

  return (
    <div className="mz-page" data-testid="post-checks-page">
      <Typography.Title level={2} className="mz-page-title">{t('pc.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('pc.subtitle')}</Typography.Paragraph>
      <Tabs activeKey={tab} onChange={(k) => { setTab(k as 'open' | 'done'); setPage(1); }} items={[{ key: 'open', label: t('pc.open') }, { key: 'done', label: t('pc.done') }]} />
      {list.error && <ApiErrorAlert error={list.error} onRetry={list.reload} />}
      <Table<PostCheck>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('pc.empty') }}
        scroll={{ x: 980 }}
        rowClassName={(r) => (r.overdue && r.status === 'open' ? 'mz-row-overdue' : '')}
        data-testid="post-checks-table"
        onRow={(r) => ({ 'data-testid': 'post-check-row', 'data-ref': r.applicationRef, 'data-status': r.status } as object)}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('ver.ref'), key: 'ref', render: (_, r) => <span className="mz-mono">{r.applicationRef}</span> },
          { title: t('ver.proof'), dataIndex: 'proofItemName', key: 'proof' },
          { title: t('ver.subject'), key: 'subject', render: (_, r) => <span>{r.subjectName} <span className="mz-mono mz-small">{r.subjectCodeMask}</span></span> },
          { title: t('pc.reason'), key: 'reason', render: (_, r) => <Tag color={r.reason === 'credit_history' ? 'volcano' : 'blue'}>{tk(`pc.reason.${r.reason}`, r.reason)}</Tag> },
          { title: t('pc.due'), key: 'due', render: (_, r) => <span className={r.overdue && r.status === 'open' ? 'mz-overdue' : ''}>{date(r.dueAt)}{r.overdue && r.status === 'open' ? <Tag color="red" style={{ marginInlineStart: 6 }}>{t('ver.overdue')}</Tag> : null}</span> },
          { title: t('mat.viewCommitment'), key: 'c', render: (_, r) => <Link to={`/commitments/${r.commitmentId}`}>{t('common.view')}</Link> },
          tab === 'open'
            ? { title: t('common.actions'), key: 'actions', fixed: 'right' as const, render: (_: unknown, r: PostCheck) => <Button type="primary" icon={<AuditOutlined />} onClick={() => setRecording(r)} data-testid="post-check-record">{t('pc.record')}</Button> }
            : {
                title: t('pc.result'), key: 'result',
                render: (_: unknown, r: PostCheck) => (
                  <span><Tag color={r.result ? 'success' : 'error'}>{r.result ? t('pc.truthful') : t('pc.false')}</Tag>{r.note}<br /><Typography.Text type="secondary" className="mz-small">{date(r.checkedAt)}</Typography.Text></span>
                ),
              },
        ]}
      />
      <Modal
        open={!!recording}
        title={recording ? `${t('pc.record')} · ${recording.proofItemName}` : ''}
        onCancel={() => setRecording(undefined)}
        onOk={() => void send()}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !truthful && note.trim().length === 0, loading: busy, danger: !truthful, 'data-testid': 'post-check-submit' } as ButtonProps}
        destroyOnHidden
      >
        <Radio.Group value={truthful} onChange={(e) => setTruthful(e.target.value as boolean)} className="mz-gap" data-testid="post-check-result">
          <Radio value={true} data-testid="post-check-true">{t('pc.truthful')}</Radio>
          <Radio value={false} data-testid="post-check-false">{t('pc.false')}</Radio>
        </Radio.Group>
        {!truthful && <Alert className="mz-gap" type="warning" showIcon title={t('pc.falseWarning')} />}
        <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={truthful ? t('pc.note') : t('pc.noteRequired')} aria-label={t('pc.note')} data-testid="post-check-note" />
      </Modal>
    </div>
  );
}
