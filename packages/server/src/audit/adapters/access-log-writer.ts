/**
 * Group commit for access-log entries that stand on their own (a read that is not part of
 * a larger change, e.g. a license read under a use grant): entries requested while a
 * write is in flight are written together in the next transaction, each with its audit
 * entry (recordDataAccesses). A caller's promise resolves only after its entry is
 * committed — exactly as if it had written its own transaction — so no read is handed out
 * before it is logged; concurrent reads just share the transaction, the chain lock and the
 * chain-head read. The same scheme as the data-sharing trail (exchange/adapters/trail-writer.ts).
 */
import type { Db } from '../../db/database.ts';
import type { PiiProtector } from '../../shared/pii.ts';
import { assertDataAccess, recordDataAccesses, type DataAccess } from '../use-cases/record-data-access.ts';

interface Pending { access: DataAccess; resolve: (id: string) => void; reject: (e: Error) => void }

export class AccessLogWriter {
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;

  constructor(private readonly db: Db, private readonly pii: PiiProtector, private readonly maxBatch = 128) {}

  /** Records one data access in its own (shared) transaction; resolves with the access-log id once committed. */
  write(access: DataAccess): Promise<string> {
    assertDataAccess(access); // an invalid entry fails its caller alone, never the batch it would join
    return new Promise((resolve, reject) => {
      this.#queue.push({ access, resolve, reject });
      this.#flushing ??= new Promise<void>((r) => setImmediate(r)).then(() => this.#flush());
    });
  }

  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.maxBatch);
        try {
          const ids = await this.db.transaction().execute((trx) => recordDataAccesses(trx, this.pii, batch.map((p) => p.access)));
          batch.forEach((p, i) => p.resolve(ids[i]!));
        } catch (e) {
          for (const p of batch) p.reject(e as Error);
        }
      }
    } finally {
      this.#flushing = undefined;
    }
  }
}

const writers = new WeakMap<Db, AccessLogWriter>();

/** The writer of this platform instance (one per database handle). */
export function accessLogWriter(db: Db, pii: PiiProtector): AccessLogWriter {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new AccessLogWriter(db, pii)));
  return w;
}
