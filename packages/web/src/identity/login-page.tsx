import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/http';
import { useAction } from '../api/use-action';
import { useI18n } from '../shell/i18n/i18n';
import { homeFor } from '../shell/nav';
import { useKiosk } from '../shell/kiosk';
import { useAuth } from './auth-context';

/** Only same-site paths are followed after login, never another origin. A path on this site only: not `//host` nor `/\\host` (browsers read a backslash as a slash), nor control characters. */
function safeNext(next: string | null): string | undefined {
  return next && /^\/(?![/\\])/.test(next) && !/[\u0000-\u001f\\]/.test(next) ? next : undefined;
}

export default function LoginPage() {
  const { t, locale } = useI18n();
  const { user, login } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { kiosk } = useKiosk();
  // a kiosk visit just ended (自助办): remind the person to take what they brought
  const visitEnded = kiosk && params.get('visit') === 'ended';
  const [error, setError] = useState<ApiError>();
  const [run, busy] = useAction();

  if (user) return <Navigate to={next ?? homeFor(user.roles)} replace />;

  const onFinish = async ({ username, password }: { username: string; password: string }) => {
    await run(
      async () => {
        setError(undefined);
        const loggedIn = await login(username.trim(), password);
        message.success(t('login.welcome', { name: loggedIn.displayName }));
        navigate(next ?? homeFor(loggedIn.roles), { replace: true });
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
    <div className="mz-login" data-testid="login-page">
      <Card className="mz-login-card">
        <div className="mz-login-head">
          <span className="mz-brand-mark mz-brand-mark-lg" aria-hidden>免</span>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('login.title')}</Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        {visitEnded && !error ? (
          <Alert type="success" showIcon title={t('kiosk.ended')} className="mz-gap" data-testid="kiosk-ended" />
        ) : null}
        {error && (
          <Alert type="error" showIcon title={error.localized(locale)} className="mz-gap" data-testid="login-error" data-code={error.code} />
        )}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} size="large">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
