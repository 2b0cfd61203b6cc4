/**
 * HTTP adapter: the department's existing system answers JSON over HTTP (GET baseUrl +
 * path, parameters percent-encoded into the path). 404 means no record; any other
 * failure is a source error. The backend may state how current its data is in an
 * `x-data-as-of` header; otherwise the answer counts as current now.
 */
import http from 'node:http';
import https from 'node:https';
import type { ItemBinding, SourceConfig } from '../node/config.ts';
import { SourceError, type DataSource, type Row } from './source.ts';

function dig(value: unknown, dotted: string | undefined): unknown {
  if (!dotted) return value;
  let v = value;
  for (const part of dotted.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

export function openHttpSource(config: Extract<SourceConfig, { type: 'http' }>): DataSource {
  const agentOptions = { keepAlive: true, maxSockets: 16 };
  const agent = config.baseUrl.startsWith('https:') ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const timeoutMs = config.timeoutMs ?? 3000;

  function get(url: string): Promise<{ status: number; body: string; asOf?: string }> {
    const lib = url.startsWith('https:') ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.get(url, { agent, headers: { accept: 'application/json', ...(config.headers ?? {}) }, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > 4 * 1024 * 1024) req.destroy(new Error('backend answer too large'));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), asOf: res.headers['x-data-as-of'] as string | undefined }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`backend did not answer within ${timeoutMs} ms`)));
      req.on('error', reject);
    });
  }

  return {
    kind: 'http',
    async fetch(binding: ItemBinding, params, now) {
      const path = binding.path!.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name] ?? '')));
      let res;
      try {
        res = await get(config.baseUrl + path);
      } catch (e) {
        throw new SourceError(`backend unreachable: ${(e as Error).message}`, e);
      }
      if (res.status === 404) return { rows: [], snapshotAt: parseAsOf(res.asOf) ?? now };
      if (res.status < 200 || res.status >= 300) throw new SourceError(`backend answered HTTP ${res.status}`);
      let json: unknown;
      try {
        json = JSON.parse(res.body);
      } catch {
        throw new SourceError('backend answer is not JSON');
      }
      const found = dig(json, binding.rowsPath);
      const rows: Row[] = Array.isArray(found) ? (found.filter((r) => r && typeof r === 'object') as Row[]) : found && typeof found === 'object' ? [found as Row] : [];
      return { rows, snapshotAt: parseAsOf(res.asOf) ?? now };
    },
    close: async () => agent.destroy(),
  };
}

function parseAsOf(v: string | undefined): Date | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
