import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, openPage } from './harness';

/**
 * 等保 2.0 定期更换: a staff account whose password is past PASSWORD_MAX_AGE_DAYS (90) signs in,
 * is shown why and made to change it — the modal cannot be closed, and a reused password is
 * refused — then reaches its page.
 *
 * No route makes a password old, and rightly so: this flow runs a platform of its own (an empty
 * embedded database, no demo data) and writes its staff account into that database while the
 * platform is stopped, the way only someone holding the database could. It runs with the other
 * browser flows (E2E_BASE_URL set) but not against that server: an embedded database has one
 * process at a time.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const USERNAME = 'supervisor-aged';
const OLD_PASSWORD = 'Aged#2026pw';
const NEW_PASSWORD = 'Fresh#2026pw';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The platform on `dataDir` (no demo data, no sample providers), healthy at the returned URL. */
async function startServer(dataDir: string, port: number): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/server.ts'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'false', SAMPLE_PROVIDERS: 'false', PROVIDER_BASE_PORT: '0', LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => { stderr += String(chunk); });
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 90_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the platform stopped (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, process: child };
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill('SIGTERM');
  throw new Error(`the platform did not start: ${stderr.slice(-2000)}`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** An scrypt hash in the platform's format (`scrypt$N$r$p$salt$hash`, see identity/adapters/password-hasher.ts). */
function scryptHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFKC'), salt, 32, { N: 1024, r: 8, p: 1 });
  return `scrypt$1024$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

describe.skipIf(!baseUrl)('an expired staff password', () => {
  let browser: Browser;
  let dataDir: string;
  let server: ChildProcess | undefined;
  let url: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mz-e2e-expiry-'));
    const port = await freePort();
    // first start: the schema and the reference data (regions)
    server = (await startServer(dataDir, port)).process;
    await stopServer(server);
    // a supervisor whose password was set 120 days ago
    const db = await PGlite.create({ dataDir: path.join(dataDir, 'pglite'), extensions: { pg_trgm } });
    await db.query(
      `INSERT INTO accounts (id, username, display_name, kind, password_hash, roles, region_code, password_changed_at)
       VALUES ($1, $2, '钱督查', 'staff', $3, ARRAY['supervisor'], '340000', now() - interval '120 days')`,
      [randomUUID(), USERNAME, scryptHash(OLD_PASSWORD)],
    );
    await db.close();
    const started = await startServer(dataDir, port);
    server = started.process;
    url = started.url;
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await releaseBrowser(browser);
    if (server) await stopServer(server);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in, must change the password in a modal that cannot be closed, then reaches its page', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    await page.goto(`${url}/login`);
    await page.getByTestId('login-username').fill(USERNAME);
    await page.getByTestId('login-password').fill(OLD_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user-name').waitFor();

    // the modal, with the reason (Chinese first); the page behind it is not shown
    const modal = page.getByTestId('change-password-modal');
    await modal.getByText('密码已到期，请修改密码').waitFor();
    await modal.getByTestId('change-password-expired').getByText('工作人员账号的密码须定期更换').waitFor();
    await page.getByTestId('password-expired').waitFor();
    expect(await page.getByTestId('dashboard-page').count()).toBe(0);
    // no way to close it: no close button, no cancel button, Escape and a click outside do nothing
    expect(await modal.locator('.ant-modal-close').count()).toBe(0);
    expect(await modal.getByRole('button', { name: /取\s*消/ }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.mouse.click(5, 450);
    await modal.getByText('密码已到期，请修改密码').waitFor();

    // the server refuses anything else from this session
    const refused = await page.request.get(`${url}/api/v1/stats/exemption-rate`);
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('AUTH.PASSWORD_EXPIRED');

    // the old password again: refused, on the new password's field
    await page.getByTestId('change-password-current').fill(OLD_PASSWORD);
    await page.getByTestId('change-password-new').fill(OLD_PASSWORD);
    await page.getByTestId('change-password-confirm').fill(OLD_PASSWORD);
    await page.getByTestId('change-password-submit').click();
    await modal.getByText('新密码不能与最近 5 次使用过的密码（含当前密码）相同').waitFor();

    await page.getByTestId('change-password-new').fill(NEW_PASSWORD);
    await page.getByTestId('change-password-confirm').fill(NEW_PASSWORD);
    await page.getByTestId('change-password-submit').click();
    await page.getByText('密码已修改，其他设备上的登录已全部退出（结束 0 个登录）').waitFor();
    await modal.waitFor({ state: 'hidden' });
    await page.getByTestId('dashboard-page').waitFor();
    expect(await page.getByTestId('password-expired').count()).toBe(0);
    const me = await (await page.request.get(`${url}/api/v1/auth/me`)).json();
    expect(me).toMatchObject({ username: USERNAME });
    expect(me.passwordExpired).toBeUndefined();

    // signing in again with the new password goes straight to the page
    await page.getByTestId('logout-button').click();
    await page.getByTestId('login-link').waitFor();
    await page.goto(`${url}/login`);
    await page.getByTestId('login-username').fill(USERNAME);
    await page.getByTestId('login-password').fill(NEW_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard-page').waitFor();
    expect(await page.getByTestId('change-password-modal').count()).toBe(0);

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
