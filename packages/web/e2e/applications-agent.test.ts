import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage } from './harness';

/**
 * 帮办代办: the citizen authorises the agent for 户口迁移登记; the agent prepares and submits
 * for the citizen; the commitment that results still waits for the citizen's own signature —
 * the agent is told so and cannot sign — and the citizen signs it. An item an authorization names
 * that is later removed from the list is shown withdrawn, without a shortcut.
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

  it('an authorised service item removed from the list: the administrator is warned, then the agent sees it withdrawn, with no shortcut', async () => {
    const code = `340500-E2E-DB${Date.now().toString(36).toUpperCase()}`;
    const admin = await openPage(browser);
    await login(admin.page, 'catalogadmin');
    const created = await admin.page.request.post('/api/v1/admin/catalog/service-items', {
      data: { code, name: 'E2E 代办测试事项', departmentId: 'mas-mz', applicantKinds: ['person'], materials: [{ name: '代办测试申请表', required: true }] },
    });
    expect(created.status()).toBe(201);
    expect((await admin.page.request.post('/api/v1/admin/catalog/publish', { data: { note: 'E2E 新增代办测试事项' } })).status()).toBe(201);

    const citizen = await openPage(browser);
    await login(citizen.page, 'citizen');
    const given = await citizen.page.request.post('/api/v1/agent-authorizations', {
      data: { agentUsername: 'agent', serviceItemCodes: [code, '340500-JHDJ'], validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString() },
    });
    expect(given.status()).toBe(201);

    // the administrator is told, before removing it, that an authorization in force names it
    await admin.page.goto('/admin/service-items');
    const search = admin.page.getByTestId('service-items-search').locator('input');
    await search.fill(code);
    await search.press('Enter');
    const row = admin.page.getByTestId(`service-item-row-${code}`);
    await row.waitFor();
    await admin.page.getByTestId(`service-item-delete-${code}`).click();
    const warning = admin.page.getByTestId('service-item-delete-authorized');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('1 份有效的帮办代办授权');
    await admin.page.getByTestId('service-item-delete-confirm').filter({ visible: true }).click();
    await row.waitFor({ state: 'detached' });
    expect((await admin.page.request.post('/api/v1/admin/catalog/publish', { data: { note: 'E2E 取消代办测试事项' } })).status()).toBe(201);

    // the agent: the item named and marked withdrawn, no shortcut to it; the other item of the authorization still one
    const agent = await openPage(browser);
    await login(agent.page, 'agent');
    await agent.page.goto('/agents');
    const withdrawn = agent.page.getByTestId('authorizations-received').locator(`[data-testid="authorization-item-withdrawn"][data-code="${code}"]`);
    await withdrawn.waitFor();
    // the page speaks to the agent, not to an applicant
    expect(await agent.page.getByTestId('agents-subtitle').textContent()).toContain('申请人授权您');
    expect(await withdrawn.textContent()).toBe('E2E 代办测试事项（已取消）');
    const ours = agent.page.getByTestId('authorization-row').filter({ has: agent.page.locator(`[data-testid="authorization-item-withdrawn"][data-code="${code}"]`) });
    expect(await ours.count()).toBe(1);
    expect(await ours.locator(`[data-testid="authorization-apply"][data-code="${code}"]`).count()).toBe(0);
    expect(await ours.locator('[data-testid="authorization-apply"][data-code="340500-JHDJ"]').count()).toBe(1);
    // applying for the principal: the withdrawn item is not offered, the others still are
    const principalId = (await ours.locator('[data-testid="authorization-apply"][data-code="340500-JHDJ"]').getAttribute('href'))!.match(/onBehalfOf=([^&]+)/)![1]!;
    await agent.page.goto(`/apply?onBehalfOf=${principalId}`);
    const picker = agent.page.getByTestId('apply-service-select');
    await picker.click();
    await agent.page.locator('.ant-select-item-option').filter({ hasText: '结婚登记' }).first().waitFor();
    expect(await agent.page.locator('.ant-select-item-option').filter({ hasText: 'E2E 代办测试事项' }).count()).toBe(0);
    await agent.page.keyboard.press('Escape');
    // the citizen sees it so too
    await citizen.page.goto('/agents');
    await citizen.page.getByTestId('authorizations-given').locator(`[data-testid="authorization-item-withdrawn"][data-code="${code}"]`).waitFor();

    for (const s of [admin, citizen, agent]) {
      expect(s.pageErrors).toEqual([]);
      await s.context.close();
    }
  });
});
