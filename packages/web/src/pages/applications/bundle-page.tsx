import { Alert, Breadcrumb, Card, Col, Row, Space, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert, NotFoundPage, PageLoading } from '../../shell/feedback';
import { appsApi } from './applications-api';
import { AppStatusTag } from './components';
import { useAppText } from './messages';
import './applications.css';

/** An integrated-service request: each item with its own state and decision, proofs resolved once. */
export default function BundlePage() {
  const { id = '' } = useParams();
  const { t, locale } = useAppText();
  const loaded = useApi((signal) => appsApi.bundle(id, signal), [id]);
  if (loaded.error?.status === 404) return <NotFoundPage description={loaded.error.localized(locale)} />;
  if (loaded.error) return <ApiErrorAlert error={loaded.error} onRetry={loaded.reload} />;
  const b = loaded.data;
  if (!b) return <PageLoading />;
  const proofs = new Map<string, { name: string; free: boolean }>();
  for (const a of b.applications) {
    for (const m of a.materials) {
      if (m.resolution) proofs.set(m.resolution.id, { name: m.resolution.proofItemName, free: m.resolution.status === 'satisfied' && !!m.resolution.withoutSubmission });
    }
  }
  return (
    <div className="mz-page mz-readable" data-testid="bundle-page">
      <Breadcrumb items={[{ title: <Link to="/applications">{t('mine.title')}</Link> }, { title: b.ref }]} />
      <Typography.Title level={2} className="mz-page-title" data-testid="bundle-name">{b.name}</Typography.Title>
      <Typography.Text className="mz-mono">{b.ref}</Typography.Text>
      <Alert type="info" showIcon title={t('bundle.hint')} />
      <Row gutter={[16, 16]}>
        {b.applications.map((a) => (
          <Col xs={24} md={12} xl={8} key={a.id}>
            <Card className="mz-card" data-testid="bundle-member" data-status={a.status}
              title={<Link to={`/applications/${a.id}`} data-testid="bundle-member-link">{a.serviceItem.name}</Link>}
              extra={<AppStatusTag status={a.status} />}>
              <Space orientation="vertical">
                <span>{a.department.name}</span>
                <span className="mz-mono mz-small">{a.ref}</span>
                <span>{t('detail.summary', { total: a.summary.proofMaterials, free: a.summary.satisfiedWithoutSubmission })}</span>
                {a.summary.awaiting > 0 ? <Typography.Text type="warning">{t('mine.todo', { n: a.summary.awaiting })}</Typography.Text> : null}
              </Space>
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Paragraph type="secondary">
        {t('apply.bundleSummary', { unique: proofs.size, total: b.applications.reduce((n, a) => n + a.summary.proofMaterials, 0), free: [...proofs.values()].filter((p) => p.free).length })}
      </Typography.Paragraph>
    </div>
  );
}
