/** Checks shared by the directory use cases: endpoints, public keys, resilience settings. */
import { sm2IsValidPublicKey } from '@mianzheng/crypto';
import { FORMATS, type Suite } from '@mianzheng/provider/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../shared/errors.ts';
import type { ResilienceSettings } from '../domain/directory.ts';

export interface KeyInput { keyId: string; suite: Suite; publicKey: string }

/** `http(s)://host:port` only: the signed path is the path the node sees, so no prefix is allowed. */
export function normaliseEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new AppError('EXCHANGE.INVALID_ENDPOINT', { field: 'endpoint' });
  }
  if (!['http:', 'https:'].includes(url.protocol) || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new AppError('EXCHANGE.INVALID_ENDPOINT', { field: 'endpoint' });
  }
  return url.origin;
}

/** The node's name as stored: trimmed, and not blank (spaces only, ideographic ones included). */
export function providerName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new AppError('EXCHANGE.NAME_REQUIRED', { field: 'name' });
  return trimmed;
}

export function checkKeys(keys: readonly KeyInput[], field = 'keys'): KeyInput[] {
  const seen = new Set<string>();
  return keys.map((k, i) => {
    const hex = k.publicKey.trim().toLowerCase();
    const bytes = /^[0-9a-f]+$/.test(hex) && hex.length % 2 === 0 ? Buffer.from(hex, 'hex') : undefined;
    const ok = bytes && (k.suite === 'SM2-SM3' ? bytes.length === 65 && sm2IsValidPublicKey(new Uint8Array(bytes)) : k.suite === 'Ed25519' && bytes.length === 32);
    if (!ok) throw new AppError('EXCHANGE.INVALID_PUBLIC_KEY', { field: `${field}.${i}.publicKey` });
    if (!FORMATS.keyId.test(k.keyId) || seen.has(k.keyId)) throw new AppError('REQUEST.INVALID', { field: `${field}.${i}.keyId`, message: '密钥标识格式不正确或重复', messageEn: 'Key id malformed or repeated' });
    seen.add(k.keyId);
    return { keyId: k.keyId, suite: k.suite, publicKey: hex };
  });
}

export function resilienceColumns(r: Partial<ResilienceSettings> | undefined) {
  if (!r) return {};
  return {
    ...(r.timeoutMs !== undefined ? { timeout_ms: r.timeoutMs } : {}),
    ...(r.maxAttempts !== undefined ? { max_attempts: r.maxAttempts } : {}),
    ...(r.concurrency !== undefined ? { concurrency: r.concurrency } : {}),
    ...(r.breakerThreshold !== undefined ? { breaker_threshold: r.breakerThreshold } : {}),
    ...(r.breakerHalfOpenMs !== undefined ? { breaker_half_open_ms: r.breakerHalfOpenMs } : {}),
  };
}

/** The department (with its region, for the region checks); 404 DEPARTMENT.NOT_FOUND naming `field` when there is none. */
export async function assertDepartment(trx: Transaction<DB>, id: string, field: string): Promise<ProviderDepartment> {
  const d = (await findProviderDepartments(trx, [id])).get(id);
  if (!d) throw new AppError('DEPARTMENT.NOT_FOUND', { field });
  return d;
}

/** A provider's department as the region checks see it (departments.region_code). */
export interface ProviderDepartment { id: string; name: string; regionCode: string; regionName: string | null }

export async function findProviderDepartments(db: Kysely<DB> | Transaction<DB>, ids: readonly string[]): Promise<Map<string, ProviderDepartment>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('departments as d').leftJoin('regions as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.name', 'd.region_code', 'r.name as region_name']).where('d.id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, regionCode: r.region_code, regionName: r.region_name }]));
}

export async function lockProvider(trx: Transaction<DB>, id: string) {
  const p = await trx.selectFrom('exchange_providers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!p) throw new AppError('EXCHANGE.PROVIDER_NOT_FOUND', { field: 'id' });
  return p;
}
