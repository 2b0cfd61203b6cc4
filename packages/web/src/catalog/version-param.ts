import { useSearchParams } from 'react-router-dom';

/** The `?version=n` a public page is pinned to, if any. */
export function useVersionParam(): number | undefined {
  const [params] = useSearchParams();
  const raw = params.get('version');
  const n = raw ? Number(raw) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function withVersion(path: string, version: number | undefined): string {
  return version ? `${path}?version=${version}` : path;
}
