import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage } from './harness';

/**
 * 帮办代办: the citizen authorises the agent for 户口迁移登记; the agent prepares and submits
 * for the citizen; the commitment that results still waits for the citizen's own signature —
 * the agent is told so and cannot sign — and the citizen signs it.
 */
describe.skipIf(!baseUrl)('an agent applies on behalf of the citizen', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('authorise → the agent submits → the commitment awaits the applicant → the applicant signs', async () => {
    const citizen = await openPage(browser);
    await login(citizen.page, 'citizen');
    await citizen.page.goto('/agents');
    await citizen.page.getByTestId('authorize-agent').fill('agent');
    const items = citizen.page.getByTestId('authorize-items');
    await items.click();
    await items.locator('input').fill('户口迁移');
    await citizen.page.locator('.ant-select-item-option').filter({ hasText: '户口迁移登记 · 马鞍山市公安局' }).click();
    await citizen.page.keyboard.press('Escape');
    const givenBefore = await citizen.page.getByTestId('authorizations-given').getByTestId('authorization-row').count();
    await citizen.page.getByTestId('authorize-submit').click();
    await expect.poll(() => citizen.page.getByTestId('authorizations-given').getByTestId('authorization-row').count()).toBe(givenBefore + 1);

    // The agent: the authorisation received, a shortcut to apply for the principal.
    const agent = await openPage(browser);
    await login(agent.page, 'agent');
    await agent.page.goto('/agents');
    const received = agent.page.locator('[data-testid="authorization-row"][data-status="active"][data-principal="张晓梅"]');
    await received.first().waitFor();
    await received.first().locator('[data-testid="authorization-apply"][data-code="340500-HKQY"]').click();
    await agent.page.waitForURL(/\/apply\?onBehalfOf=/);
    await agent.page.getByTestId('apply-principal-select').getByText('张晓梅').waitFor();
    await agent.page.getByTestId('apply-next').click();
    await agent.page.getByTestId('apply-plan').waitFor();
    await agent.page.getByTestId('apply-next').click();
    await agent.page.getByTestId('apply-phone').fill('13700137000');
    await agent.page.getByTestId('apply-next').click();
    await agent.page.getByTestId('apply-submit').click();
    await agent.page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    const applicationUrl = agent.page.url();

    // Filed for the citizen by the agent; the commitment needs the citizen herself.
    expect((await agent.page.getByTestId('application-applicant').textContent())).toContain('张晓梅');
    expect(await agent.page.getByTestId('application-agent').textContent()).toContain('李帮办');
    const kinship = agent.page.getByTestId('application-material').filter({ hasText: '亲属关系证明' });
    expect(await kinship.getAttribute('data-status')).toBe('awaiting_signature');
    await kinship.getByTestId('material-awaiting-applicant-signature').waitFor();
    await kinship.getByText('查看承诺书').click();
    await agent.page.waitForURL(/\/commitments\//);
    await agent.page.getByTestId('commitment-cannot-sign').waitFor();
    expect(await agent.page.getByTestId('commitment-sign').count()).toBe(0);
    const commitmentPath = new URL(agent.page.url()).pathname;

    // The citizen signs it herself.
    await citizen.page.goto(commitmentPath);
    for (let i = 0; i < 4; i++) await citizen.page.getByTestId(`commitment-statement-${i}`).click();
    await citizen.page.getByTestId('commitment-sign').click();
    await citizen.page.getByTestId('commitment-sign-confirm').click();
    await citizen.page.getByTestId('commitment-signed').waitFor();

    // The agent sees it signed.
    await agent.page.goto(applicationUrl);
    await expect.poll(() => agent.page.getByTestId('application-material').filter({ hasText: '亲属关系证明' }).getAttribute('data-status')).toBe('satisfied');

    expect(citizen.pageErrors).toEqual([]);
    expect(agent.pageErrors).toEqual([]);
    await agent.context.close();
    await citizen.context.close();
  });
});
