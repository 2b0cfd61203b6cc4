import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8091';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
async function as(user, path, file, after) {
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', baseURL: base });
  const p = await ctx.newPage();
  p.on('pageerror', (e) => console.log(file, 'pageerror', e.message));
  if (user) {
    await p.goto('/login');
    await p.getByTestId('login-username').fill(user);
    await p.getByTestId('login-password').fill('Demo@2026');
    await p.getByTestId('login-submit').click();
    await p.getByTestId('current-user-name').waitFor();
  }
  await p.goto(path);
  await p.waitForTimeout(2000);
  if (after) await after(p);
  await p.screenshot({ path: `/tmp/shot-${file}.png`, fullPage: false });
  await ctx.close();
}
await as('citizen', '/licenses/wallet', 'wallet');
await as('citizen', '/licenses/wallet', 'present', async (p) => {
  await p.locator('[data-testid^="wallet-license-"]').first().getByTestId('wallet-present').click();
  await p.getByTestId('present-field-registrationDate').check().catch(() => {});
  await p.getByTestId('present-create').click();
  await p.getByTestId('presentation-qr').waitFor();
});
await as('issuer', '/licenses/issuer', 'issuer');
await as('dataadmin', '/licenses/types', 'types');
await as(null, '/licenses/usage', 'usage');
await as('bank', '/licenses/verify', 'verify');
await b.close();
