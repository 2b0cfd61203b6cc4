import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage } from './harness';

/**
 * 自助办: a self-service terminal set up with ?kiosk=1 (here with a short idle time). A visit
 * nobody touches is warned of, then ended — signed out on the server, the visitor's language
 * choice undone, a reminder to take one's documents — and 继续办理 keeps a visit going.
 */
describe.skipIf(!baseUrl)('self-service terminal (自助办)', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await releaseBrowser(browser); });

  it('ends an untouched visit: signed out, the terminal back to its defaults; 继续办理 keeps one going', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await page.goto('/login?kiosk=1&idle=5');
    // the page has taken the setting (it is kept when the app renders) before anything navigates away
    await page.getByTestId('kiosk-badge').waitFor();
    await login(page, 'citizen');
    await page.getByTestId('kiosk-badge').waitFor();
    expect(await page.evaluate(() => document.body.classList.contains('mz-elderly'))).toBe(true);

    // 继续办理 keeps the visit
    await page.getByTestId('kiosk-idle-modal').waitFor({ timeout: 20_000 });
    await page.getByTestId('kiosk-continue').click();
    await page.getByTestId('kiosk-idle-modal').waitFor({ state: 'detached' });
    expect((await page.request.get('/api/v1/auth/me')).status()).toBe(200);

    // the visitor switches to English, then walks away
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByTestId('kiosk-idle-modal').waitFor({ timeout: 20_000 });
    await page.getByTestId('kiosk-ended').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.getByTestId('kiosk-ended').textContent()).toContain('请取走您的身份证件');
    // the session is over on the server, not only in the page
    expect((await page.request.get('/api/v1/auth/me')).status()).toBe(401);
    // the terminal stays a kiosk for the next visitor
    await page.goto('/');
    await page.getByTestId('kiosk-badge').waitFor();

    // ?kiosk=0 turns it back into an ordinary browser
    await page.goto('/?kiosk=0');
    await page.getByTestId('brand').waitFor();
    expect(await page.getByTestId('kiosk-badge').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
