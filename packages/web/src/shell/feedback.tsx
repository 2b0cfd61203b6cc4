import { Alert, Button, Result, Spin } from 'antd';
import { Link } from 'react-router-dom';
import type { ApiError } from '../api/http';
import { useI18n } from './i18n/i18n';

export function PageLoading() {
  const { t } = useI18n();
  return (
    <div className="mz-page-loading" data-testid="page-loading">
      <Spin size="large" description={t('common.loading')}>
        <div style={{ minHeight: 80 }} />
      </Spin>
    </div>
  );
}

/** Shows a server error in the user's language (message in zh-CN, messageEn in English). */
export function ApiErrorAlert({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t, locale } = useI18n();
  return (
    <Alert
      type="error"
      showIcon
      data-testid="api-error"
      data-code={error.code}
      title={error.localized(locale)}
      description={error.code}
      action={onRetry ? <Button size="small" onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

export function NotFoundPage({ title, description }: { title?: string; description?: string }) {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={title ?? t('auth.notFoundTitle')}
      subTitle={description ?? t('auth.notFound')}
      extra={<Link to="/"><Button type="primary">{t('auth.home')}</Button></Link>}
      data-testid="not-found"
    />
  );
}

export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <Result
      status="403"
      title={t('auth.forbiddenTitle')}
      subTitle={t('auth.forbidden')}
      extra={<Link to="/"><Button type="primary">{t('auth.home')}</Button></Link>}
      data-testid="forbidden"
    />
  );
}
