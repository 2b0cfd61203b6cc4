/**
 * Reads the directory from the database, and keeps it in memory for the query hot path:
 * reloaded when a directory change on this instance invalidates it, and at most
 * `ttlMs` old otherwise (other instances' changes arrive within that time).
 */
import type { ItemDefinition, Suite } from '@mianzheng/provider/protocol';
import type { Db } from '../../db/database.ts';
import type { DirectoryProvider } from '../domain/directory.ts';

export interface DirectorySnapshot {
  providers: DirectoryProvider[];
  /** department id → name, for consumer departments */
  departments: Map<string, string>;
}

export async function loadDirectory(db: Db): Promise<DirectorySnapshot> {
  const [providers, keys, items, grants, departments] = await Promise.all([
    db.selectFrom('exchange_providers as p').innerJoin('departments as d', 'd.id', 'p.department_id').selectAll('p').select('d.name as department_name').orderBy('p.id').execute(),
    db.selectFrom('exchange_provider_keys').selectAll().orderBy('added_at', 'desc').execute(),
    db.selectFrom('exchange_items').selectAll().orderBy('provider_id').orderBy('code').execute(),
    db.selectFrom('exchange_grants as g').innerJoin('departments as d', 'd.id', 'g.consumer_department_id').selectAll('g').select('d.name as consumer_name').orderBy('g.consumer_department_id').execute(),
    db.selectFrom('departments').select(['id', 'name']).execute(),
  ]);
  return { departments: new Map(departments.map((d) => [d.id, d.name])), providers: providers.map((p) => ({
    id: p.id, name: p.name, departmentId: p.department_id, departmentName: p.department_name, endpoint: p.endpoint, status: p.status, requestSuite: p.request_suite as Suite,
    resilience: { timeoutMs: p.timeout_ms, maxAttempts: p.max_attempts, concurrency: p.concurrency, breakerThreshold: p.breaker_threshold, breakerHalfOpenMs: p.breaker_half_open_ms },
    keys: keys.filter((k) => k.provider_id === p.id).map((k) => ({ keyId: k.key_id, suite: k.suite, publicKey: k.public_key, status: k.status })),
    items: items.filter((i) => i.provider_id === p.id).map((i) => ({
      providerId: p.id, code: i.code, name: i.name, definition: i.definition as ItemDefinition, proofItemIds: i.proof_item_ids,
      grants: grants.filter((g) => g.provider_id === p.id && g.item_code === i.code).map((g) => ({ consumerDepartmentId: g.consumer_department_id, consumerName: g.consumer_name, purposes: g.purposes })),
    })),
  })) };
}

export class DirectoryCache {
  #value: DirectorySnapshot | undefined;
  #loadedAt = 0;
  #loading: Promise<DirectorySnapshot> | undefined;
  #generation = 0;

  constructor(private readonly db: Db, private readonly ttlMs = 2000) {}

  async get(): Promise<DirectorySnapshot> {
    if (this.#value && Date.now() - this.#loadedAt < this.ttlMs) return this.#value;
    if (!this.#loading) {
      const generation = this.#generation;
      this.#loading = loadDirectory(this.db).then((v) => {
        if (generation === this.#generation) {
          this.#value = v;
          this.#loadedAt = Date.now();
        }
        return v;
      }).finally(() => { this.#loading = undefined; });
    }
    return this.#loading;
  }

  /** After a directory change: the next query reads the database again. */
  invalidate(): void {
    this.#generation++;
    this.#value = undefined;
    this.#loading = undefined;
  }
}
