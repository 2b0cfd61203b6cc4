import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage, type TrackedPage } from './harness';

/** The demo accounts' identity numbers (packages/server/src/seed/demo-accounts.ts). */
const CITIZEN_ID = '340503199003070027';
const AGENT_ID = '340504198506120032';

/**
 * Needs a server started with the sample provider nodes (`npm start`, or SAMPLE_PROVIDERS=true):
 * a clerk of 马鞍山市公安局 files two walk-in applications (户口迁移登记, one for the citizen,
 * one for the agent), then asks 民政 about the citizen for the first (through the UI) and about
 * the agent for the second (through the API); the citizen reads the first on 谁用了我的数据 and
 * never the second. A number that names no application in hand is refused.
 */
describe.skipIf(!baseUrl)('数据共享: a citizen sees the query about them, and nobody else\'s', () => {
  let browser: Browser;
  let mine = '';
  let theirs = '';

  /** As the clerk: check the walk-in person's document, then file and submit 户口迁移登记 for them. */
  async function walkIn(page: Page, name: string, code: string): Promise<string> {
    const check = await page.request.post('/api/v1/identity-checks', { data: { name, code, documentInspected: true } });
    expect(check.status(), await check.text()).toBe(201);
    const filed = await page.request.post('/api/v1/applications', { data: { serviceItemCode: '340500-HKQY', form: { 来源: '窗口' }, identityCheckId: ((await check.json()) as { id: string }).id, submit: true } });
    expect(filed.status(), await filed.text()).toBeLessThan(300);
    return ((await filed.json()) as { ref: string }).ref;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('a clerk queries 婚姻状况 of the citizen in the UI: answered, signed, with the as-of time', async () => {
    const tracked: TrackedPage = await openPage(browser);
    const { page } = tracked;
    await login(page, 'clerk');
    mine = await walkIn(page, '张晓梅', CITIZEN_ID);
    theirs = await walkIn(page, '李帮办', AGENT_ID);
    await page.getByTestId('nav-exchange-query').click();
    await page.waitForURL(/\/exchange\/query$/);
    await page.getByTestId('query-item').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '婚姻状况' }).first().click();
    await page.getByTestId('query-param-idNumber').fill(CITIZEN_ID);
    await page.getByTestId('query-purpose').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '办件受理审核' }).first().click();
    await page.getByTestId('query-legal-basis').fill('《婚姻登记条例》第五条');
    // a number that is no application of 公安 in hand: refused, nothing sent
    await page.getByTestId('query-application').fill('BJ-NO-SUCH-CASE');
    await page.getByTestId('query-submit').click();
    const result = page.getByTestId('query-result');
    await result.waitFor();
    expect(await result.getByTestId('outcome-tag').getAttribute('data-outcome')).toBe('denied');
    expect(await result.textContent()).toContain('no_open_case');
    await page.getByTestId('query-application').fill(mine);
    await page.getByTestId('query-submit').click();
    await result.getByTestId('answer-married').waitFor();
    expect(await result.getByTestId('outcome-tag').getAttribute('data-outcome')).toBe('answered');
    expect(await result.getByTestId('answer-married').textContent()).toBe('否');
    expect(await result.getByTestId('query-as-of').textContent()).toMatch(/\d{4}/);

    // … and one about another person, through the API with the same session
    const other = await page.request.post('/api/v1/exchange/queries', {
      data: { itemCode: 'marriage-status', params: { idNumber: AGENT_ID }, purpose: 'application_review', applicationRef: theirs, legalBasis: '《婚姻登记条例》第五条' },
    });
    expect(other.status()).toBe(200);
    expect(((await other.json()) as { outcome: string }).outcome).toBe('answered');
    expect(tracked.pageErrors).toEqual([]);
    await tracked.context.close();
  });

  it('the citizen reads it on 谁用了我的数据 — who, what, for which application, on which basis — and not the other person\'s', async () => {
    const tracked = await openPage(browser);
    const { page } = tracked;
    await login(page, 'citizen');
    await page.getByTestId('nav-me-access-log').click();
    await page.waitForURL(/\/me\/access-log$/);
    // the application's own resolution may have read other data under the same number: the clerk's query is the 婚姻状况 row
    const row = page.locator(`[data-testid="access-row"][data-application="${mine}"]`).filter({ has: page.getByTestId('access-what').getByText('婚姻状况', { exact: true }) });
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.getByTestId('access-who').textContent()).toContain('马鞍山市公安局');
    expect(await row.getByTestId('access-what').textContent()).toBe('婚姻状况');
    expect(await row.textContent()).toContain('《婚姻登记条例》第五条');
    expect(await row.textContent()).toContain('办件受理审核');
    expect(await page.locator(`[data-testid="access-row"][data-application="${theirs}"]`).count()).toBe(0);
    // not on any other page of the list either
    const all = (await (await page.request.get('/api/v1/me/access-log?pageSize=100')).json()) as { items: Array<{ applicationRef: string | null }> };
    expect(all.items.some((i) => i.applicationRef === mine)).toBe(true);
    expect(all.items.some((i) => i.applicationRef === theirs)).toBe(false);
    expect(tracked.pageErrors).toEqual([]);
    await tracked.context.close();
  });

  it('the other person (the agent) sees theirs, not the citizen\'s', async () => {
    const tracked = await openPage(browser);
    const { page } = tracked;
    await login(page, 'agent');
    await page.getByTestId('nav-me-access-log').click();
    await page.locator(`[data-testid="access-row"][data-application="${theirs}"]`).first().waitFor();
    expect(await page.locator(`[data-testid="access-row"][data-application="${mine}"]`).count()).toBe(0);
    await tracked.context.close();
  });

  it('the data administrator finds both in the exchange log, filtered by application', async () => {
    const tracked = await openPage(browser);
    const { page } = tracked;
    await login(page, 'dataadmin');
    await page.getByTestId('nav-exchange-log').click();
    await page.getByTestId('log-filter-application').fill(mine);
    await page.getByTestId('log-search').click();
    // the rows shown before the search (every application's) are replaced once it answers: wait for those
    await expect.poll(async () => {
      const apps = await page.getByTestId('log-application').allTextContents();
      return apps.length > 0 && apps.every((a) => a === mine);
    }).toBe(true);
    await page.getByTestId('nav-exchange-directory').click();
    await page.locator('[data-testid="provider-row"][data-provider="node-mas-mz"]').waitFor();
    await tracked.context.close();
  });
});
