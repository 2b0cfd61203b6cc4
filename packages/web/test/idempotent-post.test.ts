/**
 * Filing with an Idempotency-Key goes through the one API client: the key is sent, and a 401
 * (the session ran out meanwhile) signs the user out like every other call.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, unauthorizedEvent } from '../src/api/http';
import { appsApi } from '../src/pages/applications/applications-api';

const originalWindow = (globalThis as { window?: unknown }).window;
afterEach(() => {
  vi.unstubAllGlobals();
  (globalThis as { window?: unknown }).window = originalWindow;
});

describe('filing with an Idempotency-Key', () => {
  it('sends the key, and a 401 tells the app the session ended', async () => {
    const target = new EventTarget();
    (globalThis as { window?: unknown }).window = target;
    let signedOut = 0;
    target.addEventListener(unauthorizedEvent, () => { signedOut++; });
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ error: { code: 'AUTH.REQUIRED', message: '请先登录', messageEn: 'Sign in first' } }), { status: 401, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);

    const error = await appsApi.apply({ serviceItemCode: '340500-SBK' }, 'web-key-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(signedOut).toBe(1);
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>)['Idempotency-Key']).toBe('web-key-1');
    expect(init.method).toBe('POST');
  });
});
