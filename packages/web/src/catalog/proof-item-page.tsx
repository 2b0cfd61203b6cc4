import { Alert, Breadcrumb, Card, Descriptions, Empty, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { ApiErrorAlert, NotFoundPage, PageLoading } from '../shell/feedback';
import { formatDateTime, useI18n } from '../shell/i18n/i18n';
import { catalogApi } from './catalog-api';
import { MethodTag, MethodTags } from './methods';
import { isExemptionMethod, type ProofItemDetail } from './types';
import { useVersionParam, withVersion } from './version-param';

type ServiceRow = ProofItemDetail['serviceItems'][number];

function formatRate(rate: number): string {
  // samplingRate is a fraction (0.1 = 10%); tolerate a percentage too.
  const percent = rate > 1 ? rate : rate * 100;
  return `${Math.round(percent * 10) / 10}%`;
}

export default function ProofItemPage() {
  const { id = '' } = useParams();
  const version = useVersionParam();
  const { t, locale } = useI18n();
  const { data: item, error, loading, reload } = useApi((signal) => catalogApi.proofItem(id, version, signal), [id, version]);

  if (error?.status === 404 && error.code !== 'CATALOG.NOT_PUBLISHED') {
    return <NotFoundPage title={t('proof.notFound')} description={error.localized(locale)} />;
  }
  if (error) return <ApiErrorAlert error={error} onRetry={reload} />;
  if (loading && !item) return <PageLoading />;
  if (!item) return null;

  const serviceColumns: TableColumnsType<ServiceRow> = [
    {
      title: t('service.name'),
      dataIndex: 'name',
      render: (name: string, row) => (
        <Link to={withVersion(`/service-items/${encodeURIComponent(row.code)}`, version)} data-testid="service-item-link" className="mz-strong-link">
          {name}
        </Link>
      ),
    },
    { title: t('service.department'), dataIndex: 'departmentName' },
    { title: t('service.region'), dataIndex: 'regionName', responsive: ['md'] },
    { title: t('service.code'), dataIndex: 'code', responsive: ['lg'], className: 'mz-mono' },
  ];

  return (
    <div className="mz-page" data-testid="proof-item-page">
      <Breadcrumb
        items={[
          { title: <Link to="/">{t('nav.search')}</Link> },
          { title: t('proof.detailTitle') },
        ]}
      />
      {version && item.version && (
        <Alert
          type="warning"
          showIcon
          className="mz-gap"
          title={t('search.historicVersion', { number: item.version.number, date: formatDateTime(item.version.publishedAt, locale) })}
        />
      )}
      <Typography.Title level={2} className="mz-page-title" data-testid="proof-item-name">
        {item.name}
      </Typography.Title>

      <Card className="mz-card">
        <Descriptions
          column={{ xs: 1, md: 2 }}
          size="middle"
          bordered
          items={[
            {
              key: 'department',
              label: t('proof.issuingDepartment'),
              children: <span data-testid="proof-item-department">{item.issuingDepartment?.name}</span>,
            },
            { key: 'region', label: t('proof.region'), children: item.regionName },
            {
              key: 'methods',
              label: t('proof.methods'),
              span: 'filled',
              children: (
                <span data-testid="proof-item-methods">
                  <MethodTags methods={item.methods} />
                </span>
              ),
            },
            {
              key: 'legalBasis',
              label: t('proof.legalBasis'),
              span: 'filled',
              children: (
                <span data-testid="proof-item-legal-basis" className="mz-legal-basis">
                  {item.legalBasis || t('common.none')}
                </span>
              ),
            },
            ...(item.notes ? [{ key: 'notes', label: t('proof.notes'), span: 'filled' as const, children: item.notes }] : []),
          ]}
        />
      </Card>

      <Card title={t('proof.methodsExplained')} className="mz-card" data-testid="proof-item-method-explanations">
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {item.methods.map((method) => (
            <div key={method} className="mz-method-explain">
              <MethodTag method={method} />
              <Typography.Text>{isExemptionMethod(method) ? t(`method.explain.${method}`) : method}</Typography.Text>
            </div>
          ))}
        </Space>
      </Card>

      {item.commitment ? (
        <Card title={t('proof.commitment')} className="mz-card" data-testid="proof-item-commitment">
          <Descriptions
            column={1}
            bordered
            size="middle"
            items={[
              { key: 'conditions', label: t('proof.commitmentConditions'), children: item.commitment.conditions },
              { key: 'consequence', label: t('proof.commitmentConsequence'), children: item.commitment.consequence },
              {
                key: 'postCheck',
                label: t('proof.postCheck'),
                children: t('proof.postCheckText', {
                  rate: formatRate(item.commitment.postCheck.samplingRate),
                  days: item.commitment.postCheck.withinDays,
                }),
              },
            ]}
          />
        </Card>
      ) : null}

      <Card title={t('proof.serviceItems')} className="mz-card">
        <Table<ServiceRow>
          rowKey="code"
          columns={serviceColumns}
          dataSource={item.serviceItems ?? []}
          pagination={(item.serviceItems?.length ?? 0) > 10 ? { pageSize: 10 } : false}
          locale={{ emptyText: <Empty description={t('proof.noServiceItems')} /> }}
          data-testid="proof-item-service-items"
        />
      </Card>
    </div>
  );
}
