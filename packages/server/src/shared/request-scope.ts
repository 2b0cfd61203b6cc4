/**
 * Values remembered for the length of one HTTP request (AsyncLocalStorage, entered by an
 * onRequest hook in app.ts). A submission reads the applicant's credit situation when it
 * creates the application, when it resolves the materials and when it builds the answer:
 * within one request those are the same fact, read once. Writers that change such a fact
 * in the request call forgetInRequest(). Outside a request (scripts, seeds, tests calling
 * use cases directly) nothing is remembered.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/** Runs `fn` (the rest of the request) inside a fresh request scope. */
export function runInRequestScope(fn: () => void): void {
  scope.run(new Map(), fn);
}

export function memoInRequest<T>(key: string, load: () => Promise<T>): Promise<T> {
  const memo = scope.getStore();
  if (!memo) return load();
  const hit = memo.get(key);
  if (hit) return hit as Promise<T>;
  const value = load();
  memo.set(key, value);
  value.catch(() => memo.delete(key));
  return value;
}

export function forgetInRequest(prefix: string): void {
  const memo = scope.getStore();
  if (!memo) return;
  for (const k of [...memo.keys()]) if (k.startsWith(prefix)) memo.delete(k);
}
