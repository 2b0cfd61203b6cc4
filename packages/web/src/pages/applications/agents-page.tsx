import { useState } from 'react';
import { App as AntApp, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { formFieldErrors } from '../../api/form-errors';
import type { ApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { applicantKindsLabel, ownApplicantKind } from '../../catalog/applicant-kinds';
import { useAuth } from '../../identity/auth-context';
import { useI18n } from '../../shell/i18n/i18n';
import { ApiErrorAlert } from '../../shell/feedback';
import { appsApi, asApiError, type AgentAuthorization, type AuthorizedServiceItem } from './applications-api';
import { useDate } from './components';
import { useAppText } from './messages';
import './applications.css';

const PERIODS = [7, 30, 90, 180, 365];

/** A service item removed from the list since the authorization was given: named, marked, no longer a shortcut. */
function WithdrawnItem({ item }: { item: AuthorizedServiceItem }) {
  const { t } = useAppText();
  return (
    <Tooltip title={t('agents.itemWithdrawnHint')}>
      <Tag data-testid="authorization-item-withdrawn" data-code={item.code}>{t('agents.itemWithdrawn', { name: item.name })}</Tag>
    </Tooltip>
  );
}

function statusTag(status: string, t: ReturnType<typeof useAppText>['tk']) {
  const color = status === 'active' ? 'green' : status === 'revoked' ? 'red' : 'default';
  return <Tag color={color} data-testid="authorization-status" data-status={status}>{t(`agents.status.${status}`, status)}</Tag>;
}

/** The applicant: authorise an agent for chosen service items and a period; revoke. */
function GivenAuthorizations() {
  const { t, tk, locale } = useAppText();
  const { message } = AntApp.useApp();
  const date = useDate();
  const { user } = useAuth();
  const given = useApi((signal) => appsApi.authorizations('given', signal), []);
  const [form] = Form.useForm<{ agentUsername: string; serviceItemCodes: string[]; days: number }>();
  const [q, setQ] = useState('');
  // 服务对象: only the items the principal (a person or an enterprise) may apply for can be authorised
  const ownKind = ownApplicantKind(user);
  const items = useApi((signal) => appsApi.serviceItems(q || undefined, q ? undefined : '340500', signal, ownKind), [q, ownKind]);
  const [error, setError] = useState<ApiError>();
  const [run, busy] = useAction();
  const [picked, setPicked] = useState<Record<string, string>>({});

  const submit = async () => {
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    await run(
      async () => {
        setError(undefined);
        const a = await appsApi.authorize({
          agentUsername: values.agentUsername.trim(), serviceItemCodes: values.serviceItemCodes,
          validUntil: new Date(Date.now() + values.days * 86_400_000).toISOString(),
        });
        message.success(t('agents.authorized', { name: a.agent.name }));
        form.resetFields();
        given.reload();
      },
      // a username that is no agent, an unknown item, one the principal may not apply for or a bad period: under the field it names
      { onError: formFieldErrors(form, { agentUsername: 'agentUsername', serviceItemCodes: 'serviceItemCodes', validUntil: 'days', validFrom: 'days' }, locale, setError) },
    );
  };
  const revoke = async (id: string) => {
    try {
      await appsApi.revokeAuthorization(id);
      message.success(t('agents.revoked'));
      given.reload();
    } catch (e) {
      message.error(asApiError(e).localized(locale));
    }
  };
  const options = (items.data?.items ?? []).map((s) => ({ value: s.code, label: `${s.name} · ${s.department.name}` }));
  for (const [code, label] of Object.entries(picked)) if (!options.some((o) => o.value === code)) options.push({ value: code, label });

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card className="mz-card" title={t('agents.new')} data-testid="authorize-form">
        <Form form={form} layout="vertical" initialValues={{ days: 30 }} style={{ maxWidth: 720 }} size="large">
          <Form.Item name="agentUsername" label={t('agents.agentUsername')} extra={t('agents.agentUsernameHint')} rules={[{ required: true, whitespace: true }]}>
            <Input autoComplete="off" data-testid="authorize-agent" />
          </Form.Item>
          <Form.Item name="serviceItemCodes" label={t('agents.items')} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Select
              mode="multiple"
              showSearch={{ filterOption: false, onSearch: setQ }}
              placeholder={t('agents.itemsHint')}
              options={options}
              onChange={(codes: string[]) => setPicked((p) => ({ ...p, ...Object.fromEntries(codes.map((c) => [c, options.find((o) => o.value === c)?.label ?? p[c] ?? c])) }))}
              data-testid="authorize-items"
            />
          </Form.Item>
          <Form.Item name="days" label={t('agents.period')}>
            <Select options={PERIODS.map((d) => ({ value: d, label: t('common.days', { n: d }) }))} style={{ width: 160 }} data-testid="authorize-days" />
          </Form.Item>
          {error && <div className="mz-gap"><ApiErrorAlert error={error} /></div>}
          <Button type="primary" icon={<UserAddOutlined />} loading={busy} onClick={() => void submit()} data-testid="authorize-submit">{t('agents.authorize')}</Button>
        </Form>
      </Card>
      <Card className="mz-card" title={t('agents.given')}>
        {given.error && <ApiErrorAlert error={given.error} onRetry={given.reload} />}
        <Table<AgentAuthorization>
          rowKey="id"
          loading={given.loading}
          dataSource={given.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('agents.empty') }}
          data-testid="authorizations-given"
          onRow={(r) => ({ 'data-testid': 'authorization-row', 'data-status': r.status } as object)}
          columns={[
            { title: t('agents.agent'), key: 'agent', render: (_, r) => r.agent.name },
            { title: t('agents.items'), key: 'items', render: (_, r) => <Space size={[4, 4]} wrap>{r.serviceItems.map((s) => (s.offered ? <Tag key={s.code}>{s.name}</Tag> : <WithdrawnItem key={s.code} item={s} />))}</Space> },
            { title: t('agents.validity'), key: 'validity', render: (_, r) => `${date(r.validFrom)} — ${date(r.validUntil)}` },
            { title: t('mine.status'), key: 'status', render: (_, r) => statusTag(r.status, tk) },
            {
              title: t('common.actions'), key: 'actions',
              render: (_, r) => r.status === 'active' ? (
                <Popconfirm title={t('agents.revokeConfirm')} onConfirm={() => revoke(r.id)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Button danger size="small" data-testid="authorization-revoke">{t('agents.revoke')}</Button>
                </Popconfirm>
              ) : null,
            },
          ]}
        />
      </Card>
    </Space>
  );
}

/** The agent: the authorisations held, each service item a shortcut to apply for the principal. */
function ReceivedAuthorizations() {
  const { t, tk } = useAppText();
  const { t: tShell, locale } = useI18n();
  const date = useDate();
  const received = useApi((signal) => appsApi.authorizations('received', signal), []);
  return (
    <Card className="mz-card" title={t('agents.received')}>
      <Typography.Paragraph type="secondary">{t('agents.receivedSubtitle')}</Typography.Paragraph>
      {received.error && <ApiErrorAlert error={received.error} onRetry={received.reload} />}
      <Table<AgentAuthorization>
        rowKey="id"
        loading={received.loading}
        dataSource={received.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('agents.empty') }}
        data-testid="authorizations-received"
        onRow={(r) => ({ 'data-testid': 'authorization-row', 'data-status': r.status, 'data-principal': r.principal.name } as object)}
        columns={[
          { title: t('agents.principal'), key: 'principal', render: (_, r) => r.principal.name },
          {
            title: t('agents.items'), key: 'items',
            render: (_, r) => (
              <Space size={[6, 6]} wrap>
                {r.serviceItems.map((s) => {
                  const c = s.code;
                  if (!s.offered) return <WithdrawnItem key={c} item={s} />;
                  // an authorization given before the 服务对象 check may name an item the principal cannot apply for: no shortcut to it
                  const kinds = s.applicantKinds;
                  const notForPrincipal = kinds.length > 0 && !kinds.includes(r.principal.kind);
                  if (r.status === 'active' && !notForPrincipal) {
                    return (
                      <Link key={c} to={`/apply?onBehalfOf=${encodeURIComponent(r.principal.id)}&serviceItem=${encodeURIComponent(c)}`} data-testid="authorization-apply" data-code={c}>
                        <Button size="small" type="primary" ghost>{t('agents.applyFor', { name: s.name })}</Button>
                      </Link>
                    );
                  }
                  return notForPrincipal ? (
                    <Tooltip key={c} title={tShell('service.notForYou', { kinds: applicantKindsLabel(kinds, tShell, locale), you: tShell(`service.you.${r.principal.kind}`) })}>
                      <Tag data-testid="authorization-not-for-principal" data-code={c}>{s.name}</Tag>
                    </Tooltip>
                  ) : <Tag key={c}>{s.name}</Tag>;
                })}
              </Space>
            ),
          },
          { title: t('agents.validity'), key: 'validity', render: (_, r) => `${date(r.validFrom)} — ${date(r.validUntil)}` },
          { title: t('mine.status'), key: 'status', render: (_, r) => statusTag(r.status, tk) },
        ]}
      />
    </Card>
  );
}

export default function AgentsPage() {
  const { t } = useAppText();
  const { hasAnyRole } = useAuth();
  return (
    <div className="mz-page mz-readable" data-testid="agents-page">
      <Typography.Title level={2} className="mz-page-title">{t('agents.title')}</Typography.Title>
      {/* addressed to whoever reads it: the applicant who authorises, or the agent who holds authorisations */}
      <Typography.Paragraph type="secondary" className="mz-lead" data-testid="agents-subtitle">
        {t(hasAnyRole(['applicant']) ? 'agents.subtitle' : 'agents.subtitleAgent')}
      </Typography.Paragraph>
      {hasAnyRole(['applicant']) && <GivenAuthorizations />}
      {hasAnyRole(['agent']) && <ReceivedAuthorizations />}
    </div>
  );
}
