import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Breadcrumb, Button, Card, Col, Descriptions, Empty, Input, Modal, Popconfirm, Row, Space, Steps, Tag, Timeline, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { CheckOutlined, CloseOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../identity/auth-context';
import { ApiErrorAlert, NotFoundPage, PageLoading } from '../../shell/feedback';
import { useI18n } from '../../shell/i18n/i18n';
import { appsApi, type Application } from './applications-api';
import { AppStatusTag, useDate } from './components';
import { MaterialPanel } from './material-panel';
import { useAppText } from './messages';
import { notificationText } from './notification-text';
import './applications.css';

const stepOf: Record<string, number> = {
  draft: 0, submitted: 1, resolving: 1, awaiting: 1, under_review: 2, returned: 2, approved: 3, rejected: 3, completed: 4, withdrawn: 1,
};

function ProgressSteps({ app }: { app: Application }) {
  const { t } = useAppText();
  const date = useDate();
  const current = stepOf[app.status] ?? 0;
  const status = app.status === 'withdrawn' || app.status === 'rejected' ? 'error' : app.status === 'completed' ? 'finish' : 'process';
  return (
    <Steps
      current={current}
      status={status}
      size="small"
      data-testid="application-steps"
      items={[
        { title: t('detail.step.submit'), content: date(app.submittedAt ?? app.createdAt) },
        { title: t('detail.step.materials'), content: app.summary.awaiting > 0 ? t('mine.todo', { n: app.summary.awaiting }) : undefined },
        { title: t('detail.step.review'), content: app.reviewDueAt ? `${t('detail.reviewDue')} ${date(app.reviewDueAt)}` : undefined },
        { title: t('detail.step.decision'), content: app.decidedAt ? `${app.statusLabel} · ${date(app.decidedAt)}` : undefined },
        { title: t('detail.step.complete'), content: app.completedAt ? date(app.completedAt) : undefined },
      ]}
    />
  );
}

/** Every dated thing that happened: filing, each method tried per material, answers, signatures, the decision. */
function HistoryTimeline({ app }: { app: Application }) {
  const { t, pick, tk } = useAppText();
  const { t: gt } = useI18n();
  const date = useDate();
  const events: { at: string; text: string; color?: string }[] = [];
  events.push({ at: app.createdAt, text: t('detail.ev.created') });
  if (app.submittedAt) events.push({ at: app.submittedAt, text: t('detail.ev.submitted') });
  for (const m of app.materials) {
    const r = m.resolution;
    if (!r) continue;
    for (const a of r.attempts) {
      const method = a.method === 'upload' ? t('method.upload') : a.method in { cancelled: 1, data_sharing: 1, e_license: 1, dept_verification: 1, commitment: 1, online_issue: 1, retained: 1 } ? gt(`method.${a.method as 'cancelled'}`) : a.method;
      events.push({
        at: a.at,
        text: `${m.name} · ${method} · ${tk(`mat.outcome.${a.outcome}`, a.outcome)}:${pick(a.reason, a.reasonEn)}`,
        color: a.outcome === 'satisfied' ? 'green' : a.outcome === 'awaiting' ? 'blue' : 'orange',
      });
    }
    if (r.commitment?.signedAt) events.push({ at: r.commitment.signedAt, text: `${m.name} · ${t('commit.signed')}`, color: 'green' });
  }
  if (app.decidedAt) events.push({ at: app.decidedAt, text: `${t('detail.ev.decided', { status: tk(`status.${app.status === 'completed' ? 'approved' : app.status}`, app.statusLabel) })}${app.decisionReason ? `:${app.decisionReason}` : ''}`, color: app.status === 'rejected' ? 'red' : 'green' });
  if (app.completedAt) events.push({ at: app.completedAt, text: t('detail.ev.completed'), color: 'green' });
  // Attempts of a shared resolution repeat across bundle members; keep one of each.
  const unique = events.filter((e, i) => events.findIndex((o) => o.at === e.at && o.text === e.text) === i);
  unique.sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Timeline
      data-testid="application-timeline"
      items={unique.map((e, i) => ({ key: i, color: e.color ?? 'blue', content: <div><Typography.Text type="secondary" className="mz-small">{date(e.at)}</Typography.Text><div>{e.text}</div></div> }))}
    />
  );
}

function RelatedNotifications({ app }: { app: Application }) {
  const { t, locale } = useAppText();
  const date = useDate();
  // the server picks the notices about this application (linking to it or naming its reference), newest first
  const notes = useApi((signal) => appsApi.notifications({ applicationId: app.id, limit: 100 }, signal), [app.id, app.status]);
  const mine = notes.data?.items ?? [];
  if (notes.loading && !notes.data) return null;
  return mine.length === 0 ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noNotifications')} />
  ) : (
    <ul className="mz-notes" data-testid="application-notifications">
      {mine.map((n) => {
        const text = notificationText(n, locale);
        return (
          <li key={n.id} className={n.read ? '' : 'mz-note-unread'} lang={text.lang}>
            <div className="mz-note-title">{text.title}</div>
            <div className="mz-note-body">{text.body}</div>
            <Typography.Text type="secondary" className="mz-small">{date(n.createdAt)}</Typography.Text>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The clerk's decision: approve, reject or return (the last two with a reason the applicant reads), then complete.
 * A clerk who filed the application (or is its applicant) sees the decision buttons disabled, with why (受审分离).
 */
function DecisionPanel({ app, onChanged }: { app: Application; onChanged: (a: Application) => void }) {
  const { t, tk } = useAppText();
  const { message } = AntApp.useApp();
  const [asking, setAsking] = useState<'reject' | 'return' | null>(null);
  const [reason, setReason] = useState('');
  const [run, busy] = useAction();
  const separated = !!app.viewer && (app.viewer.filedByMe || app.viewer.isApplicant);
  const decide = async (decision: 'approve' | 'reject' | 'return', why?: string) => {
    await run(async () => {
      const updated = await appsApi.decide(app.id, decision, why);
      message.success(t('wb.decided', { status: tk(`status.${updated.status}`, updated.statusLabel) }));
      setAsking(null);
      setReason('');
      onChanged(updated);
    });
  };
  const complete = async () => {
    await run(async () => {
      onChanged(await appsApi.complete(app.id));
      message.success(t('wb.completed'));
    });
  };
  return (
    <Card className="mz-card mz-decision" title={t('wb.decide')} data-testid="decision-panel">
      {app.status === 'under_review' ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {separated && <Alert type="warning" showIcon title={t('wb.separation')} description={t('wb.separationHint')} data-testid="decision-separation" />}
          <Space wrap size="middle">
            <Popconfirm title={t('wb.approveConfirm')} onConfirm={() => void decide('approve')} disabled={separated} okText={t('common.ok')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'decision-approve-confirm' } as ButtonProps}>
              <Button type="primary" size="large" icon={<CheckOutlined />} loading={busy} disabled={separated} data-testid="decision-approve">{t('wb.approve')}</Button>
            </Popconfirm>
            <Button size="large" icon={<RollbackOutlined />} onClick={() => setAsking('return')} disabled={separated} data-testid="decision-return">{t('wb.return')}</Button>
            <Button size="large" danger icon={<CloseOutlined />} onClick={() => setAsking('reject')} disabled={separated} data-testid="decision-reject">{t('wb.reject')}</Button>
          </Space>
        </Space>
      ) : app.status === 'approved' ? (
        <Button type="primary" size="large" loading={busy} onClick={() => void complete()} data-testid="decision-complete">{t('wb.complete')}</Button>
      ) : ['submitted', 'resolving', 'awaiting'].includes(app.status) ? (
        <Alert type="info" showIcon title={t('wb.notReady')} />
      ) : (
        <Typography.Text>{tk(`status.${app.status}`, app.statusLabel)}{app.decisionReason ? `:${app.decisionReason}` : ''}</Typography.Text>
      )}
      <Modal
        open={asking !== null}
        title={asking === 'reject' ? t('wb.reject') : t('wb.return')}
        onCancel={() => setAsking(null)}
        onOk={() => asking && void decide(asking, reason.trim())}
        okButtonProps={{ disabled: reason.trim().length === 0, loading: busy, danger: asking === 'reject', 'data-testid': 'decision-reason-submit' } as ButtonProps}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('wb.reasonRequired')}</Typography.Paragraph>
        <Input.TextArea rows={4} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('wb.reasonPlaceholder')} aria-label={t('wb.reason')} data-testid="decision-reason" />
      </Modal>
    </Card>
  );
}

export default function ApplicationDetailPage() {
  const { id = '' } = useParams();
  const { t, tk, locale } = useAppText();
  const { message } = AntApp.useApp();
  const { user, hasAnyRole } = useAuth();
  const date = useDate();
  const loaded = useApi((signal) => appsApi.get(id, signal), [id]);
  const [app, setApp] = useState<Application>();
  useEffect(() => setApp(loaded.data), [loaded.data]);
  const isClerk = hasAnyRole(['clerk']) && !app?.viewer?.applicantSide;
  // a clerk of the accepting department who filed it (a walk-in case) sees the decision panel, its buttons disabled (受审分离)
  const filedByDepartmentClerk = hasAnyRole(['clerk']) && !!app?.viewer?.filedByMe && !!user?.departmentId && user.departmentId === app.department.id;
  const isAgentViewer = !!app?.viewer?.applicantSide && !app.viewer.isApplicant;

  const todo = useMemo(() => (app?.materials ?? []).filter((m) => m.resolution && m.resolution.status.startsWith('awaiting_') && m.resolution.status !== 'awaiting_verification'), [app]);
  // withdraw and resubmit: one at a time, the buttons show it
  const [runStep, stepping] = useAction();

  if (loaded.error?.status === 404) return <NotFoundPage description={loaded.error.localized(locale)} />;
  if (loaded.error) return <ApiErrorAlert error={loaded.error} onRetry={loaded.reload} />;
  if (!app) return <PageLoading />;

  const withdrawable = app.viewer?.applicantSide && ['draft', 'submitted', 'awaiting', 'under_review', 'returned'].includes(app.status);
  const withdraw = () => runStep(async () => {
    setApp(await appsApi.withdraw(app.id));
    message.success(t('detail.withdrawn'));
  });
  const resubmit = () => runStep(async () => {
    setApp(await appsApi.submit(app.id));
    message.success(t('detail.resubmitted'));
  });

  return (
    <div className="mz-page mz-readable" data-testid="application-detail" data-application-id={app.id} data-status={app.status}>
      <Breadcrumb
        items={[
          { title: isClerk ? <Link to="/workbench">{t('wb.title')}</Link> : hasAnyRole(['applicant', 'agent']) ? <Link to="/applications">{t('mine.title')}</Link> : t('mine.title') },
          { title: app.ref },
        ]}
      />
      <div className="mz-title-row">
        <div>
          <Typography.Title level={2} className="mz-page-title" data-testid="application-title">{app.serviceItem.name}</Typography.Title>
          <Space wrap className="mz-app-meta">
            <AppStatusTag status={app.status} />
            <span className="mz-mono" data-testid="application-ref">{app.ref}</span>
            <span>{app.department.name}</span>
            {app.agent ? <Tag color="purple" data-testid="application-agent">{t('detail.viaAgent', { name: app.agent.name })}</Tag> : null}
          </Space>
        </div>
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={loaded.reload} data-testid="application-refresh">{t('common.refresh')}</Button>
          {app.status === 'returned' && app.viewer?.applicantSide && <Button type="primary" loading={stepping} onClick={() => void resubmit()} data-testid="application-resubmit">{t('detail.resubmit')}</Button>}
          {withdrawable && (
            <Popconfirm title={t('detail.withdrawConfirm')} onConfirm={withdraw} okText={t('common.ok')} cancelText={t('common.cancel')}>
              <Button danger loading={stepping} data-testid="application-withdraw">{t('detail.withdraw')}</Button>
            </Popconfirm>
          )}
        </Space>
      </div>

      {app.revocationSuggested && <Alert type="error" showIcon title={t('detail.revocation')} />}
      {app.status === 'returned' || app.status === 'rejected' ? (
        <Alert type={app.status === 'rejected' ? 'error' : 'warning'} showIcon title={tk(`status.${app.status}`, app.statusLabel)} description={app.decisionReason} data-testid="application-decision-reason" />
      ) : null}
      {todo.length > 0 && app.viewer?.applicantSide && ['awaiting', 'submitted'].includes(app.status) && (
        <Alert type="warning" showIcon data-testid="application-todo" title={t('detail.todoTitle', { n: todo.length })} description={isAgentViewer ? t('detail.todoAgent') : t('detail.todoHint')} />
      )}
      {!app.commitmentRoute.offered && (
        <Alert type="warning" showIcon data-testid="commitment-excluded" title={t('detail.commitmentExcluded')} description={app.commitmentRoute.reason} />
      )}

      <Card className="mz-card">
        <ProgressSteps app={app} />
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Typography.Title level={3} className="mz-section-title">
              {t('detail.materials')}
              <Typography.Text type="secondary" className="mz-section-sub" data-testid="application-summary">
                {t('detail.summary', { total: app.summary.proofMaterials, free: app.summary.satisfiedWithoutSubmission })}
              </Typography.Text>
            </Typography.Title>
            <div className="mz-materials" data-testid="application-materials">
              {app.materials.map((m) => <MaterialPanel key={m.materialId} app={app} material={m} onChanged={setApp} evidenceOpen={isClerk} />)}
            </div>
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            {(isClerk || filedByDepartmentClerk) && <DecisionPanel app={app} onChanged={setApp} />}
            <Card className="mz-card" size="small">
              <Descriptions
                column={1}
                size="small"
                items={[
                  { key: 'applicant', label: t('detail.applicant'), children: <span data-testid="application-applicant">{app.applicant.name} <span className="mz-mono">{app.applicant.codeMask}</span></span> },
                  ...(app.agent ? [{ key: 'agent', label: t('detail.agent'), children: app.agent.name }] : []),
                  ...(app.walkIn ? [{ key: 'walkin', label: '', children: t('detail.walkIn') }] : []),
                  { key: 'submitted', label: t('detail.submittedAt'), children: date(app.submittedAt) || '—' },
                  { key: 'due', label: t('detail.reviewDue'), children: date(app.reviewDueAt) || '—' },
                  ...(app.decidedAt ? [{ key: 'decided', label: t('detail.decidedAt'), children: date(app.decidedAt) }] : []),
                  ...(app.decisionReason ? [{ key: 'reason', label: t('detail.decisionReason'), children: app.decisionReason }] : []),
                  { key: 'version', label: t('detail.catalogVersion'), children: t('detail.catalogVersionN', { n: app.catalogVersion }) },
                  ...(app.bundle ? [{ key: 'bundle', label: t('detail.bundle'), children: <Link to={`/bundles/${app.bundle.id}`}>{app.bundle.name}({app.bundle.ref})</Link> }] : []),
                ]}
              />
            </Card>
            <Card className="mz-card" size="small" title={t('detail.timeline')}>
              <HistoryTimeline app={app} />
            </Card>
            {app.viewer?.applicantSide && (
              <Card className="mz-card" size="small" title={t('detail.notifications')}>
                <RelatedNotifications app={app} />
              </Card>
            )}
          </Space>
        </Col>
      </Row>
    </div>
  );
}
