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
 * Local keystore in the platform database: private keys sealed with SM4 (authenticated,
 * bound to the key id) under a key derived from the master key. Decrypted keys are
 * cached in memory only inside this module.
 */
export class PgKeyStore implements KeyStore {
  readonly #sealKey: Uint8Array;
  readonly #privateCache = new Map<string, Uint8Array>();
  readonly #activeCache = new Map<string, PublicKeyInfo>();
  /** public keys by key id (a key never changes; its status does on rotation, seen here at once and by other instances within the TTL) */
  readonly #publicCache = new ReferenceCache(30_000);

  constructor(private readonly db: Db, masterKey: Uint8Array) {
    this.#sealKey = hmacSm3(masterKey, 'mianzheng/keystore/v1');
  }

  async ensureKey(ownerId: string, suite: SuiteId): Promise<PublicKeyInfo> {
    const cached = this.#activeCache.get(`${ownerId}\u0000${suite}`);
    if (cached) return cached;
    const row = await this.db.selectFrom('signing_keys').select(PUBLIC_COLUMNS).where('owner_id', '=', ownerId).where('suite', '=', suite).where('status', '=', 'active').executeTakeFirst();
    if (row) return this.#remember(toInfo(row));
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

  findPublicKey(keyId: string): Promise<PublicKeyInfo | undefined> {
    return this.#publicCache.get(keyId, async () => {
      const row = await this.db.selectFrom('signing_keys').select(PUBLIC_COLUMNS).where('key_id', '=', keyId).executeTakeFirst();
      return row ? toInfo(row) : undefined;
    }, { keepMissing: false });
  }

  #remember(info: PublicKeyInfo): PublicKeyInfo {
    this.#activeCache.set(`${info.ownerId}\u0000${info.suite}`, info);
    return info;
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
    this.#activeCache.delete(`${ownerId}\u0000${suite}`);
    this.#publicCache.invalidate(`${ownerId}#`); // the retired key's status changed
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

