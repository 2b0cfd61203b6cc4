import { Descriptions, Steps, Tag, Typography } from 'antd';
import { CheckCircleFilled, ClockCircleFilled, CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { methodColors } from '../../catalog/methods';
import { isExemptionMethod } from '../../catalog/types';
import { formatDateTime, useI18n } from '../../shell/i18n/i18n';
import type { ApplicationStatus, Attempt, Resolution } from './applications-api';
import { useAppText } from './messages';

const statusColors: Record<ApplicationStatus, string> = {
  draft: 'default', submitted: 'processing', resolving: 'processing', awaiting: 'warning', under_review: 'blue',
  approved: 'success', rejected: 'error', returned: 'orange', completed: 'green', withdrawn: 'default',
};

export function AppStatusTag({ status }: { status: ApplicationStatus | string }) {
  const { tk } = useAppText();
  return (
    <Tag color={statusColors[status as ApplicationStatus] ?? 'default'} data-testid="application-status" data-status={status} className="mz-app-status">
      {tk(`status.${status}`, status)}
    </Tag>
  );
}

/** A resolution's state in words the applicant reads, with an icon that carries the meaning without colour. */
export function ResolutionStatusTag({ resolution }: { resolution: Resolution }) {
  const { t, tk } = useAppText();
  const { status } = resolution;
  const label = status === 'satisfied' ? (resolution.withoutSubmission ? t('res.satisfiedFree') : t('res.satisfiedUploaded')) : tk(`res.${status}`, status);
  const kind = status === 'satisfied' ? 'ok' : status === 'failed' ? 'bad' : status === 'pending' || status === 'awaiting_verification' ? 'wait' : 'todo';
  const icon = { ok: <CheckCircleFilled />, bad: <CloseCircleFilled />, wait: <ClockCircleFilled />, todo: <ExclamationCircleFilled /> }[kind];
  return (
    <span className={`mz-res-status mz-res-${kind}`} data-testid="resolution-status" data-status={status}>
      {icon}
      {label}
    </span>
  );
}

export function ResolutionMethodTag({ method }: { method: string | null }) {
  const { t } = useI18n();
  const { t: at } = useAppText();
  if (!method) return null;
  const label = method === 'upload' ? at('method.upload') : isExemptionMethod(method) ? t(`method.${method}`) : method;
  const color = isExemptionMethod(method) ? methodColors[method] : 'red';
  return <Tag color={color} data-testid="resolution-method" data-method={method}>{label}</Tag>;
}

export function useDate() {
  const { locale } = useI18n();
  return (iso: string | null | undefined) => formatDateTime(iso, locale);
}

export function pct(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits)}%`;
}

/** What happened to a material, method by method: the fallback reasons the applicant is owed. */
export function AttemptList({ attempts }: { attempts: Attempt[] }) {
  const { tk, pick } = useAppText();
  const date = useDate();
  const { t } = useI18n();
  const { t: at } = useAppText();
  if (attempts.length === 0) return null;
  return (
    <ol className="mz-attempts" data-testid="material-attempts">
      {attempts.map((a, i) => (
        <li key={`${a.method}-${a.at}-${i}`} data-outcome={a.outcome} data-method={a.method}>
          <span className="mz-attempt-method">{a.method === 'upload' ? at('method.upload') : isExemptionMethod(a.method) ? t(`method.${a.method}`) : a.method}</span>
          <Tag color={a.outcome === 'satisfied' ? 'success' : a.outcome === 'awaiting' ? 'processing' : 'warning'}>{tk(`mat.outcome.${a.outcome}`, a.outcome)}</Tag>
          <span className="mz-attempt-reason">{pick(a.reason, a.reasonEn)}</span>
          <Typography.Text type="secondary" className="mz-small"> · {date(a.at)}</Typography.Text>
        </li>
      ))}
    </ol>
  );
}

const scalar = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** The evidence a resolution recorded, with the usual facts named and the rest shown raw. */
export function EvidenceView({ evidence, applicationId }: { evidence: Record<string, unknown> | null; applicationId: string }) {
  const { t } = useAppText();
  const date = useDate();
  if (!evidence || Object.keys(evidence).length === 0) return null;
  const e = evidence;
  const rows: { key: string; label: string; value: React.ReactNode }[] = [];
  const add = (key: string, label: string, value: React.ReactNode) => {
    if (value !== undefined && value !== null && value !== '') rows.push({ key, label, value });
  };
  const verification = e.verification as { verified?: boolean; checks?: { name: string; ok: boolean }[] } | undefined;
  const signature = e.signature as { keyId?: string; suite?: string } | undefined;
  add('licenseTypeName', t('ev.licenseTypeName'), scalar(e.licenseTypeName));
  add('identifier', t('ev.identifier'), e.identifier ? <span className="mz-mono mz-break">{scalar(e.identifier)}</span> : undefined);
  add('issuerName', t('ev.issuerName'), scalar(e.issuerName));
  if ('validUntil' in e && e.identifier) add('validUntil', t('ev.validUntil'), scalar(e.validUntil) || t('ev.indefinite'));
  if (verification) {
    add('verified', t('ev.verified'), verification.verified
      ? <Tag color="success" data-testid="evidence-verified">{t('ev.verifiedOk')}{verification.checks?.length ? `(${verification.checks.filter((c) => c.ok).length}/${verification.checks.length})` : ''}</Tag>
      : <Tag color="error">{t('ev.verifiedFail')}</Tag>);
  }
  add('providerName', t('ev.providerName'), scalar(e.providerName));
  if (e.asOf) add('asOf', t('ev.asOf'), date(scalar(e.asOf)));
  if (e.answer !== undefined) add('answer', t('ev.answer'), <span className="mz-mono">{scalar(e.answer)}</span>);
  if (signature) add('signature', t('ev.signature'), <span className="mz-mono mz-break">{signature.suite} · {signature.keyId}</span>);
  add('queryId', t('ev.queryId'), e.queryId ? <span className="mz-mono">{scalar(e.queryId)}</span> : undefined);
  if (e.dueAt) add('dueAt', t('ev.dueAt'), date(scalar(e.dueAt)));
  add('answeredBy', t('ev.answeredBy'), scalar(e.answeredBy));
  if (e.answeredAt) add('answeredAt', t('ev.answeredAt'), date(scalar(e.answeredAt)));
  if (typeof e.confirmed === 'boolean') add('confirmed', t('ev.confirmed'), e.confirmed ? <Tag color="success">{t('ev.confirmedYes')}</Tag> : <Tag color="error">{t('ev.confirmedNo')}</Tag>);
  add('reason', t('ev.reason'), scalar(e.reason));
  if (typeof e.onTime === 'boolean') add('onTime', t('ev.onTime'), e.onTime ? t('common.yes') : t('common.no'));
  if (e.fileId && e.filename) {
    add('filename', t('ev.filename'), <a href={`/api/v1/applications/${encodeURIComponent(applicationId)}/files/${encodeURIComponent(scalar(e.fileId))}`}>{scalar(e.filename)}</a>);
  }
  add('mediaType', t('ev.mediaType'), scalar(e.mediaType));
  add('sm3', t('ev.sm3'), e.sm3 ? <span className="mz-mono mz-break">{scalar(e.sm3)}</span> : undefined);
  add('note', t('ev.note'), scalar(e.note));
  if (e.document) {
    const doc = e.document as { title?: string; documentId?: string; signature?: { keyId?: string } };
    add('document', t('ev.document'), <span>{doc.title ?? ''} <span className="mz-mono">{doc.documentId ?? ''}</span>{doc.signature?.keyId ? ` · SM2 ${doc.signature.keyId}` : ''}</span>);
  }
  return (
    <div className="mz-evidence" data-testid="material-evidence">
      {rows.length > 0 && (
        <Descriptions size="small" column={1} bordered items={rows.map((r) => ({ key: r.key, label: r.label, children: r.value }))} />
      )}
      <details className="mz-evidence-raw">
        <summary>{t('ev.raw')}</summary>
        <pre className="mz-mono">{JSON.stringify(evidence, null, 2)}</pre>
      </details>
    </div>
  );
}

/** The head of a step-by-step application page (the applicant's 申请 wizard, the helper's 帮办 walk-in): title, lead and the steps. */
export function WizardHeader({ title, lead, steps, current, testId }: { title: string; lead: string; steps: string[]; current: number; testId: string }) {
  return (
    <>
      <Typography.Title level={2} className="mz-page-title">{title}</Typography.Title>
      <Typography.Paragraph type="secondary" className="mz-lead">{lead}</Typography.Paragraph>
      <Steps current={current} items={steps.map((s) => ({ title: s }))} data-testid={testId} className="mz-apply-steps" />
    </>
  );
}
