/**
 * The platform's side of the trail, written with group commit: queries that finish
 * while a write is in flight are written together in the next transaction — their
 * exchange-log rows, and for each query sent to a provider its access-log entries and audit
 * entries (the subject's, and one for each other person an answer names; recordDataAccesses:
 * the rows recordDataAccess writes, in multi-row inserts). A query's outcome is handed to its caller only after its rows
 * are committed, so no used answer is ever missing from the trail; throughput comes from
 * sharing one transaction, not from writing later. Up to `maxInFlight` transactions run at
 * once (each on its own connection and audit chain), so a commit's round trips and WAL flush
 * do not hold back the queries that finish meanwhile.
 */
import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ExchangeLogTable } from '../../db/schema-exchange.ts';
import type { PiiProtector } from '../../shared/pii.ts';
import type { DataAccess } from '../../audit/use-cases/record-data-access.ts';
import { recordDataAccesses } from '../../audit/use-cases/record-data-access.ts';

export interface TrailItem {
  log: Insertable<ExchangeLogTable>;
  /** present when the query reached (or tried to reach) a provider: the subject's access-log entry */
  access?: DataAccess;
  /** with `access`: an entry for each other person the answer names by identity number (accessesWithNamedPersons) */
  named?: readonly DataAccess[];
}

interface Pending { item: TrailItem; resolve: (accessLogId: string | null) => void; reject: (e: Error) => void }

export class ExchangeTrail {
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idle: Array<() => void> = [];
  #batches = 0;
  #written = 0;

  constructor(private readonly db: Db, private readonly pii: PiiProtector, private readonly maxBatch = 256, private readonly maxInFlight = 2) {}

  /** Writes one query's trail; resolves with its access-log id once committed. */
  write(item: TrailItem): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Start a transaction on the next turn of the event loop (so queries finishing together share it), if one may start. */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.maxInFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#queue.length === 0 && this.#inFlight === 0) for (const r of this.#idle.splice(0)) r();
      if (this.#inFlight >= this.maxInFlight || this.#queue.length === 0) return;
      this.#inFlight++;
      void this.#flush().finally(() => {
        this.#inFlight--;
        if (this.#queue.length > 0) this.#schedule();
        else if (this.#inFlight === 0) for (const r of this.#idle.splice(0)) r();
      });
    });
  }

  get stats(): { batches: number; written: number } {
    return { batches: this.#batches, written: this.#written };
  }

  /** One transaction for the next batch of the queue. */
  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, this.maxBatch);
    try {
      const ids = await this.db.transaction().execute(async (trx) => {
        const withAccess = batch.filter((p) => p.item.access);
        // each query's subject entry first, then the entries of the persons its answer names
        const accessIds = await recordDataAccesses(trx, this.pii, [...withAccess.map((p) => p.item.access!), ...withAccess.flatMap((p) => p.item.named ?? [])]);
        const byPending = new Map(withAccess.map((p, i) => [p, accessIds[i]!]));
        const out = batch.map((p) => byPending.get(p) ?? null);
        await trx.insertInto('exchange_log').values(batch.map(({ item }, i) => ({ ...item.log, access_log_id: out[i] ?? null }))).execute();
        return out;
      });
      this.#batches++;
      this.#written += batch.length;
      batch.forEach((p, i) => p.resolve(ids[i] ?? null));
    } catch (e) {
      for (const p of batch) p.reject(e as Error);
    }
  }

  /** Waits for everything queued to be written. */
  async drain(): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === 0 && !this.#scheduled) return;
    await new Promise<void>((r) => this.#idle.push(r));
  }
}
