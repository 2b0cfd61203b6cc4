import fs from 'node:fs';

/**
 * A CJK font for printable commitments. pdf-lib embeds single fonts (TTF/OTF) only; the
 * Debian Noto CJK fonts (fonts-noto-cjk) ship as TrueType Collections, so the Simplified
 * Chinese face is cut out of the collection into a standalone OpenType font (its tables
 * copied with fresh offsets). Candidates are tried in order; none → PDF unavailable. A
 * character the first font lacks (a rare character of a name, 生僻字) is drawn with the next
 * candidate that has it (`cjk-text.ts`).
 */
export const CJK_FONT_CANDIDATES: readonly { path: string; face?: string; cff?: boolean }[] = [
  // TrueType outlines: subset cleanly (fonts-wqy-microhei, fonts-droid-fallback).
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc' },
  // CFF outlines (fonts-noto-cjk): @pdf-lib/fontkit cannot subset CID-keyed CFF correctly,
  // so these are embedded whole (correct, but a PDF of ~16 MB): a last resort.
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular', cff: true },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular', cff: true },
];

function u32(b: Buffer, o: number) { return b.readUInt32BE(o); }
function u16(b: Buffer, o: number) { return b.readUInt16BE(o); }

/** PostScript name (name ID 6) of the font whose table directory starts at `dir`. */
function postscriptName(buf: Buffer, dir: number): string | undefined {
  const numTables = u16(buf, dir + 4);
  for (let i = 0; i < numTables; i++) {
    const rec = dir + 12 + i * 16;
    if (buf.toString('latin1', rec, rec + 4) !== 'name') continue;
    const off = u32(buf, rec + 8);
    const count = u16(buf, off + 2);
    const strings = off + u16(buf, off + 4);
    for (let j = 0; j < count; j++) {
      const r = off + 6 + j * 12;
      const [platform, , , nameId, length, offset] = [u16(buf, r), u16(buf, r + 2), u16(buf, r + 4), u16(buf, r + 6), u16(buf, r + 8), u16(buf, r + 10)];
      if (nameId !== 6) continue;
      const raw = buf.subarray(strings + offset, strings + offset + length);
      return platform === 3 || platform === 0 ? Buffer.from(raw).swap16().toString('utf16le') : raw.toString('latin1');
    }
  }
  return undefined;
}

/** The standalone font (sfnt) at table directory `dir` of a collection. */
function extractFace(buf: Buffer, dir: number): Buffer {
  const numTables = u16(buf, dir + 4);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const rec = dir + 12 + i * 16;
    return { tag: buf.subarray(rec, rec + 4), checksum: u32(buf, rec + 4), offset: u32(buf, rec + 8), length: u32(buf, rec + 12) };
  });
  const headerLength = 12 + numTables * 16;
  let size = headerLength;
  for (const t of tables) size += Math.ceil(t.length / 4) * 4;
  const out = Buffer.alloc(size);
  buf.copy(out, 0, dir, dir + 12);
  let pos = headerLength;
  tables.forEach((t, i) => {
    const rec = 12 + i * 16;
    t.tag.copy(out, rec);
    out.writeUInt32BE(t.checksum, rec + 4);
    out.writeUInt32BE(pos, rec + 8);
    out.writeUInt32BE(t.length, rec + 12);
    buf.copy(out, pos, t.offset, t.offset + t.length);
    pos += Math.ceil(t.length / 4) * 4;
  });
  return out;
}

/** A single-face font from a TTF/OTF file or a face of a TTC file. */
export function loadFontFace(path: string, face?: string): Buffer | undefined {
  if (!fs.existsSync(path)) return undefined;
  const buf = fs.readFileSync(path);
  if (buf.toString('latin1', 0, 4) !== 'ttcf') return buf;
  const count = u32(buf, 8);
  const dirs = Array.from({ length: count }, (_, i) => u32(buf, 12 + i * 4));
  const dir = (face ? dirs.find((d) => postscriptName(buf, d) === face) : undefined) ?? dirs[0];
  return dir === undefined ? undefined : extractFace(buf, dir);
}

export interface CjkFont {
  bytes: Buffer;
  /** The file (and face) it was read from, e.g. /usr/share/fonts/…/wqy-microhei.ttc#WenQuanYiMicroHei. */
  source: string;
  /** Whether to embed a subset (TrueType outlines) or the whole font (CFF). */
  subset: boolean;
}

/** Each candidate once read (a CJK face is several MB): the font, or null when absent or unreadable. */
const loaded = new Map<number, CjkFont | null>();

function candidate(i: number): CjkFont | null {
  let font = loaded.get(i);
  if (font !== undefined) return font;
  font = null;
  const c = CJK_FONT_CANDIDATES[i]!;
  try {
    const bytes = loadFontFace(c.path, c.face);
    if (bytes) font = { bytes, source: `${c.path}${c.face ? `#${c.face}` : ''}`, subset: !c.cff };
  } catch { /* not a font we can read: the next candidate */ }
  loaded.set(i, font);
  return font;
}

/**
 * The installed candidates in order, each read only when the iteration reaches it (and kept
 * for the process): the first is the font a PDF is written in, the others are read only for a
 * character the ones before it do not cover.
 */
export function* cjkFonts(): Generator<CjkFont> {
  for (let i = 0; i < CJK_FONT_CANDIDATES.length; i++) {
    const font = candidate(i);
    if (font) yield font;
  }
}

/** The first available CJK font (kept for the process), or null. */
export function findCjkFont(): CjkFont | null {
  for (const font of cjkFonts()) return font;
  return null;
}
