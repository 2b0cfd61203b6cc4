/**
 * The printed 告知承诺书 (PDF) says what the applicant signed, in Beijing time: a commitment signed
 * at 07:30 on 1 October in Beijing (23:30 UTC the day before) is printed as signed on 1 October,
 * the date its 日期 line names — not as a UTC instant of the day before.
 *
 * A name is printed whole: a rare character (生僻字) the first font lacks — 𠮷, U+20BB7, CJK
 * Extension B — is drawn with the glyph of an installed font that has it, embedded only in that
 * document; a character no installed font has is printed as □ and named on the page.
 */
import fontkit, { type Font } from '@pdf-lib/fontkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cjkFonts, findCjkFont } from '../../src/commitments/adapters/cjk-font.ts';
import { renderCommitmentPdf } from '../../src/commitments/adapters/commitment-pdf.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call, fileApplication, material, scriptPorts } from '../applications/helpers.ts';
import { embeddedFonts, fontProgram, pdfRuns, pdfText, runLines } from './pdf-text.ts';

/** The installed candidate fonts, parsed here (not through the code under test). */
const installed: { source: string; font: Font }[] = [...cjkFonts()].map((f) => ({ source: f.source, font: fontkit.create(f.bytes) }));
const fontsWith = (cp: number) => installed.filter((f) => f.font.hasGlyphForCodePoint(cp));
const RARE = 0x20bb7; // 𠮷
/** A character no installed font has (CJK Extension G, Extension B's last, a private-use one), if there is one. */
const UNCOVERED = [0x30000, 0x2a6d6, 0x10fffd].find((cp) => fontsWith(cp).length === 0);

const clock = new Date('2025-09-30T23:30:00Z');
let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform({ now: () => clock });
  scriptPorts(p);
});
afterAll(async () => { await p?.close(); });

describe('the commitment PDF', () => {
  it('prints the signing time in Beijing time, on the date the text names', async () => {
    const app = await fileApplication(p, 'citizen', '340500-JHDJ');
    const c = material(app, 'hyzk').resolution.commitment!;
    const signed = await call(p, 'citizen', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true });
    expect(signed.statusCode, signed.body).toBe(200);
    const res = await call(p, 'citizen', 'GET', `/api/v1/commitments/${c.id}/pdf`);
    expect(res.statusCode).toBe(200);
    const lines = await pdfText(res.rawPayload);
    expect(lines).toContain('日期：2025-10-01');
    const status = lines.find((l) => l.startsWith('签署状态：'));
    expect(status).toBe('签署状态：已由承诺人本人电子签署（本人账号签署），签署时间 2025-10-01 07:30:00（北京时间）');
  });
});

describe('the characters of the commitment PDF', () => {
  it('an ordinary commitment embeds the first font alone, every character with a glyph of its own', async () => {
    const app = await fileApplication(p, 'citizen', '340500-JHDJ');
    const c = material(app, 'hyzk').resolution.commitment!;
    const res = await call(p, 'citizen', 'GET', `/api/v1/commitments/${c.id}/pdf`);
    expect(res.statusCode).toBe(200);
    const { doc, runs } = await pdfRuns(res.rawPayload);
    expect(runLines(runs)).toContain(`承诺人：${app.applicant.name}`);
    expect(runs.flatMap((r) => r.codes)).not.toContain(0);
    expect(runs.map((r) => r.text).join('')).not.toContain('\uFFFD');
    expect(embeddedFonts(doc)).toHaveLength(1);
    // the first font a subset (TrueType outlines): tens of KB, no fallback font carried along
    if (findCjkFont()!.subset) expect(res.rawPayload.length).toBeLessThan(200_000);
  });

  it.skipIf(fontsWith(RARE).length === 0)('a name with 𠮷 (U+20BB7) is printed whole, with the glyph of an installed font that has it', { timeout: 120_000 }, async () => {
    const check = await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '王𠮷', code: '11010519491231002X', documentInspected: true });
    expect(check.statusCode, check.body).toBe(201);
    const app = await fileApplication(p, 'agent', '340500-JHDJ', { identityCheckId: check.json().id });
    const c = material(app, 'hyzk').resolution.commitment!;
    const expected = fontsWith(RARE)[0]!.font.glyphForCodePoint(RARE);
    const primaryHasIt = installed[0]!.font.hasGlyphForCodePoint(RARE);
    // twice: the second document is made from the fallback font's parts kept for the process
    for (let round = 0; round < 2; round++) {
      const res = await call(p, 'agent', 'GET', `/api/v1/commitments/${c.id}/pdf`);
      expect(res.statusCode).toBe(200);
      const { doc, runs } = await pdfRuns(res.rawPayload);
      const lines = runLines(runs);
      expect(lines).toContain('承诺人：王𠮷');
      expect(lines.some((l) => l.startsWith('申请人：王𠮷（证件号码：'))).toBe(true);
      expect(runs.flatMap((r) => r.codes)).not.toContain(0);
      const rare = runs.filter((r) => r.text.includes('𠮷'));
      expect(rare).toHaveLength(2);
      for (const r of rare) {
        if (!primaryHasIt) expect([r.text, r.codes.length]).toEqual(['𠮷', 1]);
        const drawn = fontProgram(doc, r.font).getGlyph(r.codes[[...r.text].indexOf('𠮷')]!);
        expect(drawn.path.toSVG()).not.toBe('');
        expect(drawn.path.toSVG()).toBe(expected.path.toSVG());
      }
      // the rest is in the first font; the fallback is embedded for this document only
      const first = runs[0]!.font;
      expect(runs.filter((r) => !r.text.includes('𠮷')).every((r) => r.font === first)).toBe(true);
      expect(embeddedFonts(doc)).toHaveLength(primaryHasIt ? 1 : 2);
    }
  });

  it.skipIf(UNCOVERED === undefined)('a character no installed font has is printed as □ and named on the page, not left out', async () => {
    const ch = String.fromCodePoint(UNCOVERED!);
    const label = `U+${UNCOVERED!.toString(16).toUpperCase()}`;
    const pdf = await renderCommitmentPdf({ text: `证明事项告知承诺书\n\n申请人：李${ch}\n承诺人：李${ch}\n日期：2025-10-01`, textDigest: '0'.repeat(64), status: 'pending_signature', signedAt: null, signedVia: null, seal: null });
    expect(pdf.missing).toEqual([label]);
    const { runs } = await pdfRuns(pdf.bytes);
    const lines = runLines(runs);
    expect(lines).toContain('承诺人：李□');
    expect(lines.some((l) => l.includes(label) && l.includes('□'))).toBe(true);
    expect(runs.flatMap((r) => r.codes)).not.toContain(0);
    const ordinary = await renderCommitmentPdf({ text: '证明事项告知承诺书\n\n承诺人：李四\n日期：2025-10-01', textDigest: '0'.repeat(64), status: 'pending_signature', signedAt: null, signedVia: null, seal: null });
    expect(ordinary.missing).toEqual([]);
    expect((await pdfText(ordinary.bytes)).some((l) => l.includes('□'))).toBe(false);
  });
});
