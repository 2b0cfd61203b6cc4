import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type fontkit from '@pdf-lib/fontkit';
import type { Font } from '@pdf-lib/fontkit';
import type { Color, PDFContext, PDFDocument, PDFFont, PDFPage, PDFRawStream, PDFRef } from 'pdf-lib';
import { cjkFonts, type CjkFont } from './cjk-font.ts';

/** What is drawn for a character no installed font has: the 缺字 mark of Chinese typesetting. */
export const MISSING_MARK = '□';
const MISSING_MARK_CP = MISSING_MARK.codePointAt(0)!;

/** Each font parsed once for the process (keyed by the font's bytes, which cjk-font.ts keeps): parsing a CJK face takes over a second, subsetting it a few ms. */
const parsed = new WeakMap<Uint8Array, Font>();

/** fontkit keeping each parsed font; pdf-lib parses the fonts it embeds through it. */
function cachingFontkit(kit: typeof fontkit): typeof fontkit {
  return {
    create(data: Uint8Array, postscriptName?: string) {
      let font = parsed.get(data);
      if (!font) { font = kit.create(data, postscriptName); parsed.set(data, font); }
      return font;
    },
  } as unknown as typeof fontkit;
}

/** The parts of pdf-lib's (1.17) CustomFontEmbedder that embed a whole font. */
interface WholeFontEmbedder {
  isCFF(): boolean;
  computeWidths(): unknown[];
  embedUnicodeCmap(context: PDFContext): PDFRef;
  embedFontStream(context: PDFContext): Promise<PDFRef>;
}

function isWholeFontEmbedder(e: Partial<WholeFontEmbedder> | undefined): e is WholeFontEmbedder {
  return !!e && [e.isCFF, e.computeWidths, e.embedUnicodeCmap, e.embedFontStream].every((f) => typeof f === 'function');
}

/** Per whole-embedded font (keyed by its bytes): the compressed font program, the widths of all its glyphs and its compressed ToUnicode map. */
const wholeParts = new WeakMap<Uint8Array, { program?: Promise<Uint8Array>; widths?: unknown[]; toUnicode?: Uint8Array }>();
const deflate = promisify(zlib.deflate);

/**
 * A font embedded whole (CFF outlines, which @pdf-lib/fontkit cannot subset): what pdf-lib
 * writes for it does not depend on the document — every glyph's width and Unicode, the font
 * program — yet it computes all of it again for each document, and compresses the ~16 MB
 * program on the event loop (seconds). Here each part is made once for the process (the
 * program compressed by zlib off the event loop), and each document gets the same objects.
 */
async function embedWhole(pdf: PDFDocument, bytes: Uint8Array): Promise<PDFFont> {
  const font = await pdf.embedFont(bytes, { subset: false });
  const embedder = (font as unknown as { embedder?: Partial<WholeFontEmbedder> }).embedder;
  if (!isWholeFontEmbedder(embedder)) return font; // another pdf-lib: embedded as it does it, each document anew
  let parts = wholeParts.get(bytes);
  if (!parts) { parts = {}; wholeParts.set(bytes, parts); }
  const cache = parts;
  const computeWidths = embedder.computeWidths.bind(embedder);
  const embedUnicodeCmap = embedder.embedUnicodeCmap.bind(embedder);
  embedder.computeWidths = () => (cache.widths ??= computeWidths());
  embedder.embedUnicodeCmap = (context) => {
    if (cache.toUnicode) return context.register(context.stream(cache.toUnicode, { Filter: 'FlateDecode' }));
    const ref = embedUnicodeCmap(context);
    cache.toUnicode = (context.lookup(ref) as PDFRawStream).contents;
    return ref;
  };
  embedder.embedFontStream = async (context) => {
    cache.program ??= deflate(bytes).catch((e: unknown) => { cache.program = undefined; throw e; });
    return context.register(context.stream(await cache.program, { Subtype: embedder.isCFF() ? 'CIDFontType0C' : undefined, Filter: 'FlateDecode' }));
  };
  return font;
}

/** U+20BB7 for 𠮷. */
export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A variation selector (VS1–16, VS17–256) belongs to the character before it: the font of that character draws the pair. */
function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/** One character of a line (with the variation selector following it) and the font that draws it. */
export interface Piece { text: string; font: PDFFont }

/**
 * Chinese text in a pdf-lib document with a font per character: the first installed CJK font
 * (cjk-font.ts) draws what it has; a character it lacks — a rare character of a name (生僻字)
 * such as 𠮷 (U+20BB7, CJK Extension B) — is drawn with the next candidate that has it. A
 * fallback font is read, parsed and embedded only when a document needs it, so a document
 * without such characters embeds the first font alone. A character no installed font has is
 * drawn as □ and listed in `missing`, never left out.
 */
export class CjkTextSetter {
  /** Code points no installed font has, each drawn as □, in the order first met. */
  readonly missing = new Set<number>();
  /** The fonts of the chain read so far, in order; `pdfFont` once embedded in this document. */
  private readonly fonts: { source: CjkFont; parsed: Font; pdfFont?: PDFFont }[];
  private readonly fontOf = new Map<number, PDFFont | null>();
  private readonly widths = new Map<PDFFont, Map<string, number>>();
  private readonly pageFont = new WeakMap<PDFPage, PDFFont>();

  private constructor(
    private readonly pdf: PDFDocument,
    private readonly kit: typeof fontkit,
    private readonly chain: Iterator<CjkFont>,
    first: { source: CjkFont; parsed: Font; pdfFont: PDFFont },
  ) {
    this.fonts = [first];
  }

  /** The setter with the first installed CJK font embedded, or null when no CJK font is installed. */
  static async create(pdf: PDFDocument, kit: typeof fontkit): Promise<CjkTextSetter | null> {
    const caching = cachingFontkit(kit);
    pdf.registerFontkit(caching);
    const chain = cjkFonts();
    const first = chain.next();
    if (first.done) return null;
    const pdfFont = first.value.subset ? await pdf.embedFont(first.value.bytes, { subset: true }) : await embedWhole(pdf, first.value.bytes);
    return new CjkTextSetter(pdf, caching, chain, { source: first.value, parsed: caching.create(first.value.bytes), pdfFont });
  }

  /** The font drawing `cp`: the first font of the chain that has it, embedded on first use; null when none has it. */
  private async fontFor(cp: number): Promise<PDFFont | null> {
    const known = this.fontOf.get(cp);
    if (known !== undefined) return known;
    let found: PDFFont | null = null;
    for (let i = 0; ; i++) {
      if (i === this.fonts.length) {
        const next = this.chain.next();
        if (next.done) break;
        this.fonts.push({ source: next.value, parsed: this.kit.create(next.value.bytes) });
      }
      const f = this.fonts[i]!;
      if (!f.parsed.hasGlyphForCodePoint(cp)) continue;
      f.pdfFont ??= f.source.subset ? await this.pdf.embedFont(f.source.bytes, { subset: true }) : await embedWhole(this.pdf, f.source.bytes);
      found = f.pdfFont;
      break;
    }
    this.fontOf.set(cp, found);
    return found;
  }

  /** Finds (and embeds) the fonts for every character of `text`; call it with all the text before `pieces`. */
  async prepare(text: string): Promise<void> {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (ch === '\n' || isVariationSelector(cp) || this.fontOf.has(cp)) continue;
      if (await this.fontFor(cp)) continue;
      this.missing.add(cp);
      await this.fontFor(MISSING_MARK_CP);
    }
  }

  /** `line` as pieces, each with its font; a character no font has becomes □ (in the first font, as its .notdef box, if no font has □ either). */
  pieces(line: string): Piece[] {
    const out: Piece[] = [];
    for (const ch of line) {
      const cp = ch.codePointAt(0)!;
      const last = out[out.length - 1];
      if (isVariationSelector(cp) && last) { last.text += ch; continue; }
      const font = this.fontOf.get(cp);
      if (font === undefined) throw new Error(`CjkTextSetter: ${codePointLabel(cp)} was not prepared`);
      out.push(font ? { text: ch, font } : { text: MISSING_MARK, font: this.fontOf.get(MISSING_MARK_CP) ?? this.fonts[0]!.pdfFont! });
    }
    return out;
  }

  /** The advance of one piece at `size` (kept per font and text: a document repeats its characters). */
  width(piece: Piece, size: number): number {
    let byText = this.widths.get(piece.font);
    if (!byText) { byText = new Map(); this.widths.set(piece.font, byText); }
    let w = byText.get(piece.text);
    if (w === undefined) { w = piece.font.widthOfTextAtSize(piece.text, 1); byText.set(piece.text, w); }
    return w * size;
  }

  /** The pieces as runs of one font each, with the run's advance at `size`. */
  private runs(pieces: readonly Piece[], size: number): { text: string; font: PDFFont; width: number }[] {
    const runs: { text: string; font: PDFFont }[] = [];
    for (const p of pieces) {
      const last = runs[runs.length - 1];
      if (last && last.font === p.font) last.text += p.text; else runs.push({ text: p.text, font: p.font });
    }
    return runs.map((r) => ({ ...r, width: r.font.widthOfTextAtSize(r.text, size) }));
  }

  /** The advance of a line of pieces at `size`. */
  lineWidth(pieces: readonly Piece[], size: number): number {
    return this.runs(pieces, size).reduce((w, r) => w + r.width, 0);
  }

  /** Draws a line of pieces from (x, y), one text run per font (the page's font is set only when it changes: each setting adds a resource entry). */
  draw(page: PDFPage, pieces: readonly Piece[], at: { x: number; y: number; size: number; color: Color }): void {
    let x = at.x;
    for (const run of this.runs(pieces, at.size)) {
      if (this.pageFont.get(page) !== run.font) { page.setFont(run.font); this.pageFont.set(page, run.font); }
      page.drawText(run.text, { x, y: at.y, size: at.size, color: at.color });
      x += run.width;
    }
  }
}
