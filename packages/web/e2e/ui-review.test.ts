import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, idNumber, launchBrowser, releaseBrowser, login, openPage } from './harness';
import { fileApplication, settleAsApplicant } from './applications-support';

/** The error texts antd shows under the form item holding `testId`. */
function errorsUnder(page: Page, testId: string): Promise<string[]> {
  return page.locator('.ant-form-item').filter({ has: page.getByTestId(testId) }).last().locator('.ant-form-item-explain-error').allInnerTexts();
}

/** Select boxes of the page's content that a screen reader announces with no name (the aria snapshot's `- combobox` without one). */
async function unnamedComboboxes(page: Page): Promise<number> {
  const snapshot = await page.locator('.mz-content').ariaSnapshot();
  return snapshot.split('\n').filter((line) => /^\s*- combobox\s*(:.*)?$/.test(line)).length;
}

/** Cells of a table whose text runs out of the cell into the next one (overflow visible). */
function overflowingCells(page: Page, table: string): Promise<string[]> {
  return page.locator(table).evaluate((root) =>
    [...root.querySelectorAll('td')]
      .filter((td) => td.scrollWidth > td.clientWidth + 1 && getComputedStyle(td).overflow === 'visible')
      .map((td) => `${td.innerText.trim()} (${td.scrollWidth} > ${td.clientWidth})`));
}

/**
 * Defects a clerk, an applicant and an issuing department met in the UI, each shown as the user
 * saw it: on the demo data of a fresh platform (README's accounts).
 */
describe.skipIf(!baseUrl)('UI review: layout, field errors, English', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
    // the clerk's queue has an application to show whatever ran before this file: one of the
    // citizen's, filed and settled here (户口迁移登记, decided by the clerk's 马鞍山市公安局)
    const citizen = await openPage(browser);
    await login(citizen.page, 'citizen');
    const ready = await settleAsApplicant(citizen.page, await fileApplication(citizen.page, '340500-HKQY'));
    expect(ready.status).toBe('under_review');
    await citizen.context.close();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('the clerk workbench shows each application number and applicant whole, in the normal and the elderly-friendly mode', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'clerk');
    for (const elderly of [false, true]) {
      if (elderly) await page.getByTestId('elderly-toggle').click();
      await page.goto('/workbench');
      await page.getByTestId('workbench-row').first().waitFor();
      // the number ran under the service's name (and the identity mask under the state)
      expect(await overflowingCells(page, '[data-testid="workbench-table"]'), elderly ? 'elderly mode' : 'normal mode').toEqual([]);
    }
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('a clerk whose machine is set to UTC sees review deadlines in Beijing time (the end of a working day, 23:59)', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'UTC', viewport: { width: 1366, height: 900 }, baseURL: baseUrl, reducedMotion: 'reduce' });
    const page = await context.newPage();
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await login(page, 'clerk');
    await page.goto('/workbench');
    await page.getByTestId('workbench-row').first().waitFor();
    // the due column: a deadline is 23:59:59.999 +08:00 of its day (docs/applications.md), shown 15:59 before
    const dues = await page.locator('[data-testid="workbench-row"] td:nth-child(7)').allInnerTexts();
    expect(dues.length).toBeGreaterThan(0);
    for (const due of dues) expect(due).toMatch(/23:59/);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('the filters of the main lists have accessible names (public search, versions, e-license services, my applications, workbench, data query)', async () => {
    const visitor = await openPage(browser);
    for (const path of ['/', '/versions', '/licenses/usage']) {
      await visitor.page.goto(path);
      await visitor.page.locator('.mz-content .ant-select').first().waitFor();
      expect(await unnamedComboboxes(visitor.page), path).toBe(0);
    }
    // the public search's three filters are found by their names
    await visitor.page.goto('/');
    await visitor.page.getByTestId('method-filter').waitFor();
    for (const name of ['行政区划', '部门', '免提交方式']) expect(await visitor.page.getByRole('combobox', { name, exact: true }).count(), name).toBe(1);
    await visitor.context.close();

    for (const [user, path] of [['citizen', '/applications'], ['clerk', '/workbench'], ['clerk', '/exchange/query']] as const) {
      const { page, context, pageErrors } = await openPage(browser);
      await login(page, user);
      await page.goto(path);
      await page.locator('.mz-content .ant-select').first().waitFor();
      expect(await unnamedComboboxes(page), path).toBe(0);
      expect(pageErrors).toEqual([]);
      await context.close();
    }
    expect(visitor.pageErrors).toEqual([]);
  });

  it('an applicant authorising an account that is no agent is told so under the username, not in a box above the button', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'citizen');
    await page.goto('/agents');
    await page.getByTestId('authorize-agent').fill('clerk');
    const items = page.getByTestId('authorize-items');
    await items.click();
    await items.locator('input').fill('户口迁移');
    await page.locator('.ant-select-item-option').filter({ hasText: '户口迁移登记 · 马鞍山市公安局' }).click();
    await page.keyboard.press('Escape');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/agent-authorizations') && r.request().method() === 'POST');
    await page.getByTestId('authorize-submit').click();
    const body = await (await answer).json() as { error: { code: string; field: string; message: string } };
    expect(body.error).toMatchObject({ code: 'AGENT.NOT_AN_AGENT', field: 'agentUsername' });
    await expect.poll(() => errorsUnder(page, 'authorize-agent')).toEqual([body.error.message]);
    expect(await page.getByTestId('authorize-form').getByTestId('api-error').count()).toBe(0);
    // the button is usable again, and correcting the name clears the error
    expect(await page.getByTestId('authorize-submit').isEnabled()).toBe(true);
    await page.getByTestId('authorize-agent').fill('agent');
    await expect.poll(() => errorsUnder(page, 'authorize-agent')).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('an issuing department issuing a license sees each rejected value under its own field', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'issuer');
    await page.goto('/licenses/issuer');
    await page.getByTestId('issue-holder-name').waitFor();
    const valid = idNumber('34050319900101123');
    const wrongCheck = valid.slice(0, 17) + (valid.endsWith('0') ? '1' : '0');
    await page.getByTestId('issue-holder-name').fill('测试持证人');
    await page.getByTestId('issue-holder-code').fill(wrongCheck);
    // the demo issuer's first type is 结婚证: a registration date that is no date, the rest valid
    await page.getByTestId('issue-field-registrationDate').fill('2020-13-45');
    await page.getByTestId('issue-field-spouseName').fill('测试配偶');
    await page.getByTestId('issue-field-spouseIdNumber').fill(idNumber('34050319910202234'));
    await page.getByTestId('issue-field-registrationAuthority').fill('马鞍山市民政局');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/licenses') && r.request().method() === 'POST');
    await page.getByTestId('issue-submit').click();
    const body = await (await answer).json() as { error: { field: string; details: { field: string; message: string }[] } };
    expect(body.error.field).toBe('holder.code');
    const dateViolation = body.error.details.find((d) => d.field === 'fields.registrationDate');
    expect(dateViolation).toBeDefined();
    await expect.poll(() => errorsUnder(page, 'issue-holder-code')).toEqual([body.error.details.find((d) => d.field === 'holder.code')!.message]);
    expect(await errorsUnder(page, 'issue-field-registrationDate')).toEqual([dateViolation!.message]);
    expect(await page.getByTestId('issue-error').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('in English, the issue form names the holder code\'s kind in English', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'issuer');
    await page.getByTestId('lang-switch').click();
    await page.goto('/licenses/issuer');
    const label = page.locator('.ant-form-item').filter({ has: page.getByTestId('issue-holder-code') }).locator('.ant-form-item-label');
    expect(await label.innerText()).toBe('Holder code(Identity number)');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
