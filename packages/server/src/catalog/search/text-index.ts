/**
 * In-memory Chinese text index over one published catalog version (immutable, so the
 * index never needs updating — a new version gets a new index).
 *
 * Chinese has no spaces, so documents are indexed by character bigrams (and single
 * characters): any partial word of two or more characters is found by intersecting
 * the posting lists of its bigrams and confirming the substring. Terms separated by
 * spaces must all match (in the name, or in the department and region text), e.g.
 * "马鞍山 户籍". Ranking: exact name, then name prefix, then name contains, then
 * matches in the other text; shorter names first among equals.
 *
 * Chosen over pg_trgm and MiniSearch+jieba after measuring (see bench/catalog.ts and
 * the README): trigram GIN on PGlite costs ~2 ms per query before the round trip, and
 * jieba's dictionary splits "无犯罪" differently from how people type partial words.
 */
export interface IndexedDoc {
  /** Position of the document in the caller's array. */
  ref: number;
  name: string;
  /** Department, region and other searchable context. */
  context: string;
}

export function normaliseQuery(q: string): string[] {
  return q.normalize('NFKC').toLowerCase().split(/[\s,，、;；]+/u).map((t) => t.trim()).filter(Boolean).slice(0, 8);
}

function grams(text: string): Set<string> {
  const chars = Array.from(text);
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    out.add(chars[i]!);
    if (i + 1 < chars.length) out.add(chars[i]! + chars[i + 1]!);
  }
  return out;
}

export class TextIndex {
  readonly #names: string[] = [];
  readonly #full: string[] = [];
  readonly #postings = new Map<string, number[]>();

  constructor(docs: readonly IndexedDoc[]) {
    for (const d of docs) {
      const name = d.name.normalize('NFKC').toLowerCase();
      const full = `${name}\u0000${d.context.normalize('NFKC').toLowerCase()}`;
      this.#names[d.ref] = name;
      this.#full[d.ref] = full;
      for (const g of grams(full)) {
        let list = this.#postings.get(g);
        if (!list) this.#postings.set(g, (list = []));
        list.push(d.ref);
      }
    }
  }

  /** Candidates containing every term, scored; `accept` filters (region, department …) before scoring. */
  search(terms: readonly string[], accept: (ref: number) => boolean = () => true): { ref: number; score: number }[] {
    if (terms.length === 0) return [];
    let candidates: number[] | undefined;
    for (const term of terms) {
      const list = this.#candidatesFor(term);
      candidates = candidates === undefined ? list : intersectSorted(candidates, list);
      if (candidates.length === 0) return [];
    }
    const out: { ref: number; score: number }[] = [];
    for (const ref of candidates!) {
      if (!accept(ref)) continue;
      const name = this.#names[ref]!;
      const full = this.#full[ref]!;
      let score = 0;
      let ok = true;
      for (const term of terms) {
        if (name === term) score += 1000;
        else if (name.startsWith(term)) score += 400;
        else if (name.includes(term)) score += 200;
        else if (full.includes(term)) score += 20;
        else { ok = false; break; }
      }
      if (ok) out.push({ ref, score: score - name.length });
    }
    return out.sort((a, b) => b.score - a.score || a.ref - b.ref);
  }

  #candidatesFor(term: string): number[] {
    const chars = Array.from(term);
    if (chars.length === 1) return this.#postings.get(chars[0]!) ?? [];
    let best: number[] | undefined;
    const lists: number[][] = [];
    for (let i = 0; i + 1 < chars.length; i++) {
      const list = this.#postings.get(chars[i]! + chars[i + 1]!);
      if (!list) return [];
      lists.push(list);
    }
    lists.sort((a, b) => a.length - b.length);
    for (const l of lists) best = best === undefined ? l : intersectSorted(best, l);
    return best ?? [];
  }
}

function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) { out.push(x); i++; j++; } else if (x < y) i++; else j++;
  }
  return out;
}
