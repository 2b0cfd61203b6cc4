import { useSearchParams } from 'react-router-dom';
import { defaultPair } from './version-compare';
import type { CatalogVersion } from './types';

/** from/to kept in the URL (?from=&to=), defaulting to the two newest versions. */
export function useCompareParams(versions: CatalogVersion[] | undefined) {
  const [params, setParams] = useSearchParams();
  const parse = (key: string) => {
    const n = Number(params.get(key));
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const fallback = versions ? defaultPair(versions) : undefined;
  const from = parse('from') ?? fallback?.[0];
  const to = parse('to') ?? fallback?.[1];
  const setPair = (nextFrom: number, nextTo: number) => {
    const next = new URLSearchParams(params);
    next.set('from', String(nextFrom));
    next.set('to', String(nextTo));
    setParams(next, { replace: true });
  };
  return { from, to, setPair };
}
