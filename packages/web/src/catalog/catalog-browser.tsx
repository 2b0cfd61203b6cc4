import { useEffect, useState } from 'react';
import { Alert, Empty, Input, Progress, Space, Table, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/http';
import { useApi } from '../api/use-api';
import { ApiErrorAlert } from '../shell/feedback';
import { formatDateTime, useI18n } from '../shell/i18n/i18n';
import { catalogApi } from './catalog-api';
import { MethodTags } from './methods';
import { DepartmentSelect, MethodSelect, RegionCascader } from './reference-data';
import type { Page, ProofItemSummary, ServiceItemSummary, VersionRef } from './types';

type Tab = 'proof' | 'service';

const defaultPageSize = 20;

function versionSuffix(version: number | undefined): string {
  return version ? `?version=${version}` : '';
}

function VersionBanner({ version, pinned }: { version: VersionRef | undefined; pinned: number | undefined }) {
  const { t, locale } = useI18n();
  if (!version) return null;
  const date = formatDateTime(version.publishedAt, locale);
  if (pinned) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="version-banner"
        title={t('search.historicVersion', { number: version.number, date })}
        action={<Link to="/">{t('search.backToLatest')}</Link>}
      />
    );
  }
  return (
    <Typography.Text type="secondary" data-testid="version-banner">
      {t('search.currentVersion', { number: version.number, date })}
    </Typography.Text>
  );
}

function ResultError({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const { t } = useI18n();
  if (error.code === 'CATALOG.NOT_PUBLISHED') {
    return <Empty description={t('search.notPublished')} data-testid="not-published" />;
  }
  return <ApiErrorAlert error={error} onRetry={onRetry} />;
}

function ProofItemsTable({
  state,
  version,
  onPage,
}: {
  state: { data: Page<ProofItemSummary> | undefined; loading: boolean };
  version: number | undefined;
  onPage: (page: number, pageSize: number) => void;
}) {
  const { t } = useI18n();
  const columns: TableColumnsType<ProofItemSummary> = [
    {
      title: t('proof.name'),
      dataIndex: 'name',
      render: (name: string, item) => (
        <Link to={`/proof-items/${encodeURIComponent(item.id)}${versionSuffix(version)}`} data-testid="proof-item-link" className="mz-strong-link">
          {name}
        </Link>
      ),
    },
    { title: t('proof.issuingDepartment'), dataIndex: ['issuingDepartment', 'name'], responsive: ['md'] },
    { title: t('proof.region'), dataIndex: 'regionName', width: 110, responsive: ['lg'] },
    {
      title: t('proof.methods'),
      dataIndex: 'methods',
      render: (methods: string[]) => <MethodTags methods={methods} />,
    },
    {
      title: t('proof.legalBasis'),
      dataIndex: 'legalBasis',
      ellipsis: { showTitle: true },
      responsive: ['xl'],
    },
    { title: t('proof.serviceItemCount'), dataIndex: 'serviceItemCount', width: 96, align: 'right' },
  ];
  const data = state.data;
  return (
    <Table<ProofItemSummary>
      rowKey="id"
      columns={columns}
      dataSource={data?.items ?? []}
      loading={state.loading}
      locale={{ emptyText: <Empty description={t('search.noResult')} /> }}
      pagination={{
        current: data?.page ?? 1,
        pageSize: data?.pageSize ?? defaultPageSize,
        total: data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t('common.total', { total }),
        onChange: onPage,
      }}
      data-testid="proof-items-table"
    />
  );
}

function ServiceItemsTable({
  state,
  version,
  onPage,
}: {
  state: { data: Page<ServiceItemSummary> | undefined; loading: boolean };
  version: number | undefined;
  onPage: (page: number, pageSize: number) => void;
}) {
  const { t } = useI18n();
  const columns: TableColumnsType<ServiceItemSummary> = [
    {
      title: t('service.name'),
      dataIndex: 'name',
      render: (name: string, item) => (
        <Link to={`/service-items/${encodeURIComponent(item.code)}${versionSuffix(version)}`} data-testid="service-item-link" className="mz-strong-link">
          {name}
        </Link>
      ),
    },
    { title: t('service.code'), dataIndex: 'code', responsive: ['xl'], className: 'mz-mono' },
    { title: t('service.department'), dataIndex: ['department', 'name'], responsive: ['md'] },
    { title: t('service.region'), dataIndex: 'regionName', width: 110, responsive: ['lg'] },
    {
      title: t('service.proofFree'),
      key: 'proofFree',
      width: 220,
      render: (_: unknown, item) => (
        <Space orientation="vertical" size={0} style={{ width: '100%' }}>
          <Typography.Text>{t('service.proofFreeOf', { free: item.proofFreeCount, total: item.materialCount })}</Typography.Text>
          <Progress
            percent={item.materialCount ? Math.round((item.proofFreeCount / item.materialCount) * 100) : 0}
            size="small"
            showInfo={false}
            strokeColor="#389e0d"
          />
        </Space>
      ),
    },
  ];
  const data = state.data;
  return (
    <Table<ServiceItemSummary>
      rowKey="code"
      columns={columns}
      dataSource={data?.items ?? []}
      loading={state.loading}
      locale={{ emptyText: <Empty description={t('search.noResult')} /> }}
      pagination={{
        current: data?.page ?? 1,
        pageSize: data?.pageSize ?? defaultPageSize,
        total: data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t('common.total', { total }),
        onChange: onPage,
      }}
      data-testid="service-items-table"
    />
  );
}

/**
 * Search over the published exemption list. Every filter lives in the URL so that
 * a result can be shared and the back button restores it. With `version` the
 * browser is pinned to one historic version.
 */
export function CatalogBrowser({ version }: { version?: number }) {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'service' ? 'service' : 'proof';
  const q = params.get('q') ?? '';
  const region = params.get('region') ?? undefined;
  const department = params.get('department') ?? undefined;
  const method = params.get('method') ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? String(defaultPageSize)) || defaultPageSize;
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);

  const update = (changes: Record<string, string | number | undefined>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
    if (resetPage && !('page' in changes)) next.delete('page');
    setParams(next);
  };

  const proofState = useApi(
    (signal) =>
      tab === 'proof'
        ? catalogApi.proofItems({ q, region, department, method, page, pageSize, version }, signal)
        : Promise.resolve(undefined),
    [tab, q, region, department, method, page, pageSize, version],
  );
  const serviceState = useApi(
    (signal) =>
      tab === 'service'
        ? catalogApi.serviceItems({ q, region, department, page, pageSize, version }, signal)
        : Promise.resolve(undefined),
    [tab, q, region, department, page, pageSize, version],
  );
  const active = tab === 'proof' ? proofState : serviceState;
  const onPage = (nextPage: number, nextSize: number) =>
    update({ page: nextPage === 1 ? undefined : nextPage, pageSize: nextSize === defaultPageSize ? undefined : nextSize }, false);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="mz-search-panel">
        <Input.Search
          size="large"
          allowClear
          enterButton={t('common.search')}
          placeholder={t('search.placeholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(value) => update({ q: value.trim() || undefined })}
          data-testid="catalog-search"
          className="mz-search-input"
        />
        <Space wrap size="middle" className="mz-filters">
          <RegionCascader value={region} onChange={(code) => update({ region: code, department: undefined })} />
          <DepartmentSelect region={region} value={department} onChange={(id) => update({ department: id })} />
          {tab === 'proof' && <MethodSelect value={method} onChange={(m) => update({ method: m })} />}
        </Space>
      </div>

      <VersionBanner version={active.data?.version} pinned={version} />

      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key === 'service' ? 'service' : undefined, method: undefined })}
        items={[
          { key: 'proof', label: <span data-testid="tab-proof-items">{t('search.tabProof')}</span> },
          { key: 'service', label: <span data-testid="tab-service-items">{t('search.tabService')}</span> },
        ]}
      />
      {active.error ? (
        <ResultError error={active.error} onRetry={active.reload} />
      ) : tab === 'proof' ? (
        <ProofItemsTable state={proofState} version={version} onPage={onPage} />
      ) : (
        <ServiceItemsTable state={serviceState} version={version} onPage={onPage} />
      )}
    </Space>
  );
}
