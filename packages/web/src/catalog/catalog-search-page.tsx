import { Typography } from 'antd';
import { useI18n } from '../shell/i18n/i18n';
import { CatalogBrowser } from './catalog-browser';

export default function CatalogSearchPage() {
  const { t } = useI18n();
  return (
    <div className="mz-page">
      <div className="mz-hero">
        <Typography.Title level={2} className="mz-hero-title">
          {t('search.title')}
        </Typography.Title>
        <Typography.Paragraph className="mz-hero-subtitle">{t('search.subtitle')}</Typography.Paragraph>
      </div>
      <CatalogBrowser />
    </div>
  );
}
