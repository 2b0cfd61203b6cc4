import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { CatalogReadModels } from '../catalog/adapters/published-store.ts';
import type { PiiProtector } from './pii.ts';

/** What use cases and routes receive: infrastructure only, passed explicitly. */
export interface Deps {
  db: Db;
  config: Config;
  now: () => Date;
  /** Cache of the immutable published catalog versions (infrastructure, not a repository). */
  catalogReadModels: CatalogReadModels;
  /** Encrypts and hashes identity numbers and other personal identifiers. */
  pii: PiiProtector;
}
