import fontkit, { type Font } from '@pdf-lib/fontkit';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';

/** One text run drawn in a PDF made by pdf-lib with embedded fonts (one Tj). */
export interface PdfRun {
  page: number;
  x: number;
  y: number;
  /** The font dictionary drawing it (the same object for every run of that font). */
  font: PDFDict;
  /** The glyph codes drawn (CIDs: glyph ids of the embedded font program; 0 is .notdef). */
  codes: number[];
  /** The codes read through the font's ToUnicode map; a code it does not map reads as U+FFFD. */
  text: string;
}

function stream(doc: PDFDocument, ref: unknown): Buffer {
  const s = doc.context.lookup(ref as PDFRef);
  if (!(s instanceof PDFRawStream)) throw new Error(`not a stream: ${String(ref)}`);
  return Buffer.from(decodePDFRawStream(s).decode());
}

/** The font's ToUnicode map: code (4 hex digits) → text. */
function toUnicode(doc: PDFDocument, font: PDFDict): Map<string, string> {
  const map = new Map<string, string>();
  const ref = font.get(PDFName.of('ToUnicode'));
  if (!ref) return map;
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  const cmap = stream(doc, ref).toString('latin1');
  for (const b of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) for (const e of b[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)) map.set(e[1]!.toUpperCase(), utf16(e[2]!));
  for (const b of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const e of b[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const lo = parseInt(e[1]!, 16); const hi = parseInt(e[2]!, 16); const base = parseInt(e[3]!, 16);
      for (let c = lo; c <= hi; c++) map.set(c.toString(16).toUpperCase().padStart(4, '0'), String.fromCodePoint(base + c - lo));
    }
  }
  return map;
}

/** Every text run of the PDF, page by page in drawing order: the font (from the page's resources), position, glyph codes and their text. */
export async function pdfRuns(pdf: Uint8Array): Promise<{ doc: PDFDocument; runs: PdfRun[] }> {
  const doc = await PDFDocument.load(pdf);
  const maps = new Map<PDFDict, Map<string, string>>();
  const runs: PdfRun[] = [];
  doc.getPages().forEach((page, pageIndex) => {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    const contents = page.node.Contents();
    const refs = contents instanceof PDFArray ? contents.asArray() : [page.node.get(PDFName.of('Contents'))];
    let font: PDFDict | undefined;
    let x = 0; let y = 0;
    for (const ref of refs) {
      const ops = stream(doc, ref).toString('latin1');
      for (const m of ops.matchAll(/\/([^\s/<>[\]()]+)\s+[-\d.]+\s+Tf|([-\d.]+)\s+([-\d.]+)\s+Tm|<([0-9A-Fa-f]*)>\s*Tj/g)) {
        if (m[1] !== undefined) font = fonts?.lookup(PDFName.of(m[1]), PDFDict);
        else if (m[2] !== undefined) { x = Number(m[2]); y = Number(m[3]); }
        else {
          if (!font) throw new Error('Tj before Tf');
          let map = maps.get(font);
          if (!map) { map = toUnicode(doc, font); maps.set(font, map); }
          const hex = (m[4]!.match(/.{4}/g) ?? []).map((g) => g.toUpperCase());
          runs.push({ page: pageIndex, x, y, font, codes: hex.map((h) => parseInt(h, 16)), text: hex.map((h) => map.get(h) ?? '\uFFFD').join('') });
        }
      }
    }
  });
  return { doc, runs };
}

/** The text lines drawn: the runs of one page and height joined from left to right. */
export function runLines(runs: readonly PdfRun[]): string[] {
  const lines = new Map<string, PdfRun[]>();
  for (const r of runs) {
    const key = `${r.page}:${r.y}`;
    lines.set(key, [...(lines.get(key) ?? []), r]);
  }
  return [...lines.values()].map((l) => l.sort((a, b) => a.x - b.x).map((r) => r.text).join(''));
}

/** The text lines drawn in a PDF made by pdf-lib with embedded fonts, each decoded through its font's ToUnicode map. */
export async function pdfText(pdf: Uint8Array): Promise<string[]> {
  return runLines((await pdfRuns(pdf)).runs);
}

/** The fonts (Type0 dictionaries) the PDF embeds. */
export function embeddedFonts(doc: PDFDocument): PDFDict[] {
  return doc.context.enumerateIndirectObjects().map(([, o]) => o).filter((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('Subtype'))?.toString() === '/Type0');
}

const programs = new WeakMap<PDFDict, Font>();

/** The font program embedded for a Type0 font, parsed (once per font: a whole CJK font is ~16 MB). */
export function fontProgram(doc: PDFDocument, type0: PDFDict): Font {
  let font = programs.get(type0);
  if (!font) {
    const cid = type0.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
    const descriptor = cid.lookup(PDFName.of('FontDescriptor'), PDFDict);
    const file = descriptor.get(PDFName.of('FontFile2')) ?? descriptor.get(PDFName.of('FontFile3'));
    font = fontkit.create(stream(doc, file));
    programs.set(type0, font);
  }
  return font;
}
