import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { CatalogReadModels } from '../catalog/adapters/published-store.ts';
import type { PiiProtector } from './pii.ts';
import type { KeyStore } from '../keys/domain/key-store.ts';
import type { WorkCalendar } from './calendar/working-days.ts';
import type { Notifier } from '../notifications/domain/notifier.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ExchangeInfra } from '../exchange/adapters/exchange-infra.ts';

/** What use cases and routes receive: infrastructure only, passed explicitly. */
export interface Deps {
  db: Db;
  config: Config;
  now: () => Date;
  /** Cache of the immutable published catalog versions (infrastructure, not a repository). */
  catalogReadModels: CatalogReadModels;
  /** Encrypts and hashes identity numbers and other personal identifiers. */
  pii: PiiProtector;
  /** Key management: signing keys of departments, provider nodes and the platform; private keys never leave it. */
  keys: KeyStore;
  /** Official working-day calendar (default: the official calendar with administrators' overrides, calendar/adapters/official-calendar.ts). */
  calendar?: WorkCalendar;
  /** Notifications port (default: in-app rows; SMS / e-mail adapters later). */
  notifier?: Notifier<Transaction<DB>>;
  /** Data sharing: transport to provider nodes (signed HTTP with per-provider resilience), cached directory, group-committed trail. */
  exchange?: ExchangeInfra;
}
