import { useState } from 'react';
import { Card, Segmented, Space, Typography } from 'antd';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert } from '../../shell/feedback';
import { useI18n } from '../../shell/i18n/i18n';
import { catalogApi } from '../catalog-api';
import { ChangelogTable, ChangeSummary } from '../changelog-table';
import { ServiceItemChanges } from '../service-item-changes';
import { useServiceItemChangesText } from '../service-item-changes-messages';
import { useCompareParams } from '../use-compare-params';
import { VersionCompare } from '../version-compare';

function DraftVsLatest() {
  const { t } = useI18n();
  const changesText = useServiceItemChangesText();
  const draft = useApi((signal) => catalogApi.draft(signal), []);
  if (draft.error) return <ApiErrorAlert error={draft.error} onRetry={draft.reload} />;
  const entries = draft.data?.pendingChanges ?? [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {draft.data && (
        <Typography.Text type="secondary">
          {draft.data.basedOn ? t('compare.draftBasedOn', { number: draft.data.basedOn }) : t('draft.basedOnNone')}
        </Typography.Text>
      )}
      <Typography.Text strong>{changesText.t('proofTitle')}</Typography.Text>
      {draft.data && <ChangeSummary entries={entries} />}
      <ChangelogTable entries={entries} loading={draft.loading} fromVersion={draft.data?.basedOn ?? undefined} />
      <ServiceItemChanges entries={draft.data?.pendingServiceItemChanges ?? []} loading={draft.loading} fromVersion={draft.data?.basedOn ?? undefined} />
    </Space>
  );
}

function PublishedVersions() {
  const versions = useApi((signal) => catalogApi.versions(signal), []);
  const { from, to, setPair } = useCompareParams(versions.data?.items);
  if (versions.error) return <ApiErrorAlert error={versions.error} onRetry={versions.reload} />;
  if (!versions.data) return null;
  return <VersionCompare versions={versions.data.items} from={from} to={to} onChange={setPair} />;
}

export default function ComparePage() {
  const { t } = useI18n();
  const [mode, setMode] = useState<'published' | 'draft'>('published');
  return (
    <div className="mz-page" data-testid="compare-page">
      <Typography.Title level={2} className="mz-page-title">{t('compare.title')}</Typography.Title>
      <Card className="mz-card">
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Segmented
            value={mode}
            onChange={(value) => setMode(value as 'published' | 'draft')}
            options={[
              { value: 'published', label: t('compare.modePublished') },
              { value: 'draft', label: t('compare.modeDraft') },
            ]}
            data-testid="compare-mode"
          />
          {mode === 'published' ? <PublishedVersions /> : <DraftVsLatest />}
        </Space>
      </Card>
    </div>
  );
}
