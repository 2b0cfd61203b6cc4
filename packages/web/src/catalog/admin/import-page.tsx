import { Button, Card, Col, Result, Row, Statistic, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { ApiErrorAlert } from '../../shell/feedback';
import { useI18n } from '../../shell/i18n/i18n';
import { catalogApi } from '../catalog-api';
import { ImportRefusal } from './import-errors-table';
import { useSpreadsheetImport } from './use-spreadsheet-import';

export default function ImportPage() {
  const { t } = useI18n();
  const { outcome, draggerProps } = useSpreadsheetImport(catalogApi.importFile);

  return (
    <div className="mz-page" data-testid="import-page">
      <Typography.Title level={2} className="mz-page-title">{t('import.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('import.subtitle')}</Typography.Paragraph>

      <Card className="mz-card">
        <div data-testid="import-upload">
          <Upload.Dragger {...draggerProps}>
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('import.drop')}</p>
            <p className="ant-upload-hint">{t('import.dropHint')}</p>
          </Upload.Dragger>
        </div>
      </Card>

      {outcome?.kind === 'invalid' && (
        <Card className="mz-card" data-testid="import-errors">
          <ImportRefusal fileName={outcome.fileName} error={outcome.error} rows={outcome.rows} testIdPrefix="import" />
        </Card>
      )}

      {outcome?.kind === 'failed' && <ApiErrorAlert error={outcome.error} />}

      {outcome?.kind === 'success' && (
        <Card className="mz-card" data-testid="import-result">
          <Result
            status="success"
            title={t('import.successTitle', { name: outcome.fileName })}
            extra={
              <Link to="/admin/draft" data-testid="import-to-draft">
                <Button type="primary">{t('import.toDraft')}</Button>
              </Link>
            }
          >
            <Row gutter={24} justify="center">
              {(['created', 'updated', 'unchanged', 'total'] as const).map((key) => (
                <Col key={key} xs={12} md={6}>
                  <div data-testid={`import-${key}`} data-value={outcome.result[key]}>
                    <Statistic title={t(`import.${key}`)} value={outcome.result[key]} />
                  </div>
                </Col>
              ))}
            </Row>
          </Result>
        </Card>
      )}
    </div>
  );
}
