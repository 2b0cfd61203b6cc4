// Screenshots of the main pages, for a person to look at. Also prints console
// warnings/errors (run against `vite` dev to see React/antd warnings).
//   BASE=http://127.0.0.1:8090 OUT=/tmp/shots node packages/web/test-support/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.env.BASE ?? 'http://127.0.0.1:8090';
const out = process.env.OUT ?? '/tmp/mz-shots';
const only = process.env.ONLY?.split(',');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function shoot(name, path, { login, storage, width = 1366, height = 900, full = true, before } = {}) {
  if (only && !only.includes(name)) return;
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width, height }, baseURL: base });
  if (storage) await context.addInitScript((s) => Object.entries(s).forEach(([k, v]) => localStorage.setItem(k, v)), storage);
  const page = await context.newPage();
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && console.log(`[${name}] ${m.type()}: ${m.text().slice(0, 300)}`));
  page.on('pageerror', (e) => console.log(`[${name}] pageerror: ${e.message}`));
  if (login) {
    await page.goto('/login');
    await page.getByTestId('login-username').fill(login);
    await page.getByTestId('login-password').fill('Demo@2026');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user-name').waitFor();
  }
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  if (before) await before(page);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: full });
  await context.close();
  console.log(`${out}/${name}.png`);
}

// Real ids from whichever server answers (mock or real).
const getJson = async (path) => (await fetch(base + path)).json();
const proofId = (await getJson(`/api/v1/proof-items?q=${encodeURIComponent('无犯罪')}`)).items[0]?.id ?? 'p101';
const proof = await getJson(`/api/v1/proof-items/${encodeURIComponent(proofId)}`);
const serviceCode = proof.serviceItems?.[0]?.code ?? '340500-SF-003';
const otherService = (await getJson('/api/v1/service-items?pageSize=5')).items?.find((s) => s.code !== serviceCode)?.code ?? '340500-MZ-010';

await shoot('search', '/?q=%E8%AF%81%E6%98%8E');
await shoot('search-services', '/?tab=service');
await shoot('proof', `/proof-items/${encodeURIComponent(proofId)}`);
await shoot('service', `/service-items/${encodeURIComponent(serviceCode)}`);
await shoot('service-elderly', `/service-items/${encodeURIComponent(otherService)}`, { storage: { 'mianzheng.elderly': '1' } });
await shoot('service-en', `/service-items/${encodeURIComponent(otherService)}`, { storage: { 'mianzheng.locale': 'en' } });
await shoot('versions', '/versions');
await shoot('version-1', '/versions/1');
await shoot('login', '/login');
await shoot('import', '/admin/import', { login: 'catalogadmin' });
await shoot('import-errors', '/admin/import', {
  login: 'catalogadmin',
  before: async (page) => {
    const csv = '证明事项名称,开具部门,行政区划,设定依据,免提交方式,备注\r\n样例证明,马鞍山市公安局,340500,,retained,\r\n,不存在的局,340500,依据,data_sharing,\r\n';
    await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-errors-table').waitFor();
  },
});
await shoot('draft', '/admin/draft', { login: 'catalogadmin' });
await shoot('draft-edit', '/admin/draft', {
  login: 'catalogadmin',
  full: false,
  before: async (page) => {
    await page.getByTestId('draft-edit').first().click();
    await page.getByTestId('field-name').waitFor();
  },
});
await shoot('compare', '/admin/compare', { login: 'catalogadmin' });
await shoot('forbidden', '/admin/draft', { login: 'citizen' });
await shoot('search-mobile', '/', { width: 390, height: 844 });
await browser.close();
