import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, openPage, type TrackedPage } from './harness';

describe.skipIf(!baseUrl)('a member of the public reads why no proof is needed', () => {
  let browser: Browser;
  let tracked: TrackedPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    tracked = await openPage(browser);
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('searches 无犯罪, opens 无犯罪记录证明, then a service item and its per-material explanations', async () => {
    const { page } = tracked;
    await page.goto('/');

    // Full-text search: the fragment 无犯罪 finds 无犯罪记录证明.
    const search = page.getByTestId('catalog-search').locator('input');
    await search.fill('无犯罪');
    await search.press('Enter');
    await page.waitForURL(/[?&]q=/);
    const proofLink = page.getByTestId('proof-items-table').getByTestId('proof-item-link').filter({ hasText: /^无犯罪记录证明$/ });
    await proofLink.first().waitFor();
    await proofLink.first().click();

    // Proof item page: name, legal basis, the service items that require it.
    await page.waitForURL(/\/proof-items\//);
    await expect.poll(() => page.getByTestId('proof-item-name').textContent()).toBe('无犯罪记录证明');
    const legalBasis = (await page.getByTestId('proof-item-legal-basis').textContent())?.trim() ?? '';
    expect(legalBasis.length).toBeGreaterThan(2);
    expect(await page.getByTestId('proof-item-methods').getByTestId('method-tag').count()).toBeGreaterThan(0);
    const serviceLinks = page.getByTestId('proof-item-service-items').getByTestId('service-item-link');
    await serviceLinks.first().waitFor();
    const serviceName = (await serviceLinks.first().textContent())?.trim();
    expect(serviceName).toBeTruthy();
    await serviceLinks.first().click();

    // Service item page: every material says whether it must be provided, and why.
    await page.waitForURL(/\/service-items\//);
    await expect.poll(() => page.getByTestId('service-item-name').textContent()).toBe(serviceName);
    const cards = page.getByTestId('material-card');
    await cards.first().waitFor();
    const count = await cards.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const card = cards.nth(i);
      const mustProvide = await card.getAttribute('data-must-provide');
      const status = (await card.getByTestId('material-status').textContent())?.trim();
      expect(status).toBe(mustProvide === 'true' ? '需要提交' : '无需提交');
      const explanation = (await card.getByTestId('material-explanation').textContent())?.trim() ?? '';
      expect(explanation.length).toBeGreaterThan(4);
    }

    // The material backed by 无犯罪记录证明 is there, explained, with its legal basis.
    const ours = cards.filter({ hasText: '无犯罪记录证明' });
    expect(await ours.count()).toBeGreaterThan(0);
    expect((await ours.first().getByTestId('material-explanation').textContent())?.trim()).toBeTruthy();
    expect((await ours.first().getByTestId('material-legal-basis').textContent())?.trim()).toBeTruthy();

    expect(tracked.pageErrors).toEqual([]);
  });

  it('适老化 mode enlarges the type and English switches the interface; both persist across a reload', async () => {
    const { page } = tracked;
    await page.goto('/');
    const title = page.locator('.mz-hero-subtitle').first();
    await title.waitFor();
    const size = async () => Number.parseFloat(await title.evaluate((el) => getComputedStyle(el).fontSize));
    const normal = await size();
    await page.getByTestId('elderly-toggle').click();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('mz-elderly'))).toBe(true);
    await expect.poll(size).toBeGreaterThan(normal);
    const navZh = (await page.locator('.ant-menu').first().textContent()) ?? '';
    expect(navZh).toMatch(/[\u4e00-\u9fff]/);
    await page.getByTestId('lang-switch').click();
    await expect.poll(async () => (await page.locator('.ant-menu').first().textContent()) ?? '').not.toBe(navZh);
    const navEn = (await page.locator('.ant-menu').first().textContent()) ?? '';
    expect(navEn).toMatch(/[A-Za-z]{4}/);

    await page.reload();
    await title.waitFor();
    expect(await page.evaluate(() => document.body.classList.contains('mz-elderly'))).toBe(true);
    await expect.poll(async () => (await page.locator('.ant-menu').first().textContent()) ?? '').toBe(navEn);

    // back to the defaults, for whoever uses this browser next
    await page.getByTestId('elderly-toggle').click();
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('mz-elderly'))).toBe(false);
    await expect.poll(size).toBe(normal);
    expect(tracked.pageErrors).toEqual([]);
  });
});
