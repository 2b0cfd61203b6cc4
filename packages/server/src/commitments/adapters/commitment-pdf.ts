import type fontkit from '@pdf-lib/fontkit';
import { loadPdfLib } from '../../shared/lazy-modules.ts';
import { AppError } from '../../shared/errors.ts';
import { findCjkFont } from './cjk-font.ts';

export interface PrintableCommitment {
  text: string;
  textDigest: string;
  status: string;
  signedAt: string | null;
  signedVia: string | null;
  seal: { keyId?: string; signature?: string } | null;
}

/** fontkit with the parsed CJK font kept for the process: parsing a CJK face takes over a second, subsetting it a few ms. */
const parsed = new WeakMap<Uint8Array, unknown>();
function cachingFontkit(kit: typeof fontkit): typeof fontkit {
  return {
    create(data: Uint8Array, postscriptName?: string) {
      let font = parsed.get(data);
      if (!font) { font = kit.create(data, postscriptName); parsed.set(data, font); }
      return font;
    },
  } as unknown as typeof fontkit;
}

/** An instant as printed: Beijing time (UTC+8), the zone of the text's 日期 line, e.g. 2025-10-01 07:30:00(北京时间). */
function beijingTime(iso: string): string {
  return `${new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')}(北京时间)`;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/** Splits a line into pieces no wider than `width` (CJK text breaks anywhere); `charWidth` is per character. */
function wrap(line: string, width: number, charWidth: (ch: string) => number): string[] {
  if (line === '') return [''];
  const out: string[] = [];
  let cur = '';
  let w = 0;
  for (const ch of line) {
    const cw = charWidth(ch);
    if (w + cw > width && cur) { out.push(cur); cur = ch; w = cw; } else { cur += ch; w += cw; }
  }
  if (cur) out.push(cur);
  return out;
}

/** The 告知承诺书 as a printable A4 PDF with the CJK font subset embedded. */
export async function renderCommitmentPdf(c: PrintableCommitment): Promise<Uint8Array> {
  const font = findCjkFont();
  if (!font) throw new AppError('COMMITMENT.PDF_FONT_UNAVAILABLE');
  const { pdfLib: { PDFDocument, rgb }, fontkit: kit } = await loadPdfLib();
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(cachingFontkit(kit));
  pdf.setTitle('证明事项告知承诺书');
  pdf.setCreator('免证 Mianzheng');
  const cjk = await pdf.embedFont(font.bytes, { subset: font.subset });
  const lines = c.text.split('\n');
  const footer = [
    '',
    c.status === 'signed' ? `签署状态:已由承诺人本人电子签署(${c.signedVia === 'in_person' ? '窗口现场核验身份后签署' : '本人账号签署'}),签署时间 ${c.signedAt ? beijingTime(c.signedAt) : ''}` : '签署状态:待承诺人本人签署',
    `承诺书摘要(SM3):${c.textDigest}`,
    ...(c.seal?.keyId ? [`平台签章密钥:${c.seal.keyId}`, `签章值(SM2):${c.seal.signature ?? ''}`] : []),
  ];
  let page = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  const width = A4[0] - 2 * MARGIN;
  const unit = new Map<string, number>();
  const charWidth = (ch: string) => {
    let w = unit.get(ch);
    if (w === undefined) { w = cjk.widthOfTextAtSize(ch, 1); unit.set(ch, w); }
    return w;
  };
  const put = (text: string, size: number, opts: { center?: boolean; gray?: boolean } = {}) => {
    for (const piece of wrap(text, width, (ch) => charWidth(ch) * size)) {
      if (y < MARGIN + size) { page = pdf.addPage(A4); y = A4[1] - MARGIN; }
      const x = opts.center ? (A4[0] - cjk.widthOfTextAtSize(piece, size)) / 2 : MARGIN;
      page.drawText(piece, { x, y: y - size, size, font: cjk, color: opts.gray ? rgb(0.35, 0.35, 0.35) : rgb(0, 0, 0) });
      y -= size * 1.6;
    }
  };
  put(lines[0] ?? '证明事项告知承诺书', 20, { center: true });
  y -= 8;
  for (const l of lines.slice(1)) put(l, /^[一二三四五六七八九十]、/.test(l) ? 13 : 11);
  for (const l of footer) put(l, 8, { gray: true });
  return pdf.save();
}
