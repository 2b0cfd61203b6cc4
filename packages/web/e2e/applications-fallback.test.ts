import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage } from './harness';
import { api } from './applications-support';

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

/**
 * Fallback with a provider node down. The demo cannot stop a sample node from outside, so the
 * data administrator points 马鞍山市民政局's node (node-mas-mz, marriage status) at a closed
 * port — to the platform exactly a stopped node (connection refused) — and restores it after.
 * The citizen applies for 结婚登记: 婚姻状况证明 falls back from data sharing to the commitment
 * route, the application says why, and the citizen signs.
 */
describe.skipIf(!baseUrl)('a provider node is down: the next method, with the reason', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('婚姻状况证明 falls back from data sharing to the commitment route, and the applicant is told why', async () => {
    const admin = await openPage(browser);
    await login(admin.page, 'dataadmin');
    const node = await api.get<{ endpoint: string }>(admin.page, '/api/v1/exchange/providers/node-mas-mz');
    const citizen = await openPage(browser);
    try {
      // A port just freed: nothing listens there (connection refused), and a new endpoint gives the client a fresh circuit breaker.
      await api.patch(admin.page, '/api/v1/exchange/providers/node-mas-mz', { endpoint: `http://127.0.0.1:${await closedPort()}` });

      await login(citizen.page, 'citizen');
      const { page } = citizen;
      await page.goto('/apply?serviceItem=340500-JHDJ');
      await page.getByTestId('apply-next').click();
      await page.getByTestId('apply-plan').waitFor();
      await page.getByTestId('apply-next').click();
      await page.getByTestId('apply-phone').fill('13600136000');
      await page.getByTestId('apply-next').click();
      await page.getByTestId('apply-submit').click();
      await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);

      const marriage = page.getByTestId('application-material').filter({ hasText: '婚姻状况证明' });
      await marriage.waitFor();
      expect(await marriage.getAttribute('data-status')).toBe('awaiting_signature');
      expect(await marriage.getAttribute('data-method')).toBe('commitment');
      const explanation = (await marriage.getByTestId('material-explanation').textContent()) ?? '';
      expect(explanation).toContain('数据共享未能使用');
      expect(explanation).toMatch(/无法连接|熔断/);
      await marriage.getByText('办理过程', { exact: true }).click();
      const attempts = marriage.getByTestId('material-attempts');
      expect(await attempts.locator('li[data-method="data_sharing"]').getAttribute('data-outcome')).toBe('unavailable');
      expect(await attempts.locator('li[data-method="commitment"]').count()).toBe(1);
      // Never silently paper: nothing asks for an upload.
      expect(await page.getByTestId('material-upload').count()).toBe(0);

      await marriage.getByTestId('material-sign-link').click();
      for (let i = 0; i < 4; i++) await page.getByTestId(`commitment-statement-${i}`).click();
      await page.getByTestId('commitment-sign').click();
      await page.getByTestId('commitment-sign-confirm').click();
      await page.getByTestId('commitment-signed').waitFor();

      expect(citizen.pageErrors).toEqual([]);
      expect(admin.pageErrors).toEqual([]);
    } finally {
      await api.patch(admin.page, '/api/v1/exchange/providers/node-mas-mz', { endpoint: node.endpoint });
      await citizen.context.close();
      await admin.context.close();
    }
  });
});
