import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, idNumber, launchBrowser, releaseBrowser, login, openPage, type TrackedPage } from './harness';

/** The demo citizen 张晓梅 (server/src/seed/demo-accounts.ts: validIdNumber('34050319900307002')). */
const CITIZEN_ID = '340503199003070027';

async function presentationText(page: Page, licenseCard: ReturnType<Page['locator']>, fields: string[], audience?: string): Promise<string> {
  await licenseCard.getByTestId('wallet-present').click();
  const modal = page.getByTestId('present-modal').last();
  await modal.waitFor();
  for (const f of fields) await modal.getByTestId(`present-field-${f}`).check();
  if (audience) {
    await modal.getByTestId('present-audience').click();
    await page.locator('.ant-select-item-option', { hasText: audience }).first().click();
  }
  await modal.getByTestId('present-create').click();
  await modal.getByTestId('presentation-qr').waitFor();
  const text = await modal.getByTestId('presentation-text').inputValue();
  expect(text.startsWith('MZVP1.')).toBe(true);
  await page.keyboard.press('Escape');
  await modal.waitFor({ state: 'hidden' });
  return text;
}

async function verifyAsBank(page: Page, text: string) {
  await page.goto('/licenses/verify');
  await page.getByTestId('verify-presentation-input').fill(text);
  await page.getByTestId('verify-presentation-submit').click();
  const result = page.getByTestId('verify-result');
  await result.waitFor();
  return result;
}

describe.skipIf(!baseUrl)('e-license: issue → holder shows a QR → the bank verifies only the chosen fields; a revoked license is rejected', () => {
  let browser: Browser;
  let issuer: TrackedPage;
  let citizen: TrackedPage;
  let bank: TrackedPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    [issuer, citizen, bank] = await Promise.all([openPage(browser), openPage(browser), openPage(browser)]);
    await login(issuer.page, 'issuer');
    await login(citizen.page, 'citizen');
    await login(bank.page, 'bank');
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('runs the whole flow in the browser', async () => {
    // 1. 马鞍山市民政局 issues a 结婚证 to the citizen.
    const ip = issuer.page;
    await ip.getByTestId('nav-licenses-issuer').click();
    await ip.waitForURL(/\/licenses\/issuer$/);
    await ip.getByTestId('issue-holder-name').fill('张晓梅');
    await ip.getByTestId('issue-holder-code').fill(CITIZEN_ID);
    await ip.getByTestId('issue-field-registrationDate').fill('2026-02-14');
    await ip.getByTestId('issue-field-spouseName').fill('刘明');
    await ip.getByTestId('issue-field-spouseIdNumber').fill(idNumber('34050419880506001'));
    await ip.getByTestId('issue-field-registrationAuthority').fill('马鞍山市民政局');
    await ip.getByTestId('issue-submit').click();
    const identifier = (await ip.getByTestId('issued-identifier').textContent())!.trim();
    expect(identifier).toMatch(/^1\.2\.156\.3005\.2\.\w{21}\.\w{18}\.\w+\.001\.[0-9A-Z]$/);

    // 2. The holder finds it in the wallet and shows a QR code with two fields, for the bank.
    const cp = citizen.page;
    await cp.getByTestId('nav-licenses-wallet').click();
    await cp.waitForURL(/\/licenses\/wallet$/);
    const card = cp.locator('[data-testid^="wallet-license-"]', { has: cp.getByText(identifier, { exact: true }) });
    await card.waitFor();
    const first = await presentationText(cp, card, ['registrationDate'], '工商银行马鞍山分行');

    // 3. The bank verifies it and sees only 持证主体 and 登记日期 (plus the always-shown 登记机关).
    const result = await verifyAsBank(bank.page, first);
    expect(await result.getAttribute('data-verified')).toBe('true');
    expect(await bank.page.getByTestId('disclosed-field-holderName').textContent()).toBe('张晓梅');
    expect(await bank.page.getByTestId('disclosed-field-registrationDate').textContent()).toBe('2026-02-14');
    expect(await bank.page.getByTestId('disclosed-field-registrationAuthority').count()).toBe(1);
    expect(await bank.page.getByTestId('disclosed-field-spouseName').count()).toBe(0);
    expect(await bank.page.getByTestId('disclosed-field-holderCode').count()).toBe(0);
    expect(await bank.page.content()).not.toContain('刘明');

    // The same QR code a second time is a replay.
    const replay = await verifyAsBank(bank.page, first);
    expect(await replay.getAttribute('data-verified')).toBe('false');
    await bank.page.getByTestId('verify-error-LICENSE.PRESENTATION_REPLAYED').waitFor();

    // 4. The holder makes another QR code; then the issuer revokes the license.
    const second = await presentationText(cp, card, []);
    await ip.getByTestId('issuer-tab-list').click();
    await ip.getByTestId('issued-search').locator('input').fill(identifier);
    await ip.getByTestId('issued-search').locator('input').press('Enter');
    const row = ip.locator(`[data-testid="issued-row"][data-identifier="${identifier}"]`);
    await row.getByTestId('issued-revoke').click();
    await ip.getByTestId('status-reason').fill('登记信息有误,依法撤销');
    await ip.getByTestId('status-confirm').click();
    await row.getByTestId('license-status').filter({ hasText: '已吊销' }).waitFor();

    // 5. The bank scans the second code: rejected, because the license is revoked.
    const revoked = await verifyAsBank(bank.page, second);
    expect(await revoked.getAttribute('data-verified')).toBe('false');
    await bank.page.getByTestId('verify-error-LICENSE.REVOKED').waitFor();
    expect(await bank.page.getByTestId('disclosed-fields').count()).toBe(0);

    // The holder's wallet shows the license as revoked and the bank's use of it.
    await cp.reload();
    await card.getByTestId('license-status').filter({ hasText: '已吊销' }).waitFor();

    for (const t of [issuer, citizen, bank]) expect(t.pageErrors).toEqual([]);
  });
});
