import { useState } from 'react';
import { App as AntApp, Button, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { CheckOutlined, CloseOutlined, ReloadOutlined } from '@ant-design/icons';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../identity/auth-context';
import { ApiErrorAlert } from '../../shell/feedback';
import { appsApi, type VerificationRequest } from '../applications/applications-api';
import { useDate } from '../applications/components';
import { useAppText } from '../applications/messages';
import '../applications/applications.css';
import { labelColon } from '../../shell/i18n/i18n';

function DueCell({ v }: { v: VerificationRequest }) {
  const { t } = useAppText();
  const date = useDate();
  const days = Math.ceil((Date.parse(v.dueAt) - Date.now()) / 86_400_000);
  const open = v.status === 'pending' || v.status === 'escalated';
  return (
    <div className={v.overdue && open ? 'mz-overdue' : ''} data-testid="verification-due" data-overdue={String(v.overdue)}>
      <div>{date(v.dueAt)}</div>
      <Typography.Text type="secondary" className="mz-small">{t('ver.workingDays', { n: v.workingDays })}</Typography.Text>
      {open ? (
        <div>
          {v.overdue ? <Tag color="red">{t('ver.overdue')}</Tag> : days <= 1 ? <Tag color="orange">{t('ver.dueToday')}</Tag> : <Typography.Text type="secondary" className="mz-small">{t('ver.remaining', { n: days })}</Typography.Text>}
          {v.escalatedAt ? <Tag color="volcano">{t('ver.escalated')}</Tag> : null}
        </div>
      ) : null}
    </div>
  );
}

/** The issuing department's inbox: confirm or deny each fact, with a reason, within the working-day deadline. */
export default function VerificationsPage() {
  const { t, locale } = useAppText();
  const { message } = AntApp.useApp();
  const { user } = useAuth();
  const date = useDate();
  const [tab, setTab] = useState<'open' | 'answered'>('open');
  const [page, setPage] = useState(1);
  const inbox = useApi((signal) => appsApi.inbox({ status: tab, page, pageSize: 20 }, signal), [tab, page]);
  const [answering, setAnswering] = useState<{ v: VerificationRequest; confirmed: boolean }>();
  const [reason, setReason] = useState('');
  const [run, busy] = useAction();

  const send = async () => {
    if (!answering) return;
    await run(async () => {
      await appsApi.answer(answering.v.id, answering.confirmed, reason.trim());
      message.success(answering.confirmed ? t('ver.confirmed') : t('ver.denied'));
      setAnswering(undefined);
      setReason('');
      inbox.reload();
    });
  };

  return (
    <div className="mz-page" data-testid="verifications-page">
      <div className="mz-title-row">
        <div>
          <Typography.Title level={2} className="mz-page-title">{t('ver.title')} · {user?.departmentName}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('ver.subtitle')}</Typography.Paragraph>
        </div>
        <Button icon={<ReloadOutlined />} onClick={inbox.reload}>{t('common.refresh')}</Button>
      </div>
      <Tabs activeKey={tab} onChange={(k) => { setTab(k as 'open' | 'answered'); setPage(1); }} items={[{ key: 'open', label: t('ver.open') }, { key: 'answered', label: t('ver.answered') }]} data-testid="verifications-tabs" />
      {inbox.error && <ApiErrorAlert error={inbox.error} onRetry={inbox.reload} />}
      <Table<VerificationRequest>
        rowKey="id"
        loading={inbox.loading}
        dataSource={inbox.data?.items ?? []}
        locale={{ emptyText: t('ver.empty') }}
        scroll={{ x: 1100 }}
        rowClassName={(r) => (r.overdue && (r.status === 'pending' || r.status === 'escalated') ? 'mz-row-overdue' : '')}
        data-testid="verifications-table"
        onRow={(r) => ({ 'data-testid': 'verification-row', 'data-ref': r.applicationRef, 'data-status': r.status } as object)}
        pagination={{ current: page, pageSize: 20, total: inbox.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('ver.ref'), key: 'ref', render: (_, r) => <span className="mz-mono">{r.applicationRef}</span> },
          { title: t('ver.proof'), dataIndex: 'proofItemName', key: 'proof' },
          { title: t('ver.subject'), key: 'subject', render: (_, r) => <span>{r.subjectName} <span className="mz-mono mz-small">{r.subjectCodeMask}</span></span> },
          { title: t('ver.question'), key: 'question', width: 320, render: (_, r) => <span className="mz-question">{r.question}<br /><Typography.Text type="secondary" className="mz-small">{t('ver.requester')}{labelColon(locale)}{r.requestingDepartmentName} · {date(r.requestedAt)}</Typography.Text></span> },
          { title: t('ver.due'), key: 'due', render: (_, r) => <DueCell v={r} /> },
          tab === 'open'
            ? {
                title: t('common.actions'), key: 'actions', fixed: 'right' as const,
                render: (_: unknown, r: VerificationRequest) => (
                  <Space>
                    <Button type="primary" icon={<CheckOutlined />} onClick={() => setAnswering({ v: r, confirmed: true })} data-testid="verification-confirm">{t('ver.confirm')}</Button>
                    <Button danger icon={<CloseOutlined />} onClick={() => setAnswering({ v: r, confirmed: false })} data-testid="verification-deny">{t('ver.deny')}</Button>
                  </Space>
                ),
              }
            : {
                title: t('ver.result'), key: 'result',
                render: (_: unknown, r: VerificationRequest) => (
                  <Space orientation="vertical" size={0}>
                    <Tag color={r.status === 'confirmed' ? 'success' : 'error'}>{r.status === 'confirmed' ? t('ev.confirmedYes') : t('ev.confirmedNo')}</Tag>
                    <span>{r.reason}</span>
                    <Typography.Text type="secondary" className="mz-small">{date(r.answeredAt)} · {r.onTime ? t('ver.onTime') : t('ver.late')}</Typography.Text>
                  </Space>
                ),
              },
        ]}
      />
      <Modal
        open={!!answering}
        title={answering ? t('ver.answerTitle', { proof: answering.v.proofItemName }) : ''}
        onCancel={() => setAnswering(undefined)}
        onOk={() => void send()}
        okText={answering?.confirmed ? t('ver.confirm') : t('ver.deny')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: reason.trim().length === 0, loading: busy, danger: answering ? !answering.confirmed : false, 'data-testid': 'verification-answer-submit' } as ButtonProps}
        destroyOnHidden
      >
        <Typography.Paragraph>{answering?.v.question}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('ver.reasonRequired')}</Typography.Paragraph>
        <Input.TextArea rows={4} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t('ver.reason')} data-testid="verification-reason" />
      </Modal>
    </div>
  );
}
