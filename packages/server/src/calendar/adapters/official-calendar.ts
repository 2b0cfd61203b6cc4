/**
 * The official working-day calendar the platform counts deadlines in: administrators'
 * overrides (calendar_days) over the base calendar (the chinese-days package, or the
 * statutory holidays for a year it does not know yet; shared/calendar/chinese-calendar.ts).
 *
 * `isWorkday` is synchronous (the WorkCalendar port), over an in-memory copy of the
 * overrides. The copy is reloaded when older than the refresh window (60 s): several
 * stateless instances share one database, so a change made on one reaches the others
 * within a minute — and at once on the instance that made it (reload() after the change).
 * Callers `await officialCalendar(deps)` before counting, which reloads a stale copy first.
 *
 * A transaction that writes a working-day deadline holds the calendar first (holdCalendar:
 * a shared lock that a calendar change takes exclusively, and the calendar's generation);
 * inside it the copy is used only if it is of that generation, else reloaded through the
 * transaction. So a deadline is never counted in a calendar older than the one in force when
 * it is written, on any instance, and a change waits for the deadlines being written (and
 * then recomputes them, calendar/use-cases/recompute-deadlines.ts).
 */
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { baseDay, type OfficialDay } from '../../shared/calendar/chinese-calendar.ts';
import type { WorkCalendar } from '../../shared/calendar/working-days.ts';
import { holdCalendarRows, readCalendar } from './calendar-store.ts';

/** How old the copy of the overrides may be before it is reloaded. */
export const CALENDAR_REFRESH_MS = 60_000;

export interface OfficialCalendarOptions {
  /** refresh window (default CALENDAR_REFRESH_MS) */
  ttlMs?: number;
  /** monotonic-enough milliseconds (default Date.now): injectable so tests need not wait */
  clock?: () => number;
}

export class OfficialCalendar implements WorkCalendar {
  #overrides: ReadonlyMap<string, { work: boolean; name: string }> = new Map();
  #loadedAt: number | undefined;
  #generation: number | undefined;
  /** the load in flight started without a transaction, shared by concurrent callers */
  #loading: Promise<void> | undefined;
  /** loads are numbered, so a slow, older load never replaces a newer one's result */
  #started = 0;
  #applied = 0;
  readonly #ttlMs: number;
  readonly #clock: () => number;

  constructor(private readonly db: Kysely<DB>, options: OfficialCalendarOptions = {}) {
    this.#ttlMs = options.ttlMs ?? CALENDAR_REFRESH_MS;
    this.#clock = options.clock ?? Date.now;
  }

  isWorkday(date: string): boolean {
    return this.day(date).work;
  }

  /** The date as the platform counts it, and where that comes from. */
  day(date: string): OfficialDay {
    const o = this.#overrides.get(date);
    return o ? { date, work: o.work, name: o.name, source: 'override' } : baseDay(date);
  }

  /** Whether the copy of the overrides is older than the refresh window (or was never loaded). */
  get stale(): boolean {
    return this.#loadedAt === undefined || this.#clock() - this.#loadedAt >= this.#ttlMs;
  }

  /**
   * This calendar, its overrides reloaded first if stale. Inside a transaction pass it as
   * `executor`: the overrides are then read through it (an embedded PGlite database has one
   * connection, which the open transaction holds), never by waiting on another caller's load.
   */
  async fresh(executor?: Kysely<DB>): Promise<this> {
    if (!this.stale) return this;
    if (executor) await this.#load(executor);
    else await (this.#loading ??= this.#load(this.db).finally(() => { this.#loading = undefined; }));
    return this;
  }

  /** Reloads the overrides now, e.g. after a change made through this instance (once it has committed). */
  async reload(executor?: Kysely<DB>): Promise<this> {
    await this.#load(executor ?? this.db);
    return this;
  }

  /** The calendar's generation (migration 0018) the copy was loaded at, if loaded. */
  get generation(): number | undefined {
    return this.#generation;
  }

  /**
   * This calendar as of `generation` (held by the caller's transaction, see holdCalendar):
   * the copy if it is of that generation, else reloaded through `executor` first.
   */
  async atGeneration(generation: number, executor: Kysely<DB>): Promise<this> {
    if (this.#generation !== generation) await this.#load(executor);
    return this;
  }

  /** Forgets the copy: the next fresh() reloads it. */
  invalidate(): void {
    this.#loadedAt = undefined;
  }

  async #load(executor: Kysely<DB>): Promise<void> {
    const n = ++this.#started;
    const at = this.#clock();
    const { generation, overrides } = await readCalendar(executor);
    if (n < this.#applied) return;
    this.#applied = n;
    this.#overrides = new Map(overrides.map((r) => [r.date, { work: r.work, name: r.name }]));
    this.#generation = generation;
    this.#loadedAt = at;
  }
}

const calendars = new WeakMap<Db, OfficialCalendar>();

/** The official calendar of this platform instance (one per database handle), as it is now; see officialCalendar(). */
export function officialCalendarOf(db: Db): OfficialCalendar {
  let c = calendars.get(db);
  if (!c) calendars.set(db, (c = new OfficialCalendar(db)));
  return c;
}

/** The generation each transaction holding the calendar holds it at. */
const heldGeneration = new WeakMap<Kysely<DB>, number>();

/**
 * Holds the official calendar unchanged until the transaction ends. Taken first — before any
 * row lock — by a transaction that may write a working-day deadline (a calendar change waits
 * for it, then recomputes what it wrote); officialCalendar(deps, trx) then counts in the
 * calendar of the held generation.
 */
export async function holdCalendar(trx: Kysely<DB>): Promise<void> {
  heldGeneration.set(trx, await holdCalendarRows(trx));
}

/**
 * The official calendar: inside a transaction that holds it (holdCalendar), exactly the one in
 * force; otherwise with overrides no older than the refresh window. `executor`: the caller's open
 * transaction, if any.
 */
export function officialCalendar(deps: { db: Db }, executor?: Kysely<DB>): Promise<OfficialCalendar> {
  const held = executor ? heldGeneration.get(executor) : undefined;
  return held === undefined ? officialCalendarOf(deps.db).fresh(executor) : officialCalendarOf(deps.db).atGeneration(held, executor!);
}
