import { useState } from 'react';
import { App as AntApp, Upload } from 'antd';
import type { UploadProps } from 'antd';
import type { ApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useI18n } from '../../shell/i18n/i18n';
import type { ImportRowError } from '../types';
import { rowErrorsOf } from './import-errors-table';

/** What became of the last file: imported, refused row by row (422 with every cell's error), or failed otherwise. */
export type ImportOutcome<R> =
  | { kind: 'success'; fileName: string; result: R }
  | { kind: 'invalid'; fileName: string; error: ApiError; rows: ImportRowError[] }
  | { kind: 'failed'; error: ApiError };

export const SPREADSHEET_EXTENSIONS = ['.xlsx', '.csv'];

/**
 * An Upload.Dragger that sends one .xlsx/.csv to `importFile` and keeps its outcome: `draggerProps`
 * (one file, no upload list, disabled while busy, a `beforeUpload` that refuses other file types
 * with the shell's message, the upload's `customRequest`). `isRefusal` says which errors are a
 * refusal with per-cell errors (default: any 422).
 */
export function useSpreadsheetImport<R>(
  importFile: (file: File) => Promise<R>,
  options: { onImported?: (result: R) => void; isRefusal?: (error: ApiError) => boolean } = {},
) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [outcome, setOutcome] = useState<ImportOutcome<R>>();
  const [run, busy] = useAction();
  const isRefusal = options.isRefusal ?? ((error: ApiError) => error.status === 422);

  const customRequest: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    const upload = file as File;
    await run(
      async () => {
        setOutcome(undefined);
        const result = await importFile(upload);
        setOutcome({ kind: 'success', fileName: upload.name, result });
        onSuccess?.(result);
        options.onImported?.(result);
      },
      {
        onError: (error) => {
          if (isRefusal(error)) setOutcome({ kind: 'invalid', fileName: upload.name, error, rows: rowErrorsOf(error) });
          else setOutcome({ kind: 'failed', error });
          onError?.(error);
        },
      },
    );
  };

  const beforeUpload: UploadProps['beforeUpload'] = (file) => {
    if (SPREADSHEET_EXTENSIONS.some((ext) => file.name.toLowerCase().endsWith(ext))) return true;
    message.error(t('import.wrongType'));
    return Upload.LIST_IGNORE;
  };

  const draggerProps: UploadProps = {
    name: 'file', accept: SPREADSHEET_EXTENSIONS.join(','), multiple: false, maxCount: 1, showUploadList: false, disabled: busy, beforeUpload, customRequest,
  };
  return { outcome, setOutcome, busy, draggerProps };
}
