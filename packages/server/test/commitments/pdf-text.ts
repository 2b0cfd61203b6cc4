import zlib from 'node:zlib';
/** The text lines drawn in a PDF made by pdf-lib with an embedded font: each Tj string decoded through the font's ToUnicode map. */
export function pdfText(pdf: Uint8Array): string[] {
  const buf = Buffer.from(pdf);
  const s = buf.toString('latin1');
  const streams: string[] = [];
  const re = /(?<!end)stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const start = m.index + m[0].length;
    const end = s.indexOf('endstream', start);
    try { streams.push(zlib.inflateSync(buf.subarray(start, end)).toString('latin1')); } catch { streams.push(buf.subarray(start, end).toString('latin1')); }
    re.lastIndex = end + 9;
  }
  const map = new Map<string, string>();
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  for (const st of streams) {
    for (const b of st.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) for (const e of b[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(e[1]!.toUpperCase(), utf16(e[2]!));
    for (const b of st.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const e of b[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
        const lo = parseInt(e[1]!, 16); const hi = parseInt(e[2]!, 16); const base = parseInt(e[3]!, 16);
        for (let c = lo; c <= hi; c++) map.set(c.toString(16).toUpperCase().padStart(4, '0'), String.fromCodePoint(base + c - lo));
      }
    }
  }
  const lines: string[] = [];
  for (const st of streams) for (const t of st.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) lines.push((t[1]!.match(/.{4}/g) ?? []).map((g) => map.get(g.toUpperCase()) ?? '\uFFFD').join(''));
  return lines;
}
