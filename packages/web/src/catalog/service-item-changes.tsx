import { Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { changedFields, isServiceItemChangeField, serviceItemKindCounts } from './service-item-changes-model';
import { serviceItemChangeKindColors, useServiceItemChangesText } from './service-item-changes-messages';
import type { ServiceItemChange, ServiceItemChangeKind } from './types';
import { withVersion } from './version-param';

export function ServiceItemChangeKindTag({ kind }: { kind: ServiceItemChangeKind }) {
  const { kindLabel } = useServiceItemChangesText();
  return (
    <Tag color={serviceItemChangeKindColors[kind] ?? 'default'} data-testid="service-item-change-kind" data-kind={kind}>
      {kind in serviceItemChangeKindColors ? kindLabel(kind) : kind}
    </Tag>
  );
}

/**
 * 服务事项变更: the service items added, removed or changed between two states of the list (the
 * draft and its published version, or two versions), one row each, with the fields a change names.
 * Names link to the item in the version where it exists: `toVersion` for additions and changes,
 * `fromVersion` for removals.
 */
export function ServiceItemChanges({
  entries,
  fromVersion,
  toVersion,
  loading,
}: {
  entries: ServiceItemChange[];
  fromVersion?: number;
  toVersion?: number;
  loading?: boolean;
}) {
  const { t, kindLabel, fieldLabel } = useServiceItemChangesText();
  const columns: TableColumnsType<ServiceItemChange> = [
    { title: t('col.kind'), dataIndex: 'kind', width: 90, render: (kind: ServiceItemChangeKind) => <ServiceItemChangeKindTag kind={kind} /> },
    { title: t('col.code'), dataIndex: 'code', width: 170, render: (code: string) => <Typography.Text code className="mz-small">{code}</Typography.Text> },
    {
      title: t('col.name'),
      dataIndex: 'name',
      render: (name: string, entry) => {
        const version = entry.kind === 'removed' ? fromVersion : toVersion;
        return version ? (
          <Link to={withVersion(`/service-items/${encodeURIComponent(entry.code)}`, version)} data-testid="service-item-change-name">
            {name}
          </Link>
        ) : (
          <span data-testid="service-item-change-name">{name}</span>
        );
      },
    },
    { title: t('col.department'), dataIndex: 'departmentName', responsive: ['md'] },
    { title: t('col.region'), dataIndex: 'regionName', width: 110, responsive: ['lg'] },
    {
      title: t('col.fields'),
      key: 'fields',
      render: (_: unknown, entry) => {
        const fields = changedFields(entry);
        if (fields.length === 0) return null;
        return (
          <Space size={[0, 4]} wrap data-testid="service-item-change-fields">
            {fields.map((field) => (
              <Tag key={field} data-field={field}>
                {isServiceItemChangeField(field) ? fieldLabel(field) : field}
              </Tag>
            ))}
          </Space>
        );
      },
    },
  ];
  const counts = serviceItemKindCounts(entries);

  return (
    <div data-testid="service-item-changes" data-count={loading ? undefined : entries.length}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('title')}</Typography.Text>
        {entries.length > 0 && <Typography.Text type="secondary">{t('count', { count: entries.length })}</Typography.Text>}
        {counts.map(({ kind, count }) => (
          <Tag key={kind} color={serviceItemChangeKindColors[kind]}>
            {kindLabel(kind)} {count}
          </Tag>
        ))}
      </Space>
      {entries.length === 0 && !loading ? (
        <div>
          <Typography.Text type="secondary" data-testid="service-item-changes-none">{t('none')}</Typography.Text>
        </div>
      ) : (
        <Table<ServiceItemChange>
          rowKey={(entry) => `${entry.kind}:${entry.code}`}
          columns={columns}
          dataSource={entries}
          loading={loading}
          size="small"
          pagination={entries.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          onRow={(entry) => ({ 'data-testid': `service-item-change-${entry.code}`, 'data-kind': entry.kind }) as React.HTMLAttributes<HTMLElement>}
          data-testid="service-item-changes-table"
        />
      )}
    </div>
  );
}
