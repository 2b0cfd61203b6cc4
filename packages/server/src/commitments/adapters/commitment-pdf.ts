import { loadPdfLib } from '../../shared/lazy-modules.ts';
import { AppError } from '../../shared/errors.ts';
import { CjkTextSetter, codePointLabel, MISSING_MARK, type Piece } from './cjk-text.ts';

export interface PrintableCommitment {
  text: string;
  textDigest: string;
  status: string;
  signedAt: string | null;
  signedVia: string | null;
  seal: { keyId?: string; signature?: string } | null;
}

/** An instant as printed: Beijing time (UTC+8), the zone of the text's 日期 line, e.g. 2025-10-01 07:30:00(北京时间). */
function beijingTime(iso: string): string {
  return `${new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')}（北京时间）`;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/** Splits a line into lines no wider than `width` (CJK text breaks anywhere); `pieceWidth` is per character. */
function wrap(line: readonly Piece[], width: number, pieceWidth: (p: Piece) => number): Piece[][] {
  if (line.length === 0) return [[]];
  const out: Piece[][] = [];
  let cur: Piece[] = [];
  let w = 0;
  for (const p of line) {
    const pw = pieceWidth(p);
    if (w + pw > width && cur.length) { out.push(cur); cur = [p]; w = pw; } else { cur.push(p); w += pw; }
  }
  if (cur.length) out.push(cur);
  return out;
}

export interface CommitmentPdf {
  bytes: Uint8Array;
  /** Characters of the text no installed font has (as U+XXXX), each printed as □; empty normally. */
  missing: string[];
}

/**
 * The 告知承诺书 as a printable A4 PDF, the CJK font subset embedded; a character the font
 * lacks (a rare character of a name) is drawn with a fallback font that has it (cjk-text.ts).
 */
export async function renderCommitmentPdf(c: PrintableCommitment): Promise<CommitmentPdf> {
  const { pdfLib: { PDFDocument, rgb }, fontkit: kit } = await loadPdfLib();
  const pdf = await PDFDocument.create();
  const cjk = await CjkTextSetter.create(pdf, kit);
  if (!cjk) throw new AppError('COMMITMENT.PDF_FONT_UNAVAILABLE');
  pdf.setTitle('证明事项告知承诺书');
  pdf.setCreator('免证 Mianzheng');
  const lines = c.text.split('\n');
  const footer = [
    '',
    c.status === 'signed' ? `签署状态：已由承诺人本人电子签署（${c.signedVia === 'in_person' ? '窗口现场核验身份后签署' : '本人账号签署'}），签署时间 ${c.signedAt ? beijingTime(c.signedAt) : ''}` : '签署状态：待承诺人本人签署',
    `承诺书摘要（SM3）：${c.textDigest}`,
    ...(c.seal?.keyId ? [`平台签章密钥：${c.seal.keyId}`, `签章值（SM2）：${c.seal.signature ?? ''}`] : []),
  ];
  await cjk.prepare(c.text);
  await cjk.prepare(footer.join('\n'));
  const missing = [...cjk.missing].map(codePointLabel);
  if (missing.length) {
    const note = `注：本机字体未收录字符 ${missing.join('、')}，打印为“${MISSING_MARK}”；承诺书内容以电子原文及其摘要为准。`;
    await cjk.prepare(note);
    footer.push(note);
  }
  let page = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  const width = A4[0] - 2 * MARGIN;
  const put = (text: string, size: number, opts: { center?: boolean; gray?: boolean } = {}) => {
    for (const row of wrap(cjk.pieces(text), width, (p) => cjk.width(p, size))) {
      if (y < MARGIN + size) { page = pdf.addPage(A4); y = A4[1] - MARGIN; }
      const x = opts.center ? (A4[0] - cjk.lineWidth(row, size)) / 2 : MARGIN;
      cjk.draw(page, row, { x, y: y - size, size, color: opts.gray ? rgb(0.35, 0.35, 0.35) : rgb(0, 0, 0) });
      y -= size * 1.6;
    }
  };
  put(lines[0] ?? '证明事项告知承诺书', 20, { center: true });
  y -= 8;
  for (const l of lines.slice(1)) put(l, /^[一二三四五六七八九十]、/.test(l) ? 13 : 11);
  for (const l of footer) put(l, 8, { gray: true });
  return { bytes: await pdf.save(), missing };
}
