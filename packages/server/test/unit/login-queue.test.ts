import { describe, expect, it } from 'vitest';
import { LoginQueue, WAITING_PER_PLACE } from '../../src/identity/adapters/login-queue.ts';

const later = (ms: number) => performance.now() + ms;

describe('LoginQueue: sign-in attempts of one key wait their turn on an instance', () => {
  it('lets `limit` attempts of a key in at once and hands each place on in arrival order', async () => {
    const q = new LoginQueue();
    expect(await q.enter('user:a', 2, later(1000))).toBe(true);
    expect(await q.enter('user:a', 2, later(1000))).toBe(true);
    // another key has places of its own
    expect(await q.enter('user:b', 2, later(1000))).toBe(true);
    const order: number[] = [];
    const third = q.enter('user:a', 2, later(1000)).then((ok) => { order.push(3); return ok; });
    const fourth = q.enter('user:a', 2, later(1000)).then((ok) => { order.push(4); return ok; });
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]);
    q.leave('user:a');
    expect(await third).toBe(true);
    q.leave('user:a');
    expect(await fourth).toBe(true);
    expect(order).toEqual([3, 4]);
  });

  it('refuses at once beyond WAITING_PER_PLACE × limit attempts in line, and takes them again once the line is shorter', async () => {
    const q = new LoginQueue();
    expect(await q.enter('flood', 2, later(1000))).toBe(true);
    expect(await q.enter('flood', 2, later(1000))).toBe(true);
    const waiting = Array.from({ length: WAITING_PER_PLACE * 2 }, () => q.enter('flood', 2, later(1000)));
    const started = performance.now();
    expect(await q.enter('flood', 2, later(1000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
    q.leave('flood');
    expect(await waiting[0]).toBe(true);
    const again = q.enter('flood', 2, later(1000));
    for (let i = 0; i < waiting.length + 1; i++) q.leave('flood');
    expect(await Promise.all(waiting)).toEqual(waiting.map(() => true));
    expect(await again).toBe(true);
  });

  it('gives up at the deadline, and a place freed later goes to whoever still waits', async () => {
    const q = new LoginQueue();
    expect(await q.enter('k', 1, later(1000))).toBe(true);
    const started = performance.now();
    expect(await q.enter('k', 1, later(50))).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    const patient = q.enter('k', 1, later(1000));
    q.leave('k');
    expect(await patient).toBe(true);
    q.leave('k');
    // nothing running and nobody waiting: the next one enters at once
    expect(await q.enter('k', 1, later(0))).toBe(true);
  });

  it('wakes an attempt waiting for the counter when another attempt of the key ends here, else after the poll interval; false past the deadline', async () => {
    const q = new LoginQueue();
    await q.enter('k', 5, later(1000));
    await q.enter('k', 5, later(1000));
    let woke = performance.now();
    const waiting = q.ended('k', later(5000), 4000).then(() => { woke = performance.now() - woke; });
    q.leave('k');
    await waiting;
    expect(woke).toBeLessThan(1000);
    const polled = performance.now();
    expect(await q.ended('k', later(5000), 30)).toBe(true);
    expect(performance.now() - polled).toBeGreaterThanOrEqual(25);
    expect(await q.ended('k', later(-1), 30)).toBe(false);
  });
});
