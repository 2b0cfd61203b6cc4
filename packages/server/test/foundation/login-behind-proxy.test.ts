import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

const PROXY = '10.9.0.1';
let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform({ env: { TRUST_PROXY: `${PROXY},10.9.1.0/24` } }); });
afterAll(async () => { await p?.close(); });

const viaProxy = (client: string, username: string, password: string, proxy = PROXY) => p.app.inject({
  method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: proxy, headers: { 'x-forwarded-for': client },
});

describe('login behind a reverse proxy (TRUST_PROXY)', () => {
  it('counts failures per client address, not per proxy: fifty failures from one client do not lock everybody out', async () => {
    // fifty wrong guesses from one client (different usernames: the per-username limit plays no part)
    for (let i = 0; i < 50; i++) expect((await viaProxy('203.0.113.7', `guess${i}`, 'wrong')).statusCode).toBe(401);
    expect((await viaProxy('203.0.113.7', 'citizen', DEMO_PASSWORD)).json().error.code).toBe('AUTH.THROTTLED');
    // another client behind the same proxy signs in
    const other = await viaProxy('198.51.100.20', 'citizen', DEMO_PASSWORD);
    expect(other.statusCode).toBe(200);
  });

  it('believes X-Forwarded-For only from the configured proxies', async () => {
    // a direct caller cannot pick its address: the spoofed header is ignored, the peer address is counted
    for (let i = 0; i < 50; i++) expect((await viaProxy(`192.0.2.${i}`, `spoof${i}`, 'wrong', '10.66.0.1')).statusCode).toBe(401);
    expect((await viaProxy('192.0.2.200', 'citizen', DEMO_PASSWORD, '10.66.0.1')).json().error.code).toBe('AUTH.THROTTLED');
    // a proxy within a configured range is believed
    expect((await viaProxy('198.51.100.21', 'citizen', DEMO_PASSWORD, '10.9.1.77')).statusCode).toBe(200);
  });

  it('TRUST_PROXY is read at boot: proxy addresses or CIDR ranges, nothing else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', '::1']);
    for (const bad of ['true', '1', 'proxy.local', '10.0.0.0/33', '10.0.0.1/8/8']) expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
  });
});
