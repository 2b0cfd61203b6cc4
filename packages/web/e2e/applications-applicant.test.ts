import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage } from './harness';

/**
 * The applicant's main path: 结婚登记 (340500-JHDJ) from the service-item page's 在线办理
 * button, the per-material "无需提交" explanations before submitting, the submission, the
 * e-license use grant asked for afterwards (no grant → awaiting grant → grant → resolved),
 * and a commitment signed in person (户口迁移登记, whose 亲属关系证明 has no shareable data
 * item and falls back to the commitment route).
 */
describe.skipIf(!baseUrl)('an applicant applies without carrying paper', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('applies for 结婚登记: reads why nothing is needed, submits, grants the license use asked for', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'citizen');

    await page.goto('/service-items/340500-JHDJ');
    await page.getByTestId('service-item-apply').click();
    await page.waitForURL(/\/apply\?serviceItem=340500-JHDJ/);
    await page.getByTestId('apply-next').click();

    // Before submitting: every proof says "无需提交" with the reason and its legal basis.
    const cards = page.getByTestId('plan-material');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const card = cards.nth(i);
      expect(await card.getAttribute('data-must-provide')).toBe('false');
      expect((await card.getByTestId('plan-material-status').textContent())?.trim()).toBe('无需提交');
      expect((await card.getByTestId('plan-material-explanation').textContent())?.trim()).toMatch(/我们将|授权|签署/);
      expect((await card.getByTestId('plan-material-legal-basis').textContent())?.trim().length).toBeGreaterThan(3);
    }
    const marriage = cards.filter({ hasText: '婚姻状况证明' });
    expect(await marriage.getByTestId('plan-material-explanation').textContent()).toContain('数据共享');

    await page.getByTestId('apply-next').click();
    await page.getByTestId('apply-phone').fill('13800138000');
    await page.getByTestId('apply-next').click();
    expect(await page.getByTestId('apply-confirm-item').textContent()).toBe('结婚登记');
    await page.getByTestId('apply-submit').click();

    // The application: marriage status by data sharing at once; the two e-licenses wait for a use grant.
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    const detail = page.getByTestId('application-detail');
    await detail.waitFor();
    const byName = (name: string) => page.getByTestId('application-material').filter({ hasText: name });
    expect(await byName('婚姻状况证明').getAttribute('data-status')).toBe('satisfied');
    const waiting = page.locator('[data-testid="application-material"][data-status="awaiting_grant"]');
    expect(await waiting.count()).toBe(2);
    await page.getByTestId('application-todo').waitFor();

    // Grant each (this application only): the license is read and verified, the material is satisfied.
    while (await waiting.count() > 0) {
      const before = await waiting.count();
      await waiting.first().getByTestId('material-grant-button').click();
      await expect.poll(() => waiting.count()).toBe(before - 1);
    }
    const identity = byName('居民身份信息证明');
    expect(await identity.getAttribute('data-status')).toBe('satisfied');
    expect(await identity.getAttribute('data-method')).toBe('e_license');
    await identity.getByText('证据', { exact: true }).click();
    await identity.getByTestId('evidence-verified').waitFor();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('under_review');
    expect(await page.getByTestId('application-status').first().textContent()).toBe('审核中');

    // 我的办件 lists it.
    const ref = (await page.getByTestId('application-ref').textContent())?.trim() ?? '';
    await page.goto('/applications');
    await page.locator(`[data-testid="my-application-row"][data-ref="${ref}"]`).waitFor();

    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('signs the 告知承诺书 generated for 户口迁移登记 and downloads its PDF', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'citizen');

    await page.goto('/apply?serviceItem=340500-HKQY');
    await page.getByTestId('apply-next').click();
    await page.getByTestId('apply-plan').waitFor();
    await page.getByTestId('apply-next').click();
    await page.getByTestId('apply-phone').fill('13900139000');
    await page.getByTestId('apply-next').click();
    await page.getByTestId('apply-submit').click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);

    // 亲属关系证明: data sharing has nothing to share → commitment, and the applicant is told why.
    const kinship = page.getByTestId('application-material').filter({ hasText: '亲属关系证明' });
    await kinship.waitFor();
    expect(await kinship.getAttribute('data-status')).toBe('awaiting_signature');
    expect(await kinship.getByTestId('material-explanation').textContent()).toContain('数据共享未能使用');
    await kinship.getByTestId('material-sign-link').click();

    // The commitment page: full notice and text; sign only after ticking each statement.
    await page.waitForURL(/\/commitments\/[0-9a-f-]{36}$/);
    const text = (await page.getByTestId('commitment-text').textContent()) ?? '';
    for (const part of ['证明事项告知承诺书', '设定依据', '虚假承诺的后果', '核查方式', '投诉渠道', '自愿', '张晓梅']) expect(text).toContain(part);
    const sign = page.getByTestId('commitment-sign');
    expect(await sign.isDisabled()).toBe(true);
    for (let i = 0; i < 4; i++) await page.getByTestId(`commitment-statement-${i}`).click();
    expect(await sign.isDisabled()).toBe(false);
    await sign.click();
    await page.getByTestId('commitment-sign-confirm').click();
    await page.getByTestId('commitment-signed').waitFor();
    expect(await page.getByTestId('commitment-page').getAttribute('data-status')).toBe('signed');
    await page.getByTestId('commitment-seal').waitFor();

    // The printable PDF.
    const href = await page.getByTestId('commitment-pdf').getAttribute('href');
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // Back on the application the commitment is satisfied.
    await page.getByText(/返回办件/).click();
    await page.getByTestId('application-detail').waitFor();
    await expect.poll(() => kinship.getAttribute('data-status')).toBe('satisfied');

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
