import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Breadcrumb, Button, Card, Checkbox, Descriptions, Modal, Result, Space, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { FilePdfOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert, NotFoundPage, PageLoading } from '../../shell/feedback';
import { appsApi, type Commitment } from './applications-api';
import { useDate } from './components';
import { CommitmentDocument } from './commitment-view';
import { useAppText } from './messages';
import './applications.css';
import { labelColon } from '../../shell/i18n/i18n';

/** The 告知承诺书: the notice, the applicant's four statements ticked one by one, the applicant's own signature, the PDF. */
export default function CommitmentPage() {
  const { id = '' } = useParams();
  const { t, tk, locale } = useAppText();
  const { message } = AntApp.useApp();
  const date = useDate();
  const loaded = useApi((signal) => appsApi.commitment(id, signal), [id]);
  const [c, setC] = useState<Commitment>();
  const [ticked, setTicked] = useState<number[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [run, busy] = useAction();
  const [scheduled, setScheduled] = useState<boolean>();
  useEffect(() => setC(loaded.data), [loaded.data]);

  if (loaded.error?.status === 404) return <NotFoundPage description={loaded.error.localized(locale)} />;
  if (loaded.error) return <ApiErrorAlert error={loaded.error} onRetry={loaded.reload} />;
  if (!c) return <PageLoading />;

  const pending = c.status === 'pending_signature';
  const allTicked = ticked.length === c.statements.length;
  const sign = async () => {
    await run(
      async () => {
        const r = await appsApi.sign(c.id);
        setC(r.commitment);
        setScheduled(r.postCheckScheduled);
        setConfirming(false);
        message.success(t('commit.signed'));
      },
      {
        onError: (error) => {
          message.error(error.localized(locale));
          setConfirming(false);
        },
      },
    );
  };

  return (
    <div className="mz-page mz-readable mz-commitment" data-testid="commitment-page" data-status={c.status}>
      <Breadcrumb items={[{ title: <Link to={`/applications/${c.applicationId}`}>{c.applicationRef}</Link> }, { title: t('commit.title') }]} />
      <div className="mz-title-row">
        <div>
          <Typography.Title level={2} className="mz-page-title">{t('commit.title')} · {c.proofItemName}</Typography.Title>
          <Space wrap className="mz-app-meta">
            <Tag color={pending ? 'orange' : c.status === 'signed' ? 'green' : 'default'} data-testid="commitment-status">{tk(`commit.status.${c.status}`, c.status)}</Tag>
            <span>{c.serviceItemName}</span>
            <span className="mz-mono">{c.applicationRef}</span>
          </Space>
        </div>
        <a href={appsApi.commitmentPdfUrl(c.id)} target="_blank" rel="noreferrer" data-testid="commitment-pdf">
          <Button size="large" icon={<FilePdfOutlined />}>{t('commit.pdf')}</Button>
        </a>
      </div>
      {pending && <Typography.Paragraph className="mz-lead">{t('commit.subtitle')}</Typography.Paragraph>}

      {c.status === 'signed' && (
        <Result
          status="success"
          title={t('commit.signed')}
          subTitle={scheduled === undefined ? undefined : scheduled ? t('commit.postCheckScheduled') : t('commit.postCheckNotDrawn')}
          data-testid="commitment-signed"
          extra={<Link to={`/applications/${c.applicationId}`}><Button type="primary" size="large">{t('commit.backToApplication', { ref: c.applicationRef })}</Button></Link>}
        />
      )}

      <CommitmentDocument commitment={c} />

      {pending && c.canSign && (
        <Card className="mz-card mz-sign-card" title={t('commit.statements')} data-testid="commitment-sign-card">
          <Checkbox.Group value={ticked} onChange={(v) => setTicked(v as number[])} className="mz-statements">
            {c.statements.map((s, i) => (
              <Checkbox key={s} value={i} data-testid={`commitment-statement-${i}`} className="mz-statement">{s}</Checkbox>
            ))}
          </Checkbox.Group>
          <div className="mz-sign-row">
            <Button type="primary" size="large" icon={<SafetyCertificateOutlined />} disabled={!allTicked} onClick={() => setConfirming(true)} data-testid="commitment-sign">
              {t('commit.sign')}
            </Button>
            <Link to={`/applications/${c.applicationId}`}>{t('commit.decline')}</Link>
          </div>
          <Modal
            open={confirming}
            title={t('commit.sign')}
            onCancel={() => setConfirming(false)}
            onOk={() => void sign()}
            okText={t('commit.sign')}
            cancelText={t('common.cancel')}
            okButtonProps={{ loading: busy, 'data-testid': 'commitment-sign-confirm' } as ButtonProps}
            destroyOnHidden
          >
            <Typography.Paragraph>{t('commit.signConfirm')}</Typography.Paragraph>
            <Typography.Paragraph>{t('commit.applicant')}{labelColon(locale)}{c.applicantName}({c.applicantCodeMask})</Typography.Paragraph>
          </Modal>
        </Card>
      )}

      {pending && !c.canSign && (
        <Alert
          type="warning"
          showIcon
          data-testid="commitment-cannot-sign"
          title={t('commit.cannotSign')}
          description={t('commit.agentCannotSign')}
        />
      )}

      {!pending && c.status !== 'signed' && <Alert type="info" showIcon title={t('commit.notPending', { status: tk(`commit.status.${c.status}`, c.status) })} />}

      {c.signedAt && (
        <Card className="mz-card" size="small">
          <Descriptions
            column={1}
            size="small"
            data-testid="commitment-seal"
            items={[
              { key: 'at', label: t('commit.signedAt'), children: date(c.signedAt) },
              { key: 'via', label: t('commit.signedVia'), children: c.signedVia ? tk(`commit.via.${c.signedVia}`, c.signedVia) : '' },
              { key: 'digest', label: t('commit.digest'), children: <span className="mz-mono mz-break">{c.textDigest}</span> },
              ...(c.seal ? [{ key: 'seal', label: t('commit.seal'), children: <span className="mz-mono mz-break">{String((c.seal as { keyId?: string }).keyId ?? '')} · {String((c.seal as { signature?: string }).signature ?? '').slice(0, 48)}…</span> }] : []),
            ]}
          />
        </Card>
      )}
    </div>
  );
}
