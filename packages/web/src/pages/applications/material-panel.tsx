import { useState, type ReactNode } from 'react';
import { Alert, App as AntApp, Button, Collapse, Dropdown, Popconfirm, Space, Tag, Typography, Upload } from 'antd';
import { DownOutlined, EditOutlined, FileTextOutlined, KeyOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useAction } from '../../api/use-action';
import { isExemptionMethod } from '../../catalog/types';
import { useI18n } from '../../shell/i18n/i18n';
import { appsApi, asApiError, type Application, type ApplicationMaterial, type ResolutionMethod } from './applications-api';
import { AttemptList, EvidenceView, ResolutionMethodTag, ResolutionStatusTag, useDate } from './components';
import { useAppText } from './messages';

/** Grants the accepting department the use of the applicant's license for this application only, then retries. */
function GrantAction({ app, material, onChanged }: { app: Application; material: ApplicationMaterial; onChanged: (a: Application) => void }) {
  const { t } = useAppText();
  const { message } = AntApp.useApp();
  const [run, busy] = useAction();
  const [missing, setMissing] = useState(false);
  const evidence = material.resolution?.evidence ?? {};
  const typeCode = String(evidence.licenseTypeCode ?? '');
  const typeName = String(evidence.licenseTypeName ?? '');
  const grant = async () => {
    await run(async () => {
      const wallet = await appsApi.wallet();
      const license = wallet.items.find((l) => l.licenseType.code === typeCode && l.status === 'valid' && !l.expired);
      if (!license) {
        setMissing(true);
        return;
      }
      await appsApi.grant(license.id, { departmentId: app.department.id, applicationRef: app.ref, validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString() });
      const updated = await appsApi.retry(app.id, material.materialId);
      message.success(t('mat.granted'));
      onChanged(updated);
    });
  };
  return (
    <div className="mz-mat-action" data-testid="material-grant">
      <Typography.Paragraph className="mz-mat-action-hint">{t('mat.grantHint', { dept: app.department.name, type: typeName, ref: app.ref })}</Typography.Paragraph>
      {missing ? <Alert type="warning" showIcon title={t('mat.noLicense', { type: typeName })} /> : null}
      <Space wrap>
        <Button type="primary" size="large" icon={<KeyOutlined />} loading={busy} onClick={() => void grant()} data-testid="material-grant-button">{t('mat.grant')}</Button>
      </Space>
    </div>
  );
}

function UploadAction({ app, material, onChanged }: { app: Application; material: ApplicationMaterial; onChanged: (a: Application) => void }) {
  const { t } = useAppText();
  const { message } = AntApp.useApp();
  const [run, busy] = useAction();
  const send = async (file: File) => {
    await run(async () => {
      const updated = await appsApi.upload(app.id, material.materialId, file);
      message.success(t('mat.uploaded'));
      onChanged(updated);
    });
  };
  return (
    <div className="mz-mat-action" data-testid="material-upload">
      <Upload
        accept=".pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png"
        showUploadList={false}
        maxCount={1}
        beforeUpload={(file) => { void send(file); return false; }}
      >
        <Button type="primary" size="large" icon={<UploadOutlined />} loading={busy} data-testid="material-upload-button">{t('mat.upload')}</Button>
      </Upload>
      <Typography.Text type="secondary" className="mz-mat-action-hint">{t('mat.uploadHint')}</Typography.Text>
    </div>
  );
}

function SwitchAction({ app, material, onChanged }: { app: Application; material: ApplicationMaterial; onChanged: (a: Application) => void }) {
  const { t, locale } = useAppText();
  const { t: gt } = useI18n();
  const { message } = AntApp.useApp();
  const options = material.resolution?.options ?? [];
  if (options.length === 0) return null;
  const label = (m: ResolutionMethod) => (m === 'upload' ? t('method.upload') : isExemptionMethod(m) ? gt(`method.${m}`) : m);
  const choose = async (method: ResolutionMethod) => {
    try {
      const updated = await appsApi.chooseMethod(app.id, material.materialId, method);
      message.success(t('mat.switched', { method: label(method) }));
      onChanged(updated);
    } catch (e) {
      message.error(asApiError(e).localized(locale));
    }
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{ items: options.map((m) => ({ key: m, label: <span data-testid={`material-switch-${m}`}>{t('mat.switchTo', { method: label(m) })}</span> })), onClick: ({ key }) => void choose(key as ResolutionMethod) }}
    >
      <Button icon={<EditOutlined />} data-testid="material-switch">{t('mat.switch')} <DownOutlined /></Button>
    </Dropdown>
  );
}

/**
 * One material of an application: how it was satisfied, why, on which basis, with the evidence and what is left to do.
 * `inPersonSign` replaces the "awaiting the applicant's signature" notice for a walk-in applicant without an account,
 * who signs at the window (现场签署) — the helper's page supplies it; elsewhere it is absent.
 */
export function MaterialPanel({ app, material, onChanged, evidenceOpen, inPersonSign }: {
  app: Application; material: ApplicationMaterial; onChanged: (a: Application) => void; evidenceOpen: boolean; inPersonSign?: (commitmentId: string) => ReactNode;
}) {
  const { t, pick, locale } = useAppText();
  const { message } = AntApp.useApp();
  const date = useDate();
  const r = material.resolution;
  if (!r) {
    return (
      <section className="mz-material mz-material-form" data-testid="application-material" data-material-id={material.materialId} data-kind="form">
        <div className="mz-material-head">
          <span className="mz-material-status">{t('mat.form')}</span>
          <h3 className="mz-material-name">{material.name}</h3>
        </div>
        <p className="mz-material-explanation">{t('mat.formHint')}</p>
      </section>
    );
  }
  const side = app.viewer?.applicantSide ?? false;
  const isApplicant = app.viewer?.isApplicant ?? false;
  const active = ['submitted', 'awaiting', 'under_review', 'returned'].includes(app.status);
  const free = r.status === 'satisfied' && r.withoutSubmission;
  const todo = r.status.startsWith('awaiting_') && r.status !== 'awaiting_verification';
  const declineCommitment = async () => {
    try {
      onChanged(await appsApi.chooseMethod(app.id, material.materialId, 'upload'));
    } catch (e) {
      message.error(asApiError(e).localized(locale));
    }
  };
  const canUpload = side && (r.status === 'awaiting_upload' || (app.status === 'returned' && (r.method === 'upload' || r.method === 'retained')));

  return (
    <section
      className={`mz-material ${free ? 'mz-material-free' : r.status === 'satisfied' ? 'mz-material-done' : r.status === 'failed' ? 'mz-material-failed' : 'mz-material-required'}`}
      data-testid="application-material"
      data-material-id={material.materialId}
      data-status={r.status}
      data-method={r.method ?? ''}
    >
      <div className="mz-material-head">
        <ResolutionStatusTag resolution={r} />
        <h3 className="mz-material-name" data-testid="material-name">{material.name}</h3>
        <ResolutionMethodTag method={r.method} />
        {r.shared ? <Tag color="geekblue">{t('mat.shared')}</Tag> : null}
      </div>
      <p className="mz-material-explanation" data-testid="material-explanation">{pick(r.explanation, r.explanationEn)}</p>
      <dl className="mz-material-facts">
        {r.legalBasis ? (
          <div><dt>{t('mat.legalBasis')}</dt><dd data-testid="material-legal-basis">{r.legalBasis}</dd></div>
        ) : null}
        <div><dt>{t('mat.issuer')}</dt><dd>{r.issuingDepartmentName}</dd></div>
        {r.verification ? (
          <div>
            <dt>{t('ev.dueAt')}</dt>
            <dd data-testid="material-verification">
              {r.verification.answeredAt
                ? t('mat.verificationAnswered', { at: date(r.verification.answeredAt), reason: r.verification.reason ?? '' })
                : t('mat.verificationDue', { due: date(r.verification.dueAt) })}
            </dd>
          </div>
        ) : null}
      </dl>

      {active && r.status === 'awaiting_grant' && (isApplicant
        ? <GrantAction app={app} material={material} onChanged={onChanged} />
        : side ? <Alert type="info" showIcon title={t('mat.grantAgent')} data-testid="material-awaiting-applicant-grant" /> : null)}

      {r.commitment && (
        <div className="mz-mat-action" data-testid="material-commitment">
          {r.status === 'awaiting_signature' && active ? (
            isApplicant ? (
              <Space wrap>
                <Link to={`/commitments/${r.commitment.id}`}>
                  <Button type="primary" size="large" icon={<EditOutlined />} data-testid="material-sign-link">{t('mat.sign')}</Button>
                </Link>
                <Popconfirm title={t('mat.declineCommitment')} onConfirm={() => declineCommitment()} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Button data-testid="material-decline-commitment">{t('mat.declineCommitment')}</Button>
                </Popconfirm>
              </Space>
            ) : inPersonSign ? (
              inPersonSign(r.commitment.id)
            ) : (
              <Alert type="warning" showIcon data-testid="material-awaiting-applicant-signature" title={t('mat.signAgent')} description={t('mat.signAgentHint')}
                action={<Link to={`/commitments/${r.commitment.id}`}><Button size="small">{t('mat.viewCommitment')}</Button></Link>} />
            )
          ) : (
            <Link to={`/commitments/${r.commitment.id}`} data-testid="material-commitment-link"><FileTextOutlined /> {t('mat.viewCommitment')}</Link>
          )}
        </div>
      )}

      {canUpload && active && <UploadAction app={app} material={material} onChanged={onChanged} />}

      {side && active && todo && r.status !== 'awaiting_signature' && <div className="mz-mat-switch"><SwitchAction app={app} material={material} onChanged={onChanged} /></div>}
      {side && active && r.status === 'failed' && <div className="mz-mat-switch"><SwitchAction app={app} material={material} onChanged={onChanged} /></div>}

      {r.files.length > 0 && (
        <div className="mz-mat-files" data-testid="material-files">
          <Typography.Text strong>{t('mat.files')}:</Typography.Text>{' '}
          {r.files.map((f) => (
            <a key={f.id} href={appsApi.fileUrl(app.id, f.id)} className="mz-mat-file"><PaperClipOutlined /> {f.filename}</a>
          ))}
        </div>
      )}

      {(r.attempts.length > 0 || r.evidence) && (
        <Collapse
          size="small"
          ghost
          className="mz-mat-collapse"
          defaultActiveKey={evidenceOpen ? ['attempts', 'evidence'] : []}
          items={[
            ...(r.attempts.length > 0 ? [{ key: 'attempts', label: t('mat.attempts'), children: <AttemptList attempts={r.attempts} /> }] : []),
            ...(r.evidence ? [{ key: 'evidence', label: t('mat.evidence'), children: <EvidenceView evidence={r.evidence} applicationId={app.id} /> }] : []),
          ]}
        />
      )}
    </section>
  );
}
