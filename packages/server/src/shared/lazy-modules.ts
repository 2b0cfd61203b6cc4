import type Fontkit from '@pdf-lib/fontkit';

/**
 * Heavy libraries used only by a few requests (spreadsheets, PDFs) are loaded on first
 * use, not at start-up: together they cost ~330 ms of every start.
 */
export async function loadExcelJs(): Promise<typeof import('exceljs')> {
  return (await import('exceljs')).default as unknown as typeof import('exceljs');
}

export async function loadPdfLib(): Promise<{ pdfLib: typeof import('pdf-lib'); fontkit: typeof Fontkit }> {
  const [pdfLib, fontkit] = await Promise.all([import('pdf-lib'), import('@pdf-lib/fontkit')]);
  return { pdfLib, fontkit: fontkit.default as typeof Fontkit };
}
