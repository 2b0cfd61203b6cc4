import { AppError } from '../../shared/errors.ts';
import { isSpreadsheetError } from '../spreadsheet/index.ts';

/**
 * Reads an uploaded list with `parse`: a problem of the file as a whole (not a spreadsheet, no
 * header row, too many rows …) becomes the AppError of its code, naming the field `file`.
 */
export async function readUploadedList<T>(parse: () => Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (e) {
    if (isSpreadsheetError(e) && e.code !== 'EXPORT.INVALID_ROW') throw new AppError(e.code, { field: 'file', message: e.message, messageEn: e.messageEn, details: e.details });
    throw e;
  }
}
