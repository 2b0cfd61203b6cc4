import { useState } from 'react';
import { App as AntApp, Button, Card, Col, Result, Row, Statistic, Typography, Upload } from 'antd';
import type { UploadProps } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { ApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { ApiErrorAlert } from '../../shell/feedback';
import { useI18n } from '../../shell/i18n/i18n';
import { catalogApi } from '../catalog-api';
import type { ImportResult, ImportRowError } from '../types';
import { ImportRefusal, rowErrorsOf } from './import-errors-table';

type Outcome =
  | { kind: 'success'; fileName: string; result: ImportResult }
  | { kind: 'invalid'; fileName: string; error: ApiError; rows: ImportRowError[] }
  | { kind: 'failed'; error: ApiError };

const accepted = ['.xlsx', '.csv'];

export default function ImportPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [outcome, setOutcome] = useState<Outcome>();
  const [run, busy] = useAction();

  const customRequest: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    const upload = file as File;
    await run(
      async () => {
        setOutcome(undefined);
        const result = await catalogApi.importFile(upload);
        setOutcome({ kind: 'success', fileName: upload.name, result });
        onSuccess?.(result);
      },
      {
        onError: (error) => {
          if (error.status === 422) setOutcome({ kind: 'invalid', fileName: upload.name, error, rows: rowErrorsOf(error) });
          else setOutcome({ kind: 'failed', error });
          onError?.(error);
        },
      },
    );
  };

  const beforeUpload: UploadProps['beforeUpload'] = (file) => {
    const ok = accepted.some((ext) => file.name.toLowerCase().endsWith(ext));
    if (!ok) {
      message.error(t('import.wrongType'));
      return Upload.LIST_IGNORE;
    }
    return true;
  };

  return (
    <div className="mz-page" data-testid="import-page">
      <Typography.Title level={2} className="mz-page-title">{t('import.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('import.subtitle')}</Typography.Paragraph>

      <Card className="mz-card">
        <div data-testid="import-upload">
          <Upload.Dragger
            name="file"
            accept={accepted.join(',')}
            multiple={false}
            maxCount={1}
            showUploadList={false}
            disabled={busy}
            beforeUpload={beforeUpload}
            customRequest={customRequest}
          >
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
