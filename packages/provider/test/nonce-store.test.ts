import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_NONCES, NonceStore } from '../src/node/nonce-store.ts';

const WINDOW = 300_000;
const T0 = Date.parse('2026-03-01T08:00:00.000Z');

describe('the nonce store', () => {
  it('records a nonce once and refuses it again within the window, per consumer', () => {
    const s = new NonceStore(WINDOW, 10, T0);
    expect(s.remember('mas-ga', 'nonce-aaaaaaaaaaaaaaaa', T0, T0)).toBe('recorded');
    expect(s.remember('mas-ga', 'nonce-aaaaaaaaaaaaaaaa', T0, T0 + WINDOW)).toBe('replayed'); // the last moment its timestamp is still fresh
    expect(s.remember('mas-wj', 'nonce-aaaaaaaaaaaaaaaa', T0, T0)).toBe('recorded');
    expect(s.has('mas-ga', 'nonce-aaaaaaaaaaaaaaaa', T0 + WINDOW)).toBe(true);
    expect(s.has('mas-ga', 'nonce-aaaaaaaaaaaaaaaa', T0 + WINDOW + 1000)).toBe(false);
    expect(s.size).toBe(2);
  });

  it('when full, refuses to record a new nonce (and does not record it), still reports replays, and takes nonces again as old ones age out', () => {
    const s = new NonceStore(WINDOW, 3, T0);
    for (const n of ['n1', 'n2', 'n3']) expect(s.remember('mas-ga', `${n}-000000000000000`, T0, T0)).toBe('recorded');
    expect(s.remember('mas-ga', 'n4-000000000000000', T0 + 1000, T0 + 1000)).toBe('full');
    expect(s.remember('mas-wj', 'n4-000000000000000', T0 + 1000, T0 + 1000)).toBe('full'); // the cap is the node's, over all consumers
    expect(s.has('mas-ga', 'n4-000000000000000', T0 + 1000)).toBe(false); // a refused nonce is not held
    expect(s.size).toBe(3);
    expect(s.remember('mas-ga', 'n2-000000000000000', T0, T0 + 2000)).toBe('replayed'); // a replay is a replay, full or not
    // still full up to the last moment the held nonces are fresh …
    expect(s.remember('mas-ga', 'n4-000000000000000', T0 + WINDOW, T0 + WINDOW)).toBe('full');
    // … and free again the moment they leave it (not only at the next periodic sweep)
    expect(s.remember('mas-ga', 'n4-000000000000000', T0 + WINDOW + 1, T0 + WINDOW + 1)).toBe('recorded');
    expect(s.size).toBe(1);
  });

  it('frees only what has expired: a nonce recorded later keeps its place until its own window ends', () => {
    const s = new NonceStore(WINDOW, 2, T0);
    expect(s.remember('mas-ga', 'early-00000000000000', T0, T0)).toBe('recorded');
    expect(s.remember('mas-wj', 'later-00000000000000', T0 + 60_000, T0 + 60_000)).toBe('recorded');
    const afterFirst = T0 + WINDOW + 1000;
    expect(s.remember('mas-ga', 'third-00000000000000', afterFirst, afterFirst)).toBe('recorded'); // the early one left
    expect(s.remember('mas-ga', 'fourth-0000000000000', afterFirst, afterFirst)).toBe('full'); // the later one has not
    expect(s.remember('mas-wj', 'later-00000000000000', T0 + 60_000, afterFirst)).toBe('replayed');
  });

  it('restores nonces from the trail beyond its capacity: none is forgotten, and new ones wait until they age out', () => {
    const s = new NonceStore(WINDOW, 2, T0);
    for (const n of ['r1', 'r2', 'r3', 'r4']) s.restore('mas-ga', `${n}-000000000000000`, T0 - 10_000, T0);
    s.restore('mas-ga', 'gone-00000000000000', T0 - WINDOW - 1000, T0); // already outside the window: not kept
    expect(s.size).toBe(4);
    for (const n of ['r1', 'r2', 'r3', 'r4']) expect(s.remember('mas-ga', `${n}-000000000000000`, T0 - 10_000, T0)).toBe('replayed');
    expect(s.remember('mas-ga', 'new-0000000000000000', T0, T0)).toBe('full');
    const later = T0 - 10_000 + WINDOW + 1000;
    expect(s.remember('mas-ga', 'new-0000000000000000', later, later)).toBe('recorded');
  });

  it('has a default capacity and refuses a capacity below 1', () => {
    expect(new NonceStore(WINDOW).capacity).toBe(DEFAULT_MAX_NONCES);
    expect(DEFAULT_MAX_NONCES).toBe(2_000_000);
    expect(() => new NonceStore(WINDOW, 0)).toThrow(RangeError);
  });
});

describe('the nonce store, with requests not in time order', () => {
  it('a nonce dated ahead does not keep expired nonces recorded after it: when full, it frees them rather than refuse as busy', () => {
    const s = new NonceStore(WINDOW, 3, T0);
    // one request dated (almost) a whole window ahead — still fresh — then two current ones
    expect(s.remember('mas-ga', 'ahead-0000000000000', T0 + WINDOW - 1000, T0)).toBe('recorded');
    expect(s.remember('mas-ga', 'now-1-0000000000000', T0, T0)).toBe('recorded');
    expect(s.remember('mas-ga', 'now-2-0000000000000', T0, T0)).toBe('recorded');
    const later = T0 + WINDOW + 1000; // the two current ones have left the window, the one dated ahead has not
    expect(s.has('mas-ga', 'now-1-0000000000000', later)).toBe(false);
    expect(s.remember('mas-ga', 'new-1-0000000000000', later, later)).toBe('recorded');
    expect(s.remember('mas-ga', 'new-2-0000000000000', later, later)).toBe('recorded');
    expect(s.size).toBe(3);
    // the one dated ahead is still held: its replay is refused, and the store is full now
    expect(s.remember('mas-ga', 'ahead-0000000000000', T0 + WINDOW - 1000, later)).toBe('replayed');
    expect(s.remember('mas-ga', 'new-3-0000000000000', later, later)).toBe('full');
  });

  it('nor does one dated behind the others: each leaves the store when its own window ends', () => {
    const s = new NonceStore(WINDOW, 2, T0);
    expect(s.remember('mas-ga', 'current-00000000000', T0, T0)).toBe('recorded');
    expect(s.remember('mas-ga', 'behind-000000000000', T0 - WINDOW + 10_000, T0)).toBe('recorded'); // dated 290 s ago: leaves in 10 s
    const later = T0 + 11_000;
    expect(s.remember('mas-ga', 'new-00000000000000', later, later)).toBe('recorded');
    expect(s.remember('mas-ga', 'current-00000000000', T0, later)).toBe('replayed');
  });
});
