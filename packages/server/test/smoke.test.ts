import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startPlatform } from '../src/platform.ts';
import { REDACT } from '../src/app.ts';
import { DEMO_PASSWORD } from '../src/seed/demo-accounts.ts';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { openTestDatabase, TEST_MASTER_KEY } from './support/test-database.ts';
import { CITIZEN_ID } from './licenses/helpers.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

describe('platform', () => {
  it('answers health', async () => {
    const res = await p.app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok' });
  });
});

describe('privacy: identity numbers in the request log', () => {
  it('the request log never carries an identity number in clear (querystrings: exchange log subject, issuer license search)', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const { database, drop } = await openTestDatabase();
    const config = loadConfig({ LOG_LEVEL: 'info', SEED_DEMO: 'false' }, { masterKey: TEST_MASTER_KEY, passwordCost: 1024, embedded: database.kind === 'pglite' });
    // the production logger options (app.ts), writing to a buffer instead of stdout
    const { app } = await startPlatform(config, { database, logger: { level: 'info', redact: { paths: REDACT, censor: '[redacted]' }, stream } });
    try {
      await app.ready();
      const token = async (username: string) => (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } })).json().token as string;
      await app.inject({ url: `/api/v1/exchange/log?subject=${CITIZEN_ID}`, headers: { authorization: `Bearer ${await token('supervisor')}` } });
      await app.inject({ url: `/api/v1/licenses?q=${CITIZEN_ID}`, headers: { authorization: `Bearer ${await token('issuer')}` } });
    } finally {
      await app.close();
      await drop();
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes(CITIZEN_ID))).toEqual([]);
    // masked like everywhere else (first 6, last 4), the rest of the URL as it was
    const masked = `${CITIZEN_ID.slice(0, 6)}********${CITIZEN_ID.slice(-4)}`;
    expect(lines.filter((l) => l.includes(`"url":"/api/v1/exchange/log?subject=${masked}"`) || l.includes(`"url":"/api/v1/licenses?q=${masked}"`))).toHaveLength(2);
  });
});
