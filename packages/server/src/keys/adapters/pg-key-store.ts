import { randomBytes } from 'node:crypto';
import { getSuite, hmacSm3, sm4Open, sm4Seal, bytesToHex, type SuiteId } from '@mianzheng/crypto';
import type { Db } from '../../db/database.ts';
import type { KeyStore, PublicKeyInfo } from '../domain/key-store.ts';
import { ReferenceCache } from '../../shared/reference-cache.ts';

type Row = { key_id: string; owner_id: string; suite: SuiteId; public_key: string; status: 'active' | 'retired'; created_at: Date | string; retired_at: Date | string | null };

function toInfo(r: Row): PublicKeyInfo {
  return {
    keyId: r.key_id, ownerId: r.owner_id, suite: r.suite, publicKey: r.public_key, status: r.status,
    createdAt: new Date(r.created_at).toISOString(), retiredAt: r.retired_at ? new Date(r.retired_at).toISOString() : null,
  };
}

const PUBLIC_COLUMNS = ['key_id', 'owner_id', 'suite', 'public_key', 'status', 'created_at', 'retired_at'] as const;

/**
 * How long an instance may go on using what it cached about keys (which key of an owner is
 * active, a key's status and retirement time) without asking the database whether any key
 * was created or retired since: a rotation made by another instance sharing the database
 * takes effect here within this time (plus the one query that notices it). The instance
 * that rotates sees it at once.
 */
export const KEY_STATUS_CHECK_MS = 1000;

/**
 * Local keystore in the platform database: private keys sealed with SM4 (authenticated,
 * bound to the key id) under a key derived from the master key. Decrypted keys are
 * cached in memory only inside this module.
 *
 * Cached: the active key of each owner and suite (what sign() uses), public keys by key id
 * (what verification reads: status, retiredAt), private keys by key id. A key's material
 * never changes; which key is active and a key's status change on rotation — here at once,
 * and on every other instance within KEY_STATUS_CHECK_MS: before using its caches an instance
 * reads, at most once per that time, a generation of the key table (how many keys exist,
 * how many are retired — keys are only ever added, and retired once, so any rotation changes
 * it) and drops the active and public caches when it changed. Without that, another instance
 * would go on signing with a retired key (licenses, status lists, data-sharing requests the
 * provider nodes refuse once they have the new key) and take a retired key for active.
 */
export class PgKeyStore implements KeyStore {
  readonly #sealKey: Uint8Array;
  readonly #privateCache = new Map<string, Uint8Array>();
  readonly #activeCache = new Map<string, PublicKeyInfo>();
  /** public keys by key id (dropped on every rotation seen, here or by the generation check) */
  readonly #publicCache = new ReferenceCache(30_000);
  readonly #checkMs: number;
  readonly #clock: () => number;
  /** the key table's generation when last read, the time that read began, and the read in flight */
  #generation: string | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #checking: Promise<void> | undefined;
  /** bumped whenever the caches are dropped: a read that began before must not fill them */
  #epoch = 0;

  constructor(private readonly db: Db, masterKey: Uint8Array, options: { checkMs?: number; clock?: () => number } = {}) {
    this.#sealKey = hmacSm3(masterKey, 'mianzheng/keystore/v1');
    this.#checkMs = options.checkMs ?? KEY_STATUS_CHECK_MS;
    this.#clock = options.clock ?? Date.now;
  }

  async ensureKey(ownerId: string, suite: SuiteId): Promise<PublicKeyInfo> {
    await this.#current();
    const cached = this.#activeCache.get(`${ownerId}\u0000${suite}`);
    if (cached) return cached;
    const epoch = this.#epoch;
    const row = await this.db.selectFrom('signing_keys').select(PUBLIC_COLUMNS).where('owner_id', '=', ownerId).where('suite', '=', suite).where('status', '=', 'active').executeTakeFirst();
    if (row) return this.#remember(toInfo(row), epoch);
    return this.#create(ownerId, suite, false);
  }

  async rotate(ownerId: string, suite: SuiteId): Promise<PublicKeyInfo> {
    return this.#create(ownerId, suite, true);
  }

  async sign(ownerId: string, suite: SuiteId, message: Uint8Array): Promise<{ keyId: string; signature: Uint8Array }> {
    const info = await this.ensureKey(ownerId, suite);
    const priv = await this.#privateKey(info.keyId);
    return { keyId: info.keyId, signature: getSuite(suite).sign(priv, message) };
  }

  async publicKeys(ownerId: string): Promise<PublicKeyInfo[]> {
    const rows = await this.db.selectFrom('signing_keys').select(PUBLIC_COLUMNS).where('owner_id', '=', ownerId).orderBy('created_at', 'desc').execute();
    return rows.map(toInfo);
  }

  async findPublicKey(keyId: string): Promise<PublicKeyInfo | undefined> {
    await this.#current();
    return this.#publicCache.get(keyId, async () => {
      const row = await this.db.selectFrom('signing_keys').select(PUBLIC_COLUMNS).where('key_id', '=', keyId).executeTakeFirst();
      return row ? toInfo(row) : undefined;
    }, { keepMissing: false });
  }

  /** Caches the active key, unless the caches were dropped since the read that found it began (`epoch`). */
  #remember(info: PublicKeyInfo, epoch = this.#epoch): PublicKeyInfo {
    if (epoch === this.#epoch) this.#activeCache.set(`${info.ownerId}\u0000${info.suite}`, info);
    return info;
  }

  /**
   * Makes the caches no older than KEY_STATUS_CHECK_MS: when the last generation read began
   * longer ago, reads it again (one read shared by concurrent callers) and drops the active
   * and public caches if a key was added or retired meanwhile.
   */
  async #current(): Promise<void> {
    const now = this.#clock();
    if (now - this.#checkedAt < this.#checkMs) return;
    if (!this.#checking) {
      this.#checking = this.db.selectFrom('signing_keys')
        .select((eb) => [eb.fn.countAll<string>().as('keys'), eb.fn.count<string>('retired_at').as('retired')])
        .executeTakeFirstOrThrow()
        .then((g) => {
          const generation = `${g.keys}/${g.retired}`;
          if (generation !== this.#generation) {
            this.#forget();
            this.#generation = generation;
          }
          this.#checkedAt = now;
        })
        .finally(() => { this.#checking = undefined; });
    }
    await this.#checking;
  }

  /** Drops what is cached about which key is active and each key's status (private keys never change). */
  #forget(): void {
    this.#epoch++;
    this.#activeCache.clear();
    this.#publicCache.invalidate('');
  }

  async #create(ownerId: string, suite: SuiteId, retireCurrent: boolean): Promise<PublicKeyInfo> {
    const pair = getSuite(suite).generateKeyPair();
    const keyId = `${ownerId}#${suite === 'SM2-SM3' ? 'sm2' : 'ed25519'}-${randomBytes(6).toString('hex')}`;
    const sealed = sm4Seal(this.#sealKey, pair.privateKey, new TextEncoder().encode(keyId));
    const now = new Date();
    const info = await this.db.transaction().execute(async (trx) => {
      const active = await trx.selectFrom('signing_keys').select(PUBLIC_COLUMNS).where('owner_id', '=', ownerId).where('suite', '=', suite).where('status', '=', 'active').forUpdate().executeTakeFirst();
      if (active && !retireCurrent) return toInfo(active); // another caller created it first
      if (active) await trx.updateTable('signing_keys').set({ status: 'retired', retired_at: now }).where('key_id', '=', active.key_id).execute();
      await trx.insertInto('signing_keys').values({
        key_id: keyId, owner_id: ownerId, suite, public_key: bytesToHex(pair.publicKey), private_key_sealed: Buffer.from(sealed).toString('base64'),
        status: 'active', created_at: now, retired_at: null,
      }).execute();
      return { keyId, ownerId, suite, publicKey: bytesToHex(pair.publicKey), status: 'active' as const, createdAt: now.toISOString(), retiredAt: null };
    }).catch(async (e: unknown) => {
      // A concurrent creator won the unique "one active key" index: use its key.
      const row = await this.db.selectFrom('signing_keys').select(PUBLIC_COLUMNS).where('owner_id', '=', ownerId).where('suite', '=', suite).where('status', '=', 'active').executeTakeFirst();
      if (row && !retireCurrent) return toInfo(row);
      throw e;
    });
    // the retired key's status changed: seen here at once (other instances: by the generation check)
    this.#forget();
    return this.#remember(info);
  }

  async #privateKey(keyId: string): Promise<Uint8Array> {
    let key = this.#privateCache.get(keyId);
    if (!key) {
      const row = await this.db.selectFrom('signing_keys').select(['private_key_sealed']).where('key_id', '=', keyId).executeTakeFirstOrThrow();
      key = sm4Open(this.#sealKey, Buffer.from(row.private_key_sealed, 'base64'), new TextEncoder().encode(keyId));
      this.#privateCache.set(keyId, key);
    }
    return key;
  }
}

