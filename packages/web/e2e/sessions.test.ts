import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, chooseAccountMenu, launchBrowser, releaseBrowser, login, openPage } from './harness';

/**
 * 在所有设备上退出: a supervisor signed in on two browsers (two contexts, own cookies) ends
 * every sign-in from one of them; the other is signed out at its next request.
 */
describe.skipIf(!baseUrl)('sign out everywhere', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('ends the sign-in on the other browser too', async () => {
    const first = await openPage(browser);
    const second = await openPage(browser);
    await login(first.page, 'supervisor');
    await login(second.page, 'supervisor');
    expect((await second.page.request.get('/api/v1/auth/me')).status()).toBe(200);

    await chooseAccountMenu(first.page, 'logout-everywhere-open', 'logout-everywhere-ok');
    await first.page.getByTestId('logout-everywhere-ok').click();
    await first.page.getByText(/已在所有设备上退出（结束 \d+ 个登录）/).waitFor();
    await first.page.getByTestId('login-link').waitFor();

    // the other browser's session is gone on the server (the platform caches sessions for at most 5 s per instance)
    const me = await second.page.request.get('/api/v1/auth/me');
    expect(me.status()).toBe(401);
    // reloaded, the supervisor's page (a signed-in page) sends the other browser to sign in again
    // and back to that page afterwards; the header's 登录 link shows only for an instant on the way
    // (what this test waited for before, and missed when the browser was slow)
    await second.page.reload();
    await second.page.getByTestId('login-page').waitFor();
    expect(new URL(second.page.url()).pathname).toBe('/login');
    expect(new URL(second.page.url()).searchParams.get('next')).toBe('/supervision');
    expect(first.pageErrors).toEqual([]);
    expect(second.pageErrors).toEqual([]);
    await first.context.close();
    await second.context.close();
  });

  it('signing out of a signed-in page lands on the public home even when its code loads slowly', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    await login(page, 'supervisor');
    await page.getByTestId('dashboard-page').waitFor();
    // the public home's code arrives 1.5 s after it is asked for (a slow network, a busy terminal):
    // the sign-out and the move to the home page are one step, so the signed-in page's role guard
    // never sees the visitor signed out and sends them to the sign-in page instead
    let delayed = 0;
    await context.route(/\/assets\/catalog-search-page-[^/]*\.js$/, async (route) => {
      delayed++;
      await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    await page.getByTestId('logout-button').click();
    await page.getByTestId('login-link').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(delayed).toBe(1);
    expect((await page.request.get('/api/v1/auth/me')).status()).toBe(401);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
