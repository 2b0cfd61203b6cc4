import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage } from './harness';

/**
 * 服务对象: a service item says who may apply. The enterprise opening 结婚登记 (for natural persons)
 * is told it cannot apply instead of being offered 在线办理, and filing it is refused; the citizen
 * is offered it.
 */
describe.skipIf(!baseUrl)('who may apply for a service item (服务对象)', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await releaseBrowser(browser); });

  it('tells the enterprise that 结婚登记 is for natural persons, and offers it to the citizen', async () => {
    const enterprise = await openPage(browser);
    await login(enterprise.page, 'enterprise');
    await enterprise.page.goto('/service-items/340500-JHDJ');
    const kinds = enterprise.page.getByTestId('service-item-applicant-kinds');
    await kinds.waitFor();
    expect(await kinds.getAttribute('data-kinds')).toBe('person');
    await expect.poll(() => enterprise.page.getByTestId('service-item-not-for-you').textContent()).toContain('自然人');
    expect(await enterprise.page.getByTestId('service-item-apply').count()).toBe(0);
    // and filing it is refused by the platform, naming the item
    const refused = await enterprise.page.request.post('/api/v1/applications', { data: { serviceItemCode: '340500-JHDJ' } });
    expect(refused.status()).toBe(422);
    expect((await refused.json()).error).toMatchObject({ code: 'APPLICATION.WRONG_APPLICANT_KIND', field: 'serviceItemCode' });

    const citizen = await openPage(browser);
    await login(citizen.page, 'citizen');
    await citizen.page.goto('/service-items/340500-JHDJ');
    await citizen.page.getByTestId('service-item-apply').waitFor();
    expect(await citizen.page.getByTestId('service-item-not-for-you').count()).toBe(0);
    expect(enterprise.pageErrors).toEqual([]);
    expect(citizen.pageErrors).toEqual([]);
  });
});
