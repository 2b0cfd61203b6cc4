import { Suspense, useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import type { ButtonProps, MenuProps } from 'antd';
import { DownOutlined, GlobalOutlined, KeyOutlined, LoginOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../identity/auth-context';
import { ChangePasswordModal } from '../identity/change-password-modal';
import { isRole } from '../identity/types';
import { useDisplayMode } from './display-mode';
import { PageLoading } from './feedback';
import { useI18n } from './i18n/i18n';
import { KioskIdleGuard, useEndVisit, useKiosk } from './kiosk';
import { selectedNavPath, visibleGroups } from './nav';

const { Header, Sider, Content, Footer } = Layout;

function Brand() {
  const { t } = useI18n();
  return (
    <Link to="/" className="mz-brand" data-testid="brand">
      <span className="mz-brand-mark" aria-hidden>免</span>
      <span className="mz-brand-text">
        <span className="mz-brand-name mz-brand-name-full">{t('app.fullName')}</span>
        <span className="mz-brand-name mz-brand-name-short">{t('app.name')}</span>
        <span className="mz-brand-slogan">{t('app.slogan')}</span>
      </span>
    </Link>
  );
}

function HeaderControls() {
  const { t, locale, setLocale } = useI18n();
  const { elderly, setElderly } = useDisplayMode();
  const { user, logoutEverywhere } = useAuth();
  const { kiosk } = useKiosk();
  const endVisit = useEndVisit();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [changingPassword, setChangingPassword] = useState(false);

  const onLogout = async () => {
    // on a kiosk (自助办) signing out also ends the visit: nothing of this person is left to the next
    await endVisit();
    message.success(t('header.loggedOut'));
  };
  const onLogoutEverywhere = () => {
    modal.confirm({
      title: t('header.logoutEverywhere'),
      content: t('header.logoutEverywhereConfirm'),
      okText: t('header.logoutEverywhere'),
      okButtonProps: { danger: true, 'data-testid': 'logout-everywhere-ok' } as ButtonProps,
      onOk: async () => {
        // to the public home in the same transition as the sign-out (see useAuth().logout)
        const ended = await logoutEverywhere(() => navigate('/')).catch(() => undefined);
        message.success(ended === undefined ? t('header.loggedOut') : t('header.loggedOutEverywhere', { count: ended }));
      },
    });
  };

  return (
    <Space size="middle" className="mz-header-controls" wrap={false}>
      {kiosk ? <Tag color="gold" className="mz-kiosk-badge" data-testid="kiosk-badge">{t('kiosk.badge')}</Tag> : null}
      <Tooltip title={t('header.elderlyTitle')}>
        <label className="mz-header-switch">
          <Switch size="small" checked={elderly} onChange={setElderly} data-testid="elderly-toggle" />
          <span>{t('header.elderly')}</span>
        </label>
      </Tooltip>
      <Tooltip title={t('header.languageTitle')}>
        <Button
          type="text"
          className="mz-header-button"
          icon={<GlobalOutlined />}
          onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}
          data-testid="lang-switch"
        >
          {t('header.language')}
        </Button>
      </Tooltip>
      {user ? (
        <Space size="small" data-testid="current-user">
          <UserOutlined className="mz-header-icon" />
          <span className="mz-header-user" data-testid="current-user-name">{user.displayName}</span>
          {user.roles.filter(isRole).map((role) => (
            <Tag key={role} color="blue" className="mz-header-role" data-testid="current-user-role">
              {t(`role.${role}`)}
            </Tag>
          ))}
          <Space.Compact>
            <Button type="text" className="mz-header-button" icon={<LogoutOutlined />} onClick={onLogout} data-testid="logout-button">
              {t('header.logout')}
            </Button>
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'password', icon: <KeyOutlined />, label: <span data-testid="change-password-open">{t('header.changePassword')}</span> },
                  { key: 'everywhere', label: <span data-testid="logout-everywhere-open">{t('header.logoutEverywhere')}</span>, danger: true },
                ],
                onClick: ({ key }) => (key === 'password' ? setChangingPassword(true) : onLogoutEverywhere()),
              }}
            >
              <Button type="text" className="mz-header-button" icon={<DownOutlined />} aria-label={t('header.accountMenu')} data-testid="logout-more" />
            </Dropdown>
          </Space.Compact>
          <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
        </Space>
      ) : user === null && location.pathname !== '/login' ? (
        <Link to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} data-testid="login-link">
          <Button type="primary" ghost className="mz-header-login" icon={<LoginOutlined />}>
            {t('header.login')}
          </Button>
        </Link>
      ) : null}
    </Space>
  );
}

export function AppLayout() {
  const { t } = useI18n();
  const { user, refresh } = useAuth();
  const location = useLocation();
  const groups = visibleGroups(user?.roles);
  const selected = selectedNavPath(location.pathname, groups);
  // Below lg the side menu moves into a drawer opened from the header.
  const screens = Grid.useBreakpoint();
  const narrow = screens.lg === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  useEffect(() => setDrawerOpen(false), [location.pathname, location.search]);

  const items = useMemo<MenuProps['items']>(
    () =>
      groups.map((group) => ({
        type: 'group' as const,
        key: group.key,
        label: t(group.label),
        children: group.entries.map((entry) => ({
          key: entry.path,
          icon: entry.icon,
          label: (
            <Link to={entry.path} data-testid={`nav-${entry.path === '/' ? 'home' : entry.path.slice(1).replace(/\//g, '-')}`}>
              {t(entry.label)}
            </Link>
          ),
        })),
      })),
    [groups, t],
  );

  return (
    <Layout className="mz-shell">
      <Header className="mz-header">
        <div className="mz-header-start">
          {narrow && (
            <Button
              type="text"
              className="mz-header-button"
              icon={<MenuOutlined />}
              onClick={() => setDrawerOpen(true)}
              aria-label={t('nav.public')}
              data-testid="nav-drawer-button"
            />
          )}
          <Brand />
        </div>
        <HeaderControls />
      </Header>
      <Layout>
        {narrow ? (
          <Drawer placement="left" open={drawerOpen} onClose={() => setDrawerOpen(false)} size={260} title={t('app.name')} styles={{ body: { padding: 0 } }}>
            <Menu mode="inline" items={items} selectedKeys={selected ? [selected] : []} className="mz-menu" data-testid="nav-menu" />
          </Drawer>
        ) : (
          <Sider width={208} className="mz-sider" theme="light">
            <Menu mode="inline" items={items} selectedKeys={selected ? [selected] : []} className="mz-menu" data-testid="nav-menu" />
          </Sider>
        )}
        <Layout className="mz-main">
          <Content className="mz-content">
            {user?.identityVerified === false && <Alert type="warning" showIcon className="mz-card" style={{ marginBottom: 16 }} title={t('identity.unverified')} data-testid="identity-unverified" />}
            {user?.passwordExpired ? (
              // an expired password (staff, 等保 定期更换): the server answers nothing else until it is changed
              <>
                <Alert type="warning" showIcon className="mz-card" title={t('header.changePassword.expired')} data-testid="password-expired" />
                <ChangePasswordModal open forced onClose={() => void refresh().catch(() => undefined)} />
              </>
            ) : (
              <Suspense fallback={<PageLoading />}>
                <Outlet />
              </Suspense>
            )}
          </Content>
          <KioskIdleGuard />
          <Footer className="mz-footer">
            <Typography.Text type="secondary">{t('app.footer')}</Typography.Text>
          </Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
