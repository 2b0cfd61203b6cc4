/**
 * HTTP adapter: the department's existing system answers JSON over HTTP (GET baseUrl +
 * path, parameters percent-encoded into the path). The backend may state how current its
 * data is in an `x-data-as-of` header; otherwise the answer counts as current now.
 *
 * "No record" is the source's `noRecord` marker: an answer with its status (default 404)
 * whose JSON body holds every member of the marker with exactly its value. Any other 404 —
 * a misspelt path, a route an upgrade removed, a proxy's error page — is a source error
 * (source_unavailable), never "no record": with a fixed whenMissing answer (无房: owns no
 * property) it would otherwise sign a wrong answer for everyone. Without a marker every 404
 * is a source error too (a wrong "no record" is worse than none: the consumer falls back to
 * asking the department); such a backend can still say "no record" with a 200 whose rowsPath
 * is null or an empty list. The node warns at start (config.ts nodeConfigWarnings). Any other
 * failure is a source error.
 *
 * The answer is checked here, at the edge, as the SQL and file adapters check their columns:
 * `rowsPath` must lead to a row, a list of rows or null (no rows) — a member along it that is
 * null (`{"data": null}` for `data.rows`) does not: the path breaks off there, as when a member
 * is absent, and a backend's error answer (`{"code": 500, "data": null}`) must not read as
 * "no record"; a backend that does say "no record" so names it in noRecord
 * (`{ "status": 200, "body": { "code": 0, "data": null } }`). Every column the item reads
 * must be a member of every row — absent reads as null only for the columns the item lists in
 * `absentAsNull` — and hold a value (string, number, boolean or null), not an object or list.
 * Anything else is a source error (source_unavailable), never an answer: a misspelt column
 * would otherwise read as empty, "no" for everyone.
 */
import http from 'node:http';
import https from 'node:https';
import type { ItemBinding, NoRecordMarker, SourceConfig } from '../node/config.ts';
import { answerColumns, SourceError, type DataSource, type Row } from './source.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The member at a dotted path (own members only), or undefined when one along it is absent. */
function dig(value: unknown, dotted: string | undefined): unknown {
  if (!dotted) return value;
  let v = value;
  for (const part of dotted.split('.')) v = isRecord(v) && Object.hasOwn(v, part) ? v[part] : undefined;
  return v;
}

/** Where a dotted path breaks off in a value: the first member along it that is absent, or null before the end. */
function breakOff(value: unknown, dotted: string): string {
  const parts = dotted.split('.');
  let v = value;
  for (let i = 0; i < parts.length; i++) {
    const at = parts.slice(0, i + 1).join('.');
    if (!isRecord(v) || !Object.hasOwn(v, parts[i]!)) return `has no member ${at}`;
    v = v[parts[i]!];
    if (v === null && i < parts.length - 1) return `has ${at}: null, so no member ${dotted}`;
  }
  return `has no member ${dotted}`;
}

/**
 * Why an answer body is not the backend's no-record answer, or undefined when it is: valid
 * JSON holding every member of the marker with exactly its value (`0` is not `"0"`). The
 * reason names members, never the backend's values (they may echo a subject's data).
 */
function noRecordMismatch(body: string, marker: NoRecordMarker): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  for (const [member, value] of Object.entries(marker.body)) {
    const v = dig(json, member);
    if (v === undefined) return `the body has no member ${member}`;
    if (v !== value) return `the body's ${member} is not ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** The rows of a backend answer, reduced to the columns the item reads; throws a SourceError for anything unusable. */
export function backendRows(json: unknown, binding: ItemBinding): Row[] {
  const found = dig(json, binding.rowsPath);
  // a null along the path is not the null at its end: like an absent member, it is not "no record"
  if (found === undefined) throw new SourceError(`backend answer ${breakOff(json, binding.rowsPath!)} (a member along rowsPath that is null is not "no record" — if that is how the backend says so, name it in the source's noRecord, e.g. { "status": 200, "body": { "data": null } })`);
  if (found === null) return [];
  const list = Array.isArray(found) ? found : isRecord(found) ? [found] : undefined;
  if (!list) throw new SourceError(`backend answer${binding.rowsPath ? ` member ${binding.rowsPath}` : ''} is neither a row nor a list of rows`);
  const columns = answerColumns(binding);
  const absentAsNull = binding.absentAsNull ?? [];
  return list.map((row: unknown, i) => {
    if (!isRecord(row)) throw new SourceError(`backend row ${i} is not an object`);
    const out: Row = {};
    for (const c of columns) {
      if (!Object.hasOwn(row, c)) {
        if (!absentAsNull.includes(c)) throw new SourceError(`backend row ${i} has no member "${c}" (list it in absentAsNull if the backend leaves it out when null)`);
        out[c] = null;
        continue;
      }
      const v = row[c];
      if (typeof v === 'object' && v !== null) throw new SourceError(`backend row ${i} member "${c}" is ${Array.isArray(v) ? 'a list' : 'an object'}, not a value`);
      out[c] = v;
    }
    return out;
  });
}

export function openHttpSource(config: Extract<SourceConfig, { type: 'http' }>): DataSource {
  const agentOptions = { keepAlive: true, maxSockets: 16 };
  const agent = config.baseUrl.startsWith('https:') ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const timeoutMs = config.timeoutMs ?? 3000;

  function get(url: string): Promise<{ status: number; body: string; asOf?: string }> {
    const lib = url.startsWith('https:') ? https : http;
    return new Promise((resolve, reject) => {
      // timeoutMs bounds the whole answer — waiting for a socket, the headers and every byte of the
      // body —, not only the silence between two packets: a backend trickling its answer must not
      // hold the node's request (and one of the source's sockets) for as long as it likes
      const deadline = setTimeout(() => req.destroy(new Error(`backend did not answer within ${timeoutMs} ms`)), timeoutMs);
      const settle = <T>(fn: (v: T) => void) => (v: T) => {
        clearTimeout(deadline);
        fn(v);
      };
      const req = lib.get(url, { agent, headers: { accept: 'application/json', ...(config.headers ?? {}) } }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > 4 * 1024 * 1024) req.destroy(new Error('backend answer too large'));
          else chunks.push(c);
        });
        res.on('end', settle(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), asOf: res.headers['x-data-as-of'] as string | undefined })));
        res.on('error', settle(reject));
      });
      req.on('error', settle((e: Error) => reject(Object.assign(e, { reusedSocket: req.reusedSocket }))));
    });
  }

  /**
   * A GET, sent once more when it failed on a kept-alive connection before any answer: the
   * backend may close an idle connection just as a request goes out on it (its keep-alive
   * timeout), which is no fault of the backend's and no reason to tell the platform it is down.
   * The query is a read, so sending it again is safe (Node's documented remedy, req.reusedSocket).
   */
  async function getOnce(url: string): Promise<{ status: number; body: string; asOf?: string }> {
    try {
      return await get(url);
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { reusedSocket?: boolean };
      if (err.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.message === 'socket hang up')) return get(url);
      throw e;
    }
  }

  return {
    kind: 'http',
    async fetch(binding: ItemBinding, params, now) {
      const path = binding.path!.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name] ?? '')));
      let res;
      try {
        res = await getOnce(config.baseUrl + path);
      } catch (e) {
        throw new SourceError(`backend unreachable: ${(e as Error).message}`, e);
      }
      const snapshotAt = parseAsOf(res.asOf) ?? now;
      // the configured path template, not the request: the parameters (identity numbers) stay out of the log
      const where = `GET ${binding.path!}`;
      const marker = config.noRecord;
      if (!marker) {
        // without a marker nothing tells "no such record" from "no such path": not "no record"
        if (res.status === 404) throw new SourceError(`backend answered HTTP 404 to ${where}, and the source has no noRecord to tell "no such record" from a wrong path or a route the backend does not have: not "no record"`);
      } else if (res.status === marker.status) {
        const mismatch = noRecordMismatch(res.body, marker);
        if (mismatch === undefined) return { rows: [], snapshotAt };
        // a 2xx without the marker is an ordinary answer (below); anything else is not "no record"
        if (res.status < 200 || res.status >= 300) throw new SourceError(`backend answered HTTP ${res.status} to ${where} without the no-record marker (${mismatch}): a wrong path or a route the backend does not have, not "no record"`);
      } else if (res.status === 404) {
        throw new SourceError(`backend answered HTTP 404 to ${where}, and its no-record answer is HTTP ${marker.status}: a wrong path or a route the backend does not have, not "no record"`);
      }
      if (res.status < 200 || res.status >= 300) throw new SourceError(`backend answered HTTP ${res.status} to ${where}`);
      let json: unknown;
      try {
        json = JSON.parse(res.body);
      } catch {
        throw new SourceError('backend answer is not JSON');
      }
      return { rows: backendRows(json, binding), snapshotAt };
    },
    close: async () => agent.destroy(),
  };
}

function parseAsOf(v: string | undefined): Date | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
