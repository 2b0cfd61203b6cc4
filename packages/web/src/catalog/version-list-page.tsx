import { Button, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { NotFoundPage } from '../shell/feedback';
import { useI18n } from '../shell/i18n/i18n';
import { catalogApi } from './catalog-api';
import { CatalogBrowser } from './catalog-browser';

export default function VersionListPage() {
  const { n = '' } = useParams();
  const { t } = useI18n();
  const number = Number(n);
  if (!Number.isInteger(number) || number < 1) return <NotFoundPage />;
  return (
    <div className="mz-page" data-testid="version-list-page">
      <Space align="center" wrap className="mz-title-row">
        <Typography.Title level={2} className="mz-page-title">
          {t('versions.numberLabel', { number })}
        </Typography.Title>
        <Space>
          <Link to="/versions"><Button>{t('nav.versions')}</Button></Link>
          <Button type="primary" icon={<DownloadOutlined />} href={catalogApi.exportUrl(number)} download data-testid="version-download">
            {t('versions.download')}
          </Button>
        </Space>
      </Space>
      <CatalogBrowser version={number} />
    </div>
  );
}
