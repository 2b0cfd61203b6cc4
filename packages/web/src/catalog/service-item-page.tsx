import { Alert, Breadcrumb, Button, Card, Empty, Progress, Space, Typography } from 'antd';
import { CheckCircleFilled, ExclamationCircleFilled, FormOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { useAuth } from '../identity/auth-context';
import { ApiErrorAlert, NotFoundPage, PageLoading } from '../shell/feedback';
import { formatDateTime, labelColon, useI18n, type Translate } from '../shell/i18n/i18n';
import { catalogApi } from './catalog-api';
import { MethodTags } from './methods';
import { applicantKindsLabel, ownApplicantKind } from './applicant-kinds';
import { isExemptionMethod, type Material } from './types';
import { useVersionParam, withVersion } from './version-param';

/** Drops a leading "无需提交 — " / "需要提交:" when the card already shows it as its badge. */
function withoutHeadline(sentence: string, headline: string): string {
  if (!sentence.startsWith(headline)) return sentence;
  const rest = sentence.slice(headline.length).replace(/^\s*[—–\-:,:,]+\s*/, '');
  return rest.length > 0 && rest !== sentence.slice(headline.length) ? rest : sentence;
}

/** The server's sentence in the user's language, or one built from the method if it sent none. */
function explanationOf(material: Material, locale: 'zh-CN' | 'en', t: Translate): string {
  const fromServer = locale === 'en' ? material.explanationEn || material.explanation : material.explanation;
  if (fromServer) return withoutHeadline(fromServer.trim(), material.mustProvide ? t('material.mustProvide') : t('material.noNeed'));
  const dept = material.issuingDepartmentName || t('material.someDepartment');
  if (material.mustProvide) return t('material.fallback.retained');
  return isExemptionMethod(material.method) ? t(`material.fallback.${material.method}`, { dept }) : t('material.fallback.unknown');
}

function MaterialCard({ material, version }: { material: Material; version: number | undefined }) {
  const { t, locale } = useI18n();
  const free = !material.mustProvide;
  // Materials that are not proofs (an application form: method "form") have no exemption method to show.
  const methods = (material.methods?.length ? material.methods : [material.method]).filter(isExemptionMethod);
  return (
    <section
      className={`mz-material ${free ? 'mz-material-free' : 'mz-material-required'}`}
      data-testid="material-card"
      data-material-id={material.id}
      data-must-provide={String(material.mustProvide)}
    >
      <div className="mz-material-head">
        <span className="mz-material-status" data-testid="material-status">
          {free ? <CheckCircleFilled /> : <ExclamationCircleFilled />}
          {free ? t('material.noNeed') : t('material.mustProvide')}
        </span>
        <h3 className="mz-material-name" data-testid="material-name">
          {material.name}
        </h3>
      </div>
      <p className="mz-material-explanation" data-testid="material-explanation">
        {explanationOf(material, locale, t)}
      </p>
      <dl className="mz-material-facts">
        {methods.length > 0 ? (
          <div>
            <dt>{t('material.howWeGetIt')}</dt>
            <dd>
              <MethodTags methods={methods} />
            </dd>
          </div>
        ) : null}
        {material.legalBasis ? (
          <div>
            <dt>{t('material.legalBasis')}</dt>
            <dd data-testid="material-legal-basis">{material.legalBasis}</dd>
          </div>
        ) : null}
      </dl>
      {material.proofItemId ? (
        <Link
          to={withVersion(`/proof-items/${encodeURIComponent(material.proofItemId)}`, version)}
          className="mz-material-link"
          data-testid="material-proof-link"
        >
          {t('material.viewProof', { name: material.proofItemName ?? material.name })}
        </Link>
      ) : null}
    </section>
  );
}

export default function ServiceItemPage() {
  const { code = '' } = useParams();
  const version = useVersionParam();
  const { t, locale } = useI18n();
  const { user, hasAnyRole } = useAuth();
  const { data: item, error, loading, reload } = useApi((signal) => catalogApi.serviceItem(code, version, signal), [code, version]);

  if (error?.status === 404 && error.code !== 'CATALOG.NOT_PUBLISHED') {
    return <NotFoundPage title={t('service.notFound')} description={error.localized(locale)} />;
  }
  if (error) return <ApiErrorAlert error={error} onRetry={reload} />;
  if (loading && !item) return <PageLoading />;
  if (!item) return null;

  const total = item.materials.length;
  const free = item.materials.filter((m) => !m.mustProvide).length;
  // Materials the applicant needn't submit first: that is the good news.
  const materials = [...item.materials].sort((a, b) => Number(a.mustProvide) - Number(b.mustProvide));
  const kinds = item.applicantKinds ?? [];
  // A signed-in person or enterprise the item does not serve is told so instead of offered to apply.
  const ownKind = ownApplicantKind(user);
  const notForMe = !!ownKind && hasAnyRole(['applicant']) && kinds.length > 0 && !kinds.includes(ownKind);

  return (
    <div className="mz-page mz-readable" data-testid="service-item-page">
      <Breadcrumb items={[{ title: <Link to="/?tab=service">{t('nav.search')}</Link> }, { title: t('service.detailTitle') }]} />
      {version && item.version && (
        <Alert
          type="warning"
          showIcon
          className="mz-gap"
          title={t('search.historicVersion', { number: item.version.number, date: formatDateTime(item.version.publishedAt, locale) })}
        />
      )}
      <div className="mz-title-row">
        <Typography.Title level={2} className="mz-page-title" data-testid="service-item-name">
          {item.name}
        </Typography.Title>
        {!version && !notForMe && (user === null || hasAnyRole(['applicant', 'agent'])) ? (
          <Link to={`/apply?serviceItem=${encodeURIComponent(item.code)}`} data-testid="service-item-apply">
            <Button type="primary" size="large" icon={<FormOutlined />}>{t('service.apply')}</Button>
          </Link>
        ) : null}
      </div>
      <Typography.Paragraph type="secondary" className="mz-service-meta">
        <Space separator="·" wrap>
          <span>{item.department?.name}</span>
          <span>{item.regionName}</span>
          <span className="mz-mono">{item.code}</span>
          {kinds.length > 0 ? (
            <span data-testid="service-item-applicant-kinds" data-kinds={kinds.join(',')}>
              {t('service.applicantKinds')}{labelColon(locale)}{applicantKindsLabel(kinds, t, locale)}
            </span>
          ) : null}
        </Space>
      </Typography.Paragraph>
      {notForMe && ownKind ? (
        <Alert
          type="info"
          showIcon
          className="mz-gap"
          data-testid="service-item-not-for-you"
          title={t('service.notForYou', { kinds: applicantKindsLabel(kinds, t, locale), you: t(`service.you.${ownKind}`) })}
        />
      ) : null}

      <Card className="mz-card mz-summary" data-testid="service-item-summary">
        <div className="mz-summary-body">
          <Progress
            type="circle"
            percent={total ? Math.round((free / total) * 100) : 0}
            size={96}
            strokeColor="#389e0d"
            format={() => `${free}/${total}`}
          />
          <div className="mz-summary-text">
            <p className="mz-summary-headline">{t('service.summary', { total, free })}</p>
            <p className="mz-summary-hint">{t('service.summaryHint')}</p>
          </div>
        </div>
      </Card>

      {total === 0 ? (
        <Empty description={t('service.noMaterials')} />
      ) : (
        <div className="mz-materials" data-testid="materials">
          {materials.map((material) => (
            <MaterialCard key={material.id} material={material} version={version} />
          ))}
        </div>
      )}
    </div>
  );
}
