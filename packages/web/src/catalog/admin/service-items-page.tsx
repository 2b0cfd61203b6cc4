import { useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Popconfirm, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert } from '../../shell/feedback';
import { applicantKindsLabel } from '../applicant-kinds';
import { RegionCascader } from '../reference-data';
import { serviceItemsAdminApi } from '../service-items-api';
import type { DraftServiceItem, DraftViewer } from '../types';
import { ServiceItemFormModal } from './service-item-form-modal';
import { ServiceItemImportModal } from './service-item-import-modal';
import { useServiceItemsText } from './service-items-messages';

const PAGE_SIZE = 20;

/**
 * 服务事项管理: the catalog administrators' service items in the draft. A city's administrator
 * sees its own region's items first, reads the others and changes only its own; every change
 * waits in the draft for the province's next published version.
 */
export default function ServiceItemsPage() {
  const { t, shellT, locale } = useServiceItemsText();
  const { message } = AntApp.useApp();
  const [q, setQ] = useState('');
  const [region, setRegion] = useState<string>();
  const [editing, setEditing] = useState<{ item: DraftServiceItem | undefined }>();
  const [importing, setImporting] = useState(false);
  const [remove, removing] = useAction();
  // a page at a time from the server (a province's list runs to thousands of items); a new filter starts at page 1
  const [page, setPage] = useState(1);
  const filterBy = (next: { q?: string; region?: string | undefined }) => {
    if ('q' in next) setQ(next.q ?? '');
    if ('region' in next) setRegion(next.region);
    setPage(1);
  };
  const list = useApi((signal) => serviceItemsAdminApi.list({ q: q || undefined, regionCode: region, page, pageSize: PAGE_SIZE }, signal), [q, region, page]);

  // the viewer is the same whatever the filter: kept through a reload that failed
  const [viewer, setViewer] = useState<DraftViewer>();
  useEffect(() => {
    if (list.data) setViewer(list.data.viewer);
  }, [list.data]);
  // a city's administrator (one bound to a region, who does not publish) changes only its region's items
  const scope = viewer && !viewer.mayPublish ? viewer.regionCode : null;
  // and starts with them (the filter shows it and can widen it)
  const regionDefaulted = useRef(false);
  useEffect(() => {
    if (regionDefaulted.current || !viewer) return;
    regionDefaulted.current = true;
    if (scope && region === undefined) setRegion(scope);
  }, [viewer, scope, region]);

  const scopeName = viewer?.regionName ?? viewer?.regionCode ?? '';
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const refusal = (item: DraftServiceItem) =>
    item.mayChange ? undefined : t('outOfRegion', { region: item.regionName, scope: scopeName || shellT('common.none') });

  const deleteItem = (item: DraftServiceItem) =>
    remove(async () => {
      await serviceItemsAdminApi.remove(item.code);
      message.success(t('deleted'));
      list.reload();
    });

  const columns: TableColumnsType<DraftServiceItem> = [
    {
      title: t('col.code'),
      dataIndex: 'code',
      width: 170,
      render: (code: string) => <span className="mz-mono mz-small" data-testid="service-item-code-cell">{code}</span>,
    },
    {
      title: t('col.name'),
      dataIndex: 'name',
      render: (name: string) => <Typography.Text strong data-testid="service-item-name-cell">{name}</Typography.Text>,
    },
    { title: t('col.department'), dataIndex: 'departmentName', responsive: ['md'] },
    { title: t('col.region'), dataIndex: 'regionName', width: 100, responsive: ['lg'] },
    {
      title: t('col.kinds'),
      dataIndex: 'applicantKinds',
      width: 130,
      responsive: ['lg'],
      render: (kinds: DraftServiceItem['applicantKinds']) => applicantKindsLabel(kinds, shellT, locale),
    },
    {
      title: t('col.materials'),
      key: 'materials',
      width: 150,
      render: (_: unknown, item) => {
        const proofs = item.materials.filter((m) => m.proofItemId).length;
        return (
          <Space orientation="vertical" size={0} data-testid="service-item-material-count" data-total={item.materials.length} data-proofs={proofs}>
            <span>{t('materials.count', { total: item.materials.length })}</span>
            <Typography.Text type="secondary" className="mz-small">{t('materials.proofs', { proofs })}</Typography.Text>
          </Space>
        );
      },
    },
    {
      title: shellT('common.actions'),
      key: 'actions',
      width: 170,
      render: (_: unknown, item) => {
        const refused = refusal(item);
        return (
          <Tooltip title={refused}>
            <Space size={0} data-testid={refused ? 'service-item-out-of-region' : undefined}>
              <Button
                type="link"
                icon={<EditOutlined />}
                onClick={() => setEditing({ item })}
                disabled={!!refused}
                data-testid={`service-item-edit-${item.code}`}
              >
                {shellT('common.edit')}
              </Button>
              <Popconfirm
                title={t('deleteConfirm', { name: item.name })}
                description={(
                  <div style={{ maxWidth: 380 }}>
                    {item.activeAuthorizations > 0
                      ? <span data-testid="service-item-delete-authorized">{t('deleteHintAuthorized', { n: item.activeAuthorizations })}</span>
                      : t('deleteHint')}
                  </div>
                )}
                okText={shellT('common.delete')}
                cancelText={shellT('common.cancel')}
                okButtonProps={{ danger: true, loading: removing, 'data-testid': 'service-item-delete-confirm' }}
                onConfirm={() => deleteItem(item)}
                disabled={!!refused}
              >
                <Button type="link" danger icon={<DeleteOutlined />} disabled={!!refused} data-testid={`service-item-delete-${item.code}`}>
                  {shellT('common.delete')}
                </Button>
              </Popconfirm>
            </Space>
          </Tooltip>
        );
      },
    },
  ];

  return (
    <div className="mz-page" data-testid="service-items-page">
      <div className="mz-title-row">
        <div>
          <Typography.Title level={2} className="mz-page-title">{t('title')}</Typography.Title>
          <Typography.Text type="secondary">{t('subtitle')}</Typography.Text>
        </div>
        <Space wrap>
          <Tooltip title={t('export.title')}>
            <Button icon={<DownloadOutlined />} href={serviceItemsAdminApi.exportUrl({ q: q || undefined, regionCode: region })} data-testid="service-item-export">
              {t('export.button')}
            </Button>
          </Tooltip>
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} disabled={!viewer} data-testid="service-item-import">
            {t('import.button')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ item: undefined })} disabled={!viewer} data-testid="service-item-new">
            {t('new')}
          </Button>
        </Space>
      </div>

      {viewer && (
        <Alert
          type="info"
          showIcon
          className="mz-gap"
          data-testid="service-items-scope"
          data-region={scope ?? ''}
          title={scope ? t('scope.city', { region: scopeName }) : t('scope.all')}
          description={viewer.mayPublish ? t('scope.publishHere') : t('scope.publish')}
          action={<Link to="/admin/draft">{t('scope.toDraft')}</Link>}
        />
      )}

      {list.error && !list.data ? (
        <ApiErrorAlert error={list.error} onRetry={list.reload} />
      ) : (
        <Card
          className="mz-card"
          title={shellT('common.total', { total })}
          extra={(
            <Space wrap>
              <RegionCascader value={region} onChange={(value) => filterBy({ region: value })} testId="service-items-region" />
              <Input.Search
                allowClear
                placeholder={t('search')}
                onSearch={(value) => filterBy({ q: value.trim() })}
                onChange={(e) => !e.target.value && filterBy({ q: '' })}
                style={{ width: 260 }}
                data-testid="service-items-search"
              />
            </Space>
          )}
        >
          <Table<DraftServiceItem>
            rowKey="code"
            columns={columns}
            dataSource={items}
            loading={list.loading}
            size="middle"
            pagination={{ current: page, pageSize: PAGE_SIZE, total, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
            onRow={(item) => ({ 'data-testid': `service-item-row-${item.code}`, 'data-may-change': String(item.mayChange) }) as React.HTMLAttributes<HTMLElement>}
            data-testid="service-items-table"
          />
        </Card>
      )}

      <ServiceItemFormModal
        open={!!editing}
        item={editing?.item}
        viewer={viewer}
        onClose={() => setEditing(undefined)}
        onSaved={(_, created) => {
          setEditing(undefined);
          message.success(created ? t('created') : t('saved'));
          list.reload();
        }}
      />

      <ServiceItemImportModal
        open={importing}
        scopeName={scope ? scopeName : undefined}
        onClose={() => setImporting(false)}
        onImported={() => list.reload()}
      />
    </div>
  );
}
