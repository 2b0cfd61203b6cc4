import type { SuiteId } from '@mianzheng/crypto';

export interface PublicKeyInfo {
  keyId: string;
  ownerId: string;
  suite: SuiteId;
  /** hex: SM2 04||x||y (65 bytes), Ed25519 32 bytes */
  publicKey: string;
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
}

/**
 * Key-management port. Private keys never leave an implementation: callers get
 * signatures and public keys only. Implementations: a local keystore encrypted at rest
 * (PgKeyStore); an HSM later.
 */
export interface KeyStore {
  /** The active key of the owner for the suite, created when there is none. */
  ensureKey(ownerId: string, suite: SuiteId): Promise<PublicKeyInfo>;
  /**
   * Retires the active key (still valid for verification of what it signed before) and creates a
   * new active one. Takes effect at once on the instance that rotates; other instances sharing the
   * database stop signing with the retired key and see its status within a bounded short time
   * (PgKeyStore: KEY_STATUS_CHECK_MS).
   */
  rotate(ownerId: string, suite: SuiteId): Promise<PublicKeyInfo>;
  /** Signs with the owner's active key of the suite (created when missing). */
  sign(ownerId: string, suite: SuiteId, message: Uint8Array): Promise<{ keyId: string; signature: Uint8Array }>;
  /** Every key of the owner, active and retired, newest first. */
  publicKeys(ownerId: string): Promise<PublicKeyInfo[]>;
  findPublicKey(keyId: string): Promise<PublicKeyInfo | undefined>;
}
