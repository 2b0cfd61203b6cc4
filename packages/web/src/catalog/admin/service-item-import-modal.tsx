import { useEffect } from 'react';
import { Button, Col, Modal, Result, Row, Statistic, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { ApiErrorAlert } from '../../shell/feedback';
import { serviceItemsAdminApi } from '../service-items-api';
import type { ServiceItemImportResult } from '../types';
import { ImportRefusal } from './import-errors-table';
import { useSpreadsheetImport } from './use-spreadsheet-import';
import { useServiceItemsText } from './service-items-messages';

const counts = ['created', 'updated', 'unchanged', 'proofMaterials', 'formMaterials'] as const;

/**
 * 导入服务事项清单: a .xlsx or .csv list of service items (事项编码, 事项名称, 实施部门, 服务对象,
 * 申请材料) into the draft, all or nothing. Says what it did, or every row's error; `onImported`
 * lets the page reload its list.
 */
export function ServiceItemImportModal({ open, scopeName, onClose, onImported }: {
  open: boolean;
  /** the region a city's administrator is bound to (its imports stay within it); none for the province's */
  scopeName?: string;
  onClose: () => void;
  onImported: (result: ServiceItemImportResult) => void;
}) {
  const { t, shellT } = useServiceItemsText();
  const { outcome, setOutcome, busy, draggerProps } = useSpreadsheetImport(serviceItemsAdminApi.importFile, {
    onImported,
    // a file the server could not read at all (no header, not a spreadsheet) is not a per-cell refusal
    isRefusal: (error) => error.status === 422 && error.code === 'CATALOG.IMPORT_INVALID',
  });

  // each opening starts afresh
  useEffect(() => {
    if (open) setOutcome(undefined);
  }, [open, setOutcome]);

  return (
    <Modal
      open={open}
      title={t('import.title')}
      onCancel={onClose}
      footer={<Button onClick={onClose} data-testid="service-item-import-close">{t('import.close')}</Button>}
      destroyOnHidden
      width={880}
    >
      <div data-testid="service-item-import-modal">
        <Typography.Paragraph>{t('import.columns')}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">
          {t('import.materials')}
          {' '}
          {t('import.rules')}
          {scopeName ? ` ${t('import.scopeCity', { region: scopeName })}` : ''}
        </Typography.Paragraph>

        <div data-testid="service-item-import-upload" className="mz-gap">
          <Upload.Dragger {...draggerProps}>
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{busy ? t('import.uploading') : shellT('import.drop')}</p>
            <p className="ant-upload-hint">{t('import.dropHint')}</p>
          </Upload.Dragger>
        </div>

        {outcome?.kind === 'invalid' && (
          <div data-testid="service-item-import-errors" data-count={outcome.rows.length}>
            <ImportRefusal fileName={outcome.fileName} error={outcome.error} rows={outcome.rows} testIdPrefix="service-item-import" />
          </div>
        )}

        {outcome?.kind === 'failed' && <ApiErrorAlert error={outcome.error} />}

        {outcome?.kind === 'success' && (
          <div data-testid="service-item-import-result">
            <Result
              status="success"
              title={t('import.successTitle', { name: outcome.fileName })}
              subTitle={t('import.successHint', { total: outcome.result.total })}
            >
              <Row gutter={[16, 16]} justify="center">
                {counts.map((key) => (
                  <Col key={key} xs={12} md={4}>
                    <div data-testid={`service-item-import-${key}`} data-value={outcome.result[key]}>
                      <Statistic title={t(`import.${key}`)} value={outcome.result[key]} />
                    </div>
                  </Col>
                ))}
              </Row>
            </Result>
          </div>
        )}
      </div>
    </Modal>
  );
}
