import { Alert, Button, Select, Space, Typography } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import { useApi } from '../api/use-api';
import { ApiErrorAlert } from '../shell/feedback';
import { formatDateTime, useI18n } from '../shell/i18n/i18n';
import { catalogApi } from './catalog-api';
import { ChangelogTable, ChangeSummary } from './changelog-table';
import { ServiceItemChanges } from './service-item-changes';
import { useServiceItemChangesText } from './service-item-changes-messages';
import type { CatalogVersion } from './types';

/** Picks the default pair: the two newest versions, older first. */
export function defaultPair(versions: CatalogVersion[]): [number, number] | undefined {
  const numbers = versions.map((v) => v.number).sort((a, b) => b - a);
  const [newest, previous] = numbers;
  return newest !== undefined && previous !== undefined ? [previous, newest] : undefined;
}

export function VersionCompare({
  versions,
  from,
  to,
  onChange,
}: {
  versions: CatalogVersion[];
  from: number | undefined;
  to: number | undefined;
  onChange: (from: number, to: number) => void;
}) {
  const { t, locale } = useI18n();
  const changesText = useServiceItemChangesText();
  const ready = from !== undefined && to !== undefined && from !== to;
  const changelog = useApi(
    (signal) => (ready ? catalogApi.changelog(from, to, signal) : Promise.resolve(undefined)),
    [from, to, ready],
  );

  if (versions.length < 2) return <Alert type="info" showIcon title={t('compare.needTwo')} data-testid="compare-need-two" />;

  const options = [...versions]
    .sort((a, b) => b.number - a.number)
    .map((v) => ({
      value: v.number,
      label: `${t('versions.numberLabel', { number: v.number })} · ${formatDateTime(v.publishedAt, locale)}`,
    }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="version-compare">
      <Space wrap>
        <span>{t('compare.from')}</span>
        <Select
          value={from}
          options={options}
          onChange={(value: number) => onChange(value, to ?? value)}
          style={{ minWidth: 240 }}
          aria-label={t('compare.from')}
          data-testid="compare-from"
        />
        <Button
          icon={<SwapOutlined />}
          onClick={() => from !== undefined && to !== undefined && onChange(to, from)}
          aria-label={t('compare.swap')}
          data-testid="compare-swap"
        />
        <span>{t('compare.to')}</span>
        <Select
          value={to}
          options={options}
          onChange={(value: number) => onChange(from ?? value, value)}
          style={{ minWidth: 240 }}
          aria-label={t('compare.to')}
          data-testid="compare-to"
        />
      </Space>
      {changelog.error ? (
        <ApiErrorAlert error={changelog.error} onRetry={changelog.reload} />
      ) : (
        <>
          <Typography.Text strong>{changesText.t('proofTitle')}</Typography.Text>
          {changelog.data && <ChangeSummary entries={changelog.data.entries} />}
          <ChangelogTable
            entries={changelog.data?.entries ?? []}
            loading={changelog.loading}
            fromVersion={changelog.data?.from}
            toVersion={changelog.data?.to}
          />
          {ready && (
            <ServiceItemChanges
              entries={changelog.data?.serviceItemEntries ?? []}
              loading={changelog.loading}
              fromVersion={changelog.data?.from}
              toVersion={changelog.data?.to}
            />
          )}
        </>
      )}
    </Space>
  );
}
