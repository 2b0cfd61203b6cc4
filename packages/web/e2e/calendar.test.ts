import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage } from './harness';

/**
 * 节假日安排: the data administrator reads the first year the calendar package does not know yet
 * (statutory holidays only, with a warning), enters a make-up workday from the State
 * Council's notice, and the year's list shows it as an administrator's entry.
 */
describe.skipIf(!baseUrl)('the official calendar (节假日安排)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('the data administrator enters a 调休 workday for a year the package does not know and sees it take effect', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'dataadmin');
    // the first year from now on that the calendar package does not know yet (2027 as this is written)
    let YEAR = new Date().getFullYear();
    type Year = { source: string; days: Array<{ date: string; source: string }> };
    let known: Year;
    while ((known = (await (await page.request.get(`/api/v1/calendar/${YEAR}`)).json()) as Year).source !== 'statutory') YEAR++;
    expect(YEAR).toBeLessThanOrEqual(new Date().getFullYear() + 4); // the page offers up to four years ahead
    // a Saturday in February that is no statutory holiday (春节 may fall on one): the kind of day a notice makes a 调休 workday
    const statutory = new Set(known.days.filter((d) => d.source === 'statutory').map((d) => d.date));
    let makeUp = `${YEAR}-02-01`;
    while (new Date(`${makeUp}T00:00:00Z`).getUTCDay() !== 6 || statutory.has(makeUp)) makeUp = new Date(Date.parse(`${makeUp}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    // a known starting point when the same server ran this before
    expect((await page.request.put(`/api/v1/calendar/${YEAR}`, { data: { days: [] } })).status()).toBe(200);

    await page.getByTestId('nav-calendar').click();
    await page.waitForURL(/\/calendar$/);
    await page.getByTestId('calendar-year').click();
    await page.locator('.ant-select-item-option').filter({ hasText: String(YEAR) }).first().click();
    await page.locator(`[data-testid="calendar-source"][data-source="statutory"]`).waitFor();
    expect(await page.getByTestId('calendar-warning').textContent()).toContain(String(YEAR));
    const newYear = page.locator(`[data-testid="calendar-day"][data-date="${YEAR}-01-01"]`);
    expect(await newYear.getAttribute('data-source')).toBe('statutory');
    expect(await newYear.textContent()).toContain('元旦');

    await page.getByTestId('override-add').click();
    const row = page.getByTestId('override-row').last();
    await row.getByTestId('override-date').fill(makeUp);
    await row.getByTestId('override-work').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '班' }).last().click();
    await row.getByTestId('override-name').fill('春节调休上班');
    await page.getByTestId('calendar-save').click();

    const entered = page.locator(`[data-testid="calendar-day"][data-date="${makeUp}"][data-source="override"]`);
    await entered.waitFor();
    expect(await entered.textContent()).toContain('春节调休上班');
    await page.getByTestId('calendar-warning').waitFor({ state: 'detached' });
    const api = (await (await page.request.get(`/api/v1/calendar/${YEAR}`)).json()) as { overridden: number; days: Array<{ date: string; work: boolean; source: string }> };
    expect(api.overridden).toBe(1);
    expect(api.days.find((d) => d.date === makeUp)).toMatchObject({ work: true, source: 'override' });

    // leave the year as it was for the rest of the suite
    expect((await page.request.put(`/api/v1/calendar/${YEAR}`, { data: { days: [] } })).status()).toBe(200);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
