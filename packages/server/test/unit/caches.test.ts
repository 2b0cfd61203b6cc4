import { describe, expect, it } from 'vitest';
import { ReferenceCache } from '../../src/shared/reference-cache.ts';
import { forgetInRequest, memoInRequest, runInRequestScope } from '../../src/shared/request-scope.ts';

describe('ReferenceCache (reference data between instances: seen within the TTL; here at once after invalidate)', () => {
  it('keeps a value for the TTL, then loads it again', async () => {
    let now = 1_000;
    const cache = new ReferenceCache(30_000, () => now);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('department:id:mas-ga', load)).toBe(1);
    now += 29_999;
    expect(await cache.get('department:id:mas-ga', load)).toBe(1);
    now += 2;
    expect(await cache.get('department:id:mas-ga', load)).toBe(2);
  });

  it('concurrent first reads share one load; a failed load is not kept', async () => {
    const cache = new ReferenceCache();
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const slow = async () => { loads++; await gate; return 'x'; };
    const both = Promise.all([cache.get('k', slow), cache.get('k', slow)]);
    release();
    expect(await both).toEqual(['x', 'x']);
    expect(loads).toBe(1);
    await expect(cache.get('bad', async () => { throw new Error('db down'); })).rejects.toThrow('db down');
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('bad', async () => 'recovered')).toBe('recovered');
  });

  it('keepMissing: false does not keep an absent row (it may be created soon); the default keeps "not linked" answers', async () => {
    const cache = new ReferenceCache();
    let row: string | undefined;
    const load = async () => row;
    expect(await cache.get('license-type:X', load, { keepMissing: false })).toBeUndefined();
    await new Promise((r) => setImmediate(r));
    row = 'created';
    expect(await cache.get('license-type:X', load, { keepMissing: false })).toBe('created');
    let link: string | null = null;
    expect(await cache.get('license-link:P', async () => link)).toBeNull();
    link = 'linked';
    expect(await cache.get('license-link:P', async () => link)).toBeNull(); // kept until invalidated or expired
    cache.invalidate('license-link:');
    expect(await cache.get('license-link:P', async () => link)).toBe('linked');
  });

  it('invalidate forgets the keys under each prefix only', async () => {
    const cache = new ReferenceCache();
    let n = 0;
    const load = async () => ++n;
    await cache.get('license-type:A', load);
    await cache.get('license-type:B', load);
    await cache.get('department:id:x', load);
    cache.invalidate('license-type:A', 'nothing:');
    expect(await cache.get('license-type:A', load)).toBe(4);
    expect(await cache.get('license-type:B', load)).toBe(2);
    expect(await cache.get('department:id:x', load)).toBe(3);
  });
});

describe('request scope (one read per HTTP request of a fact several steps ask for)', () => {
  it('outside a request nothing is remembered', async () => {
    let n = 0;
    expect(await memoInRequest('credit-records:h', async () => ++n)).toBe(1);
    expect(await memoInRequest('credit-records:h', async () => ++n)).toBe(2);
  });

  it('inside one request a key is read once, forgotten on write, and never shared with another request', async () => {
    let n = 0;
    const load = async () => ++n;
    const inRequest = (fn: () => Promise<number[]>) => new Promise<number[]>((resolve, reject) => runInRequestScope(() => { fn().then(resolve, reject); }));
    const first = await inRequest(async () => {
      const a = await memoInRequest('credit-records:h', load);
      const b = await memoInRequest('credit-records:h', load);
      forgetInRequest('credit-records:');
      const c = await memoInRequest('credit-records:h', load);
      return [a, b, c];
    });
    expect(first).toEqual([1, 1, 2]);
    const second = await inRequest(async () => [await memoInRequest('credit-records:h', load)]);
    expect(second).toEqual([3]);
  });
});
