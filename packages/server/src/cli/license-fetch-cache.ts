import fs from 'node:fs';
import path from 'node:path';
import type { KeyCache, StatusCache } from '../licenses/use-cases/verify-license-offline.ts';
import { parseArgs, type CliCommand } from './command.ts';

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** `mianzheng license fetch-cache`: downloads every issuer's public keys and signed status list for offline verification. */
export const command: CliCommand = {
  name: 'license fetch-cache',
  summary: 'Download issuer public keys and status lists from a platform into a cache directory',
  usage: 'license fetch-cache [--url http://127.0.0.1:8080] [--out ./mianzheng-cache]',
  async run(args, io) {
    const { values } = parseArgs(args, { values: ['url', 'out'] });
    const base = (values.url ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
    const out = values.out ?? 'mianzheng-cache';
    const fetchedAt = new Date().toISOString();
    const { items } = await getJson<{ items: { code: string }[] }>(`${base}/api/v1/issuers`);
    const keys: KeyCache = { fetchedAt, source: base, issuers: [] };
    const status: StatusCache = { fetchedAt, source: base, lists: {} };
    for (const code of [...items.map((i) => i.code), 'platform']) {
      const set = await getJson<{ issuer: { code: string; name: string; departmentId: string }; keys: KeyCache['issuers'][number]['keys'] }>(`${base}/api/v1/issuers/${encodeURIComponent(code)}/keys`);
      keys.issuers.push({ ...set.issuer, keys: set.keys });
      if (code === 'platform') continue;
      const res = await fetch(`${base}/api/v1/issuers/${encodeURIComponent(code)}/status-list`);
      if (!res.ok) throw new Error(`GET status list of ${code}: HTTP ${res.status}`);
      status.lists[code] = (await res.text()).trim();
    }
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'keys.json'), JSON.stringify(keys, null, 2));
    fs.writeFileSync(path.join(out, 'status.json'), JSON.stringify(status, null, 2));
    const keyCount = keys.issuers.reduce((n, i) => n + i.keys.length, 0);
    io.out(`cached ${keys.issuers.length} issuers, ${keyCount} public keys and ${Object.keys(status.lists).length} status lists from ${base} into ${out}/ (keys.json, status.json)`);
    return 0;
  },
};
