/** The exchange context's infrastructure, built once per platform instance and passed in Deps. */
import type { Db } from '../../db/database.ts';
import type { KeyStore } from '../../keys/domain/key-store.ts';
import type { PiiProtector } from '../../shared/pii.ts';
import type { ExchangeClient } from '../domain/exchange-client.ts';
import { DirectoryCache } from './directory-store.ts';
import { HttpExchangeClient } from './http-exchange-client.ts';
import { ExchangeTrail } from './trail-writer.ts';

export interface ExchangeInfra {
  /** transport port to provider nodes (signed HTTP, per-provider resilience) */
  client: ExchangeClient;
  /** the directory, cached for the query hot path */
  directory: DirectoryCache;
  /** group-committed writer of the platform's trail (exchange log + access log + audit) */
  trail: ExchangeTrail;
  close(): Promise<void>;
}

export function createExchangeInfra(db: Db, pii: PiiProtector, keys: KeyStore, options: { client?: ExchangeClient; now?: () => Date } = {}): ExchangeInfra {
  const client = options.client ?? new HttpExchangeClient(keys, { now: options.now });
  const trail = new ExchangeTrail(db, pii);
  return {
    client,
    directory: new DirectoryCache(db),
    trail,
    async close() {
      await trail.drain();
      await client.close();
    },
  };
}

/** The exchange infrastructure of a Deps (startPlatform always provides it). */
export function exchangeOf(deps: { exchange?: ExchangeInfra }): ExchangeInfra {
  if (!deps.exchange) throw new Error('Deps.exchange is not configured (startPlatform creates it with createExchangeInfra)');
  return deps.exchange;
}
