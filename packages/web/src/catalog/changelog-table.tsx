import { Empty, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../shell/i18n/i18n';
import { ChangeKindTag, changeColors, MethodTags } from './methods';
import type { ChangeKind, ChangelogEntry } from './types';
import { withVersion } from './version-param';

/** every field the changelog names (catalog/domain/changelog.ts), each with its label */
const changedFields = ['name', 'issuingDepartment', 'notes', 'region', 'commitment', 'riskCategory', 'serviceItems'] as const;
function isChangedField(value: string): value is (typeof changedFields)[number] {
  return (changedFields as readonly string[]).includes(value);
}

function Side({ side, other }: { side: ChangelogEntry['before']; other: ChangelogEntry['before'] }) {
  if (!side) return <Typography.Text type="secondary">—</Typography.Text>;
  const basisChanged = other ? other.legalBasis !== side.legalBasis : false;
  return (
    <Space orientation="vertical" size={4}>
      <MethodTags methods={side.methods} />
      {side.legalBasis ? (
        <Typography.Text type={basisChanged ? undefined : 'secondary'} mark={basisChanged} className="mz-small">
          {side.legalBasis}
        </Typography.Text>
      ) : null}
    </Space>
  );
}

export function ChangeSummary({ entries }: { entries: ChangelogEntry[] }) {
  const { t } = useI18n();
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + 1);
  return (
    <Space wrap data-testid="changelog-summary">
      <Typography.Text strong>{t('compare.summary', { count: entries.length })}</Typography.Text>
      {(Object.keys(changeColors) as ChangeKind[])
        .filter((kind) => counts.has(kind))
        .map((kind) => (
          <Tag key={kind} color={changeColors[kind]}>
            {t(`change.${kind}`)} {counts.get(kind)}
          </Tag>
        ))}
    </Space>
  );
}

/**
 * One row per changed proof item. Names link to the item in the version where it
 * exists: `toVersion` for additions and changes, `fromVersion` for removals.
 */
export function ChangelogTable({
  entries,
  fromVersion,
  toVersion,
  loading,
}: {
  entries: ChangelogEntry[];
  fromVersion?: number;
  toVersion?: number;
  loading?: boolean;
}) {
  const { t, locale } = useI18n();
  const columns: TableColumnsType<ChangelogEntry> = [
    {
      title: t('compare.kind'),
      dataIndex: 'kind',
      width: 140,
      render: (kind: ChangeKind, entry) => (
        <Space orientation="vertical" size={2}>
          <ChangeKindTag kind={kind} />
          {entry.fields?.length ? (
            <Typography.Text type="secondary" className="mz-small" data-testid="change-fields">
              {t('change.fields', { fields: entry.fields.map((f) => (isChangedField(f) ? t(`field.${f}`) : f)).join(locale === 'en' ? ', ' : '、') })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('proof.name'),
      dataIndex: 'name',
      render: (name: string, entry) => {
        const version = entry.kind === 'removed' ? fromVersion : toVersion;
        return version ? (
          <Link to={withVersion(`/proof-items/${encodeURIComponent(entry.proofItemId)}`, version)} data-testid="changelog-name">
            {name}
          </Link>
        ) : (
          <span data-testid="changelog-name">{name}</span>
        );
      },
    },
    { title: t('proof.issuingDepartment'), dataIndex: 'issuingDepartmentName', responsive: ['lg'] },
    { title: t('compare.before'), key: 'before', render: (_: unknown, entry) => <Side side={entry.before} other={entry.after} /> },
    { title: t('compare.after'), key: 'after', render: (_: unknown, entry) => <Side side={entry.after} other={entry.before} /> },
  ];
  return (
    <Table<ChangelogEntry>
      rowKey={(entry) => `${entry.kind}:${entry.proofItemId}`}
      columns={columns}
      dataSource={entries}
      loading={loading}
      size="middle"
      pagination={entries.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      locale={{ emptyText: <Empty description={t('compare.noChanges')} /> }}
      onRow={(entry) => ({ 'data-testid': 'changelog-row', 'data-kind': entry.kind }) as React.HTMLAttributes<HTMLElement>}
      data-testid="changelog-table"
    />
  );
}
