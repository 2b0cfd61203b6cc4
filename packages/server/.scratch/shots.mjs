import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8092';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
async function as(user, fn) {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 }, baseURL: base });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('/login');
  await page.getByTestId('login-username').fill(user);
  await page.getByTestId('login-password').fill('Demo@2026');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user-name').waitFor();
  await fn(page);
  if (errors.length) console.log(user, 'errors:', errors.slice(0, 5));
  await ctx.close();
}
await as('clerk', async (page) => {
  await page.getByTestId('nav-exchange-query').click();
  await page.getByTestId('query-item').click();
  await page.getByText('婚姻状况(马鞍山市民政局婚姻登记共享节点)').click();
  await page.getByTestId('query-param-idNumber').fill('340503199003070027');
  await page.getByTestId('query-purpose').click();
  await page.getByText('办件受理审核').last().click();
  await page.getByTestId('query-application').fill('BJ-SHOT-0001');
  await page.getByTestId('query-legal-basis').fill('《婚姻登记条例》第五条');
  await page.getByTestId('query-submit').click();
  await page.getByTestId('query-result').waitFor();
  await page.screenshot({ path: '/tmp/shots/query.png', fullPage: true });
});
await as('citizen', async (page) => {
  await page.getByTestId('nav-me-access-log').click();
  await page.getByTestId('access-row').first().waitFor();
  await page.screenshot({ path: '/tmp/shots/me.png', fullPage: true });
});
await as('dataadmin', async (page) => {
  await page.getByTestId('nav-exchange-directory').click();
  await page.getByTestId('provider-row').first().waitFor();
  await page.locator('[data-provider="node-mas-mz"] .ant-table-row-expand-icon').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: '/tmp/shots/directory.png', fullPage: true });
  await page.getByTestId('nav-exchange-log').click();
  await page.getByTestId('log-row').first().waitFor();
  await page.screenshot({ path: '/tmp/shots/log.png', fullPage: true });
});
await browser.close();
