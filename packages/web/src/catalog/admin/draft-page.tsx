import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Badge, Button, Card, Form, Input, Modal, Popconfirm, Space, Switch, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert } from '../../shell/feedback';
import { useI18n } from '../../shell/i18n/i18n';
import { catalogApi } from '../catalog-api';
import { ChangelogTable, ChangeSummary } from '../changelog-table';
import { MethodTags } from '../methods';
import { ProofItemFormModal } from './proof-item-form-modal';
import { ServiceItemChanges } from '../service-item-changes';
import { pendingChangeCount } from '../service-item-changes-model';
import { useServiceItemChangesText } from '../service-item-changes-messages';
import { useRegions } from '../reference-data';
import { regionWithin, type CatalogVersion, type DraftProofItem } from '../types';

function PublishModal({
  open,
  onClose,
  onPublished,
}: {
  open: boolean;
  onClose: () => void;
  onPublished: (version: CatalogVersion) => void;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<{ note: string }>();
  const [run, busy] = useAction();
  const [error, setError] = useState<ApiError>();

  const submit = async () => {
    const { note } = await form.validateFields();
    await run(
      async () => {
        setError(undefined);
        const version = await catalogApi.publish(note.trim());
        form.resetFields();
        onPublished(version);
      },
      {
        onError: (_, cause) => {
          if (cause instanceof ApiError) setError(cause);
          else throw cause;
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('draft.publishTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('draft.publish')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'publish-confirm' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error.localized(locale)} className="mz-gap" data-testid="publish-error" />}
      <Form form={form} layout="vertical">
        <Form.Item name="note" label={t('draft.publishNote')} rules={[{ required: true, whitespace: true, message: t('draft.publishNoteRequired') }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} placeholder={t('draft.publishNotePlaceholder')} maxLength={500} showCount data-testid="publish-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function DraftPage() {
  const { t, locale } = useI18n();
  const changesText = useServiceItemChangesText();
  const { message } = AntApp.useApp();
  const draft = useApi((signal) => catalogApi.draft(signal), []);
  const regions = useRegions();
  const regionNames = useMemo(() => new Map(regions.map((r) => [r.code, r.name])), [regions]);
  const [filter, setFilter] = useState('');
  // a city's administrator sees its own region's items first: the others it may only read
  const [ownRegionOnly, setOwnRegionOnly] = useState(true);
  const [editing, setEditing] = useState<{ item: DraftProofItem | undefined } | undefined>();
  const [publishing, setPublishing] = useState(false);
  const [published, setPublished] = useState<CatalogVersion>();

  const items = draft.data?.proofItems ?? [];
  // a city's administrator reads the whole draft but changes only its region's items, and does not publish
  const viewer = draft.data?.viewer;
  const scope = viewer?.regionCode ?? null;
  const scopeName = scope ? (viewer?.regionName ?? regionNames.get(scope) ?? scope) : '';
  const outOfRegion = (item: DraftProofItem) =>
    scope !== null && !regionWithin(item.regionCode, scope) ? t('draft.outOfRegion', { region: regionNames.get(item.regionCode) ?? item.regionCode, scope: scopeName }) : undefined;
  const publishRefused = viewer && !viewer.mayPublish ? t('draft.publishProvinceOnly') : undefined;
  const pending = draft.data?.pendingChanges ?? [];
  const pendingServiceItems = draft.data?.pendingServiceItemChanges ?? [];
  // what the next version would publish: the proof items' changes and the service items'
  const pendingTotal = draft.data ? pendingChangeCount(draft.data) : 0;
  const inView = scope !== null && ownRegionOnly ? items.filter((item) => regionWithin(item.regionCode, scope)) : items;
  const visible = filter ? inView.filter((item) => item.name.includes(filter) || item.issuingDepartmentName.includes(filter)) : inView;

  const remove = async (item: DraftProofItem) => {
    try {
      await catalogApi.deleteProofItem(item.id);
      message.success(t('common.deleted'));
      draft.reload();
    } catch (cause) {
      if (cause instanceof ApiError) message.error(cause.localized(locale));
      else throw cause;
    }
  };

  const columns: TableColumnsType<DraftProofItem> = [
    { title: t('proof.name'), dataIndex: 'name', render: (name: string) => <Typography.Text strong data-testid="draft-item-name">{name}</Typography.Text> },
    { title: t('proof.issuingDepartment'), dataIndex: 'issuingDepartmentName', responsive: ['md'] },
    { title: t('proof.region'), dataIndex: 'regionCode', width: 110, responsive: ['lg'], render: (code: string) => regionNames.get(code) ?? code },
    { title: t('proof.methods'), dataIndex: 'methods', render: (methods: string[]) => <MethodTags methods={methods} /> },
    { title: t('proof.legalBasis'), dataIndex: 'legalBasis', ellipsis: { showTitle: true }, responsive: ['xl'] },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_: unknown, item) => {
        const refused = outOfRegion(item);
        return (
          <Tooltip title={refused}>
            <Space size={0} data-testid={refused ? 'draft-out-of-region' : undefined}>
              <Button type="link" icon={<EditOutlined />} onClick={() => setEditing({ item })} disabled={!!refused} data-testid="draft-edit">
                {t('common.edit')}
              </Button>
              <Popconfirm
                title={t('common.deleteConfirm', { name: item.name })}
                okText={t('common.delete')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => remove(item)}
                disabled={!!refused}
              >
                <Button type="link" danger icon={<DeleteOutlined />} disabled={!!refused} data-testid="draft-delete">
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            </Space>
          </Tooltip>
        );
      },
    },
  ];

  return (
    <div className="mz-page" data-testid="draft-page">
      <div className="mz-title-row">
        <div>
          <Typography.Title level={2} className="mz-page-title">{t('draft.title')}</Typography.Title>
          {draft.data && (
            <Typography.Text type="secondary" data-testid="draft-based-on">
              {draft.data.basedOn ? t('draft.basedOn', { number: draft.data.basedOn }) : t('draft.basedOnNone')}
            </Typography.Text>
          )}
          {publishRefused && scope && (
            <div>
              <Typography.Text type="secondary" data-testid="draft-scope">{t('draft.scope', { region: scopeName })}</Typography.Text>
            </div>
          )}
        </div>
        <Space wrap>
          <Button icon={<PlusOutlined />} onClick={() => setEditing({ item: undefined })} data-testid="draft-add">
            {t('draft.add')}
          </Button>
          <Tooltip title={publishRefused}>
            <Badge count={pendingTotal} size="small">
              <Button type="primary" icon={<SendOutlined />} onClick={() => setPublishing(true)} disabled={!draft.data || !!publishRefused} data-testid="publish-button">
                {t('draft.publish')}
              </Button>
            </Badge>
          </Tooltip>
        </Space>
      </div>

      {published && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setPublished(undefined) }}
          className="mz-gap"
          data-testid="publish-result"
          data-version={published.number}
          title={t('draft.published', { number: published.number })}
          action={
            <Link to={`/versions?from=${Math.max(1, published.number - 1)}&to=${published.number}`} data-testid="publish-result-versions-link">
              {t('draft.viewVersions')}
            </Link>
          }
        />
      )}

      {draft.error ? (
        <ApiErrorAlert error={draft.error} onRetry={draft.reload} />
      ) : (
        <>
          <Card className="mz-card" title={t('draft.pending')} data-testid="pending-changes" size="small">
            {pendingTotal === 0 ? (
              <Typography.Text type="secondary" data-testid="pending-none">{t('draft.noPending')}</Typography.Text>
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Typography.Text data-testid="pending-count" data-count={pendingTotal}>{t('draft.pendingCount', { count: pendingTotal })}</Typography.Text>
                <Typography.Text strong>{changesText.t('proofTitle')}</Typography.Text>
                {pending.length === 0 ? (
                  <Typography.Text type="secondary" data-testid="pending-proof-none">{changesText.t('proofNone')}</Typography.Text>
                ) : (
                  <>
                    <ChangeSummary entries={pending} />
                    <ChangelogTable entries={pending} loading={draft.loading} fromVersion={draft.data?.basedOn ?? undefined} />
                  </>
                )}
                <ServiceItemChanges entries={pendingServiceItems} loading={draft.loading} fromVersion={draft.data?.basedOn ?? undefined} />
              </Space>
            )}
          </Card>

          <Card
            className="mz-card"
            title={t('common.total', { total: items.length })}
            extra={(
              <Space wrap>
                {scope !== null && (
                  <label style={{ display: 'inline-flex', alignItems: 'center', gap: 6, cursor: 'pointer', whiteSpace: 'nowrap' }}>
                    <Switch size="small" checked={ownRegionOnly} onChange={setOwnRegionOnly} data-testid="draft-own-region" />
                    <span>{t('draft.ownRegionOnly', { region: scopeName })}</span>
                  </label>
                )}
                <Input.Search allowClear placeholder={t('draft.filter')} onSearch={setFilter} onChange={(e) => !e.target.value && setFilter('')} style={{ width: 240 }} />
              </Space>
            )}
          >
            <Table<DraftProofItem>
              rowKey="id"
              columns={columns}
              dataSource={visible}
              loading={draft.loading}
              pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
              onRow={(item) => ({ 'data-testid': 'draft-row', 'data-id': item.id }) as React.HTMLAttributes<HTMLElement>}
              data-testid="draft-table"
            />
          </Card>
        </>
      )}

      <ProofItemFormModal
        open={!!editing}
        item={editing?.item}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          message.success(t('common.saved'));
          draft.reload();
        }}
      />
      <PublishModal
        open={publishing}
        onClose={() => setPublishing(false)}
        onPublished={(version) => {
          setPublishing(false);
          setPublished(version);
          message.success(t('draft.published', { number: version.number }));
          draft.reload();
        }}
      />
    </div>
  );
}
