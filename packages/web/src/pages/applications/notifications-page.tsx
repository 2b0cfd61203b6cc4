import { useState } from 'react';
import { App as AntApp, Badge, Button, Empty, Pagination, Space, Switch, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert, PageLoading } from '../../shell/feedback';
import { appsApi, asApiError } from './applications-api';
import { useDate } from './components';
import { useAppText } from './messages';
import { notificationText } from './notification-text';
import './applications.css';

const PAGE_SIZE = 20;

export default function NotificationsPage() {
  const { t, locale } = useAppText();
  const { message } = AntApp.useApp();
  const date = useDate();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState(1);
  const list = useApi((signal) => appsApi.notifications({ unread: unreadOnly || undefined, page, limit: PAGE_SIZE }, signal), [unreadOnly, page]);
  const markRead = async (id: string) => {
    try {
      await appsApi.markRead(id);
      list.reload();
    } catch (e) {
      message.error(asApiError(e).localized(locale));
    }
  };
  return (
    <div className="mz-page mz-readable" data-testid="notifications-page">
      <div className="mz-title-row">
        <div>
          <Typography.Title level={2} className="mz-page-title">{t('notif.title')}</Typography.Title>
          <Typography.Paragraph type="secondary" className="mz-lead">{t('notif.subtitle')}</Typography.Paragraph>
        </div>
        <Space>
          {list.data ? <Badge count={list.data.unread} overflowCount={99} title={t('notif.unread', { n: list.data.unread })} /> : null}
          <label className="mz-inline-switch"><Switch checked={unreadOnly} onChange={(v) => { setUnreadOnly(v); setPage(1); }} /> {t('notif.onlyUnread')}</label>
        </Space>
      </div>
      {list.error && <ApiErrorAlert error={list.error} onRetry={list.reload} />}
      {list.loading && !list.data && <PageLoading />}
      {list.data && list.data.items.length === 0 && <Empty description={t('notif.empty')} />}
      <ul className="mz-notes mz-notes-page" data-testid="notifications-list">
        {list.data?.items.map((n) => {
          const text = notificationText(n, locale);
          return (
            <li key={n.id} className={n.read ? '' : 'mz-note-unread'} data-testid="notification" data-kind={n.kind} lang={text.lang}>
              <div className="mz-note-title">{text.title}</div>
              <div className="mz-note-body">{text.body}</div>
              <Space size="middle" wrap>
                <Typography.Text type="secondary" className="mz-small">{date(n.createdAt)}</Typography.Text>
                {n.link ? <Link to={n.link} onClick={() => { if (!n.read) void appsApi.markRead(n.id).catch(() => undefined); }} data-testid="notification-open">{t('notif.open')}</Link> : null}
                {!n.read ? <Button size="small" type="link" onClick={() => void markRead(n.id)}>{t('notif.markRead')}</Button> : null}
              </Space>
            </li>
          );
        })}
      </ul>
      {list.data && list.data.total > PAGE_SIZE ? (
        <Pagination current={page} pageSize={PAGE_SIZE} total={list.data.total} onChange={setPage} showSizeChanger={false}
          showTotal={(total) => t('common.total', { total })} data-testid="notifications-pagination" />
      ) : null}
    </div>
  );
}
