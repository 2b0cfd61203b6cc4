import { Alert, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ApiError } from '../../api/http';
import { useI18n } from '../../shell/i18n/i18n';
import type { ImportRowError } from '../types';

/** The rows' errors of a refused import (422 CATALOG.IMPORT_INVALID: `error.details.errors`). */
export function rowErrorsOf(error: ApiError): ImportRowError[] {
  const details = error.details as { errors?: unknown } | undefined;
  return Array.isArray(details?.errors) ? (details.errors as ImportRowError[]) : [];
}

/**
 * The table of a refused import's errors: row, column, the reason in the current language and
 * its code. `testIdPrefix` names the table (`<prefix>-errors-table`), its rows (`<prefix>-error`)
 * and their cells (`<prefix>-error-row-number`, `<prefix>-error-column`, `<prefix>-error-reason`).
 */
export function ImportErrorsTable({ rows, testIdPrefix }: { rows: ImportRowError[]; testIdPrefix: string }) {
  const testId = `${testIdPrefix}-error`;
  const { t, locale } = useI18n();
  const columns: TableColumnsType<ImportRowError> = [
    { title: t('import.row'), dataIndex: 'row', width: 80, render: (row: number) => <span data-testid={`${testId}-row-number`}>{row}</span> },
    { title: t('import.column'), dataIndex: 'column', width: 160, render: (column: string) => <span data-testid={`${testId}-column`}>{column}</span> },
    {
      title: t('import.reason'),
      dataIndex: 'reason',
      render: (_: string, row) => <span data-testid={`${testId}-reason`}>{locale === 'en' ? row.reasonEn || row.reason : row.reason}</span>,
    },
    { title: t('import.code'), dataIndex: 'code', width: 260, responsive: ['lg'], className: 'mz-mono mz-small' },
  ];
  return (
    <Table<ImportRowError>
      rowKey={(row) => `${row.row}:${row.column}:${row.code ?? row.reason}`}
      columns={columns}
      dataSource={rows}
      size="middle"
      pagination={rows.length > 50 ? { pageSize: 50 } : false}
      onRow={() => ({ 'data-testid': testId }) as React.HTMLAttributes<HTMLElement>}
      data-testid={`${testIdPrefix}-errors-table`}
    />
  );
}

/** A refused import: the file's name and the reason, how many problems, and their table (ImportErrorsTable). */
export function ImportRefusal({ fileName, error, rows, testIdPrefix }: { fileName: string; error: ApiError; rows: ImportRowError[]; testIdPrefix: string }) {
  const { t, locale } = useI18n();
  return (
    <>
      <Alert
        type="error"
        showIcon
        title={`${t('import.invalidTitle')}(${fileName})`}
        description={
          <>
            <div>{error.localized(locale)}</div>
            <div>{t('import.errorsCount', { count: rows.length })}</div>
          </>
        }
        className="mz-gap"
      />
      <ImportErrorsTable rows={rows} testIdPrefix={testIdPrefix} />
    </>
  );
}
