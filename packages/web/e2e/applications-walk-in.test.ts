import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, idNumber as makeIdNumber, launchBrowser, releaseBrowser, login, openPage } from './harness';
import { api } from './applications-support';

interface CommitmentView { id: string; status: string; signedVia: string | null; applicantName: string; applicantCodeMask: string }

/**
 * 现场帮办: a person without an account walks into the hall; the helper (agent) checks the
 * identity — refused while the original document is not inspected, verified once it is —,
 * files 户口迁移登记 for them with the identity check, sees the application number and how each
 * material was resolved, and the applicant reads and signs the commitment in person at the window.
 */
describe.skipIf(!baseUrl)('a helper files for a walk-in applicant', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('identity check (refused, then verified) → service and materials → submit → the commitment signed in person', async () => {
    // A person with no account on the platform; a fresh number each run (no history, no credit record).
    const seq = String(100 + (Date.now() % 900)).padStart(3, '0');
    const idNumber = makeIdNumber(`34050419880214${seq}`);
    const name = '刘现场';

    const agent = await openPage(browser);
    const { page } = agent;
    await login(page, 'agent');
    await page.getByTestId('nav-walk-in').click();
    await page.waitForURL(/\/walk-in$/);
    await page.getByTestId('walkin-page').waitFor();

    // 1) The document box left unticked: the check is refused and the helper cannot go on.
    await page.getByTestId('walkin-name').fill(name);
    await page.getByTestId('walkin-code').fill(idNumber);
    await page.getByTestId('walkin-check').click();
    await page.getByTestId('walkin-refused').waitFor();
    const refusedResult = page.getByTestId('walkin-check-result');
    expect(await refusedResult.getAttribute('data-verified')).toBe('false');
    const error = page.getByTestId('walkin-error');
    expect(await error.getAttribute('data-code')).toBe('AGENT.IDENTITY_CHECK_FAILED');
    expect(await error.getAttribute('data-field')).toBe('documentInspected');
    expect(await error.textContent()).toContain('身份核验未通过');
    expect(await page.getByTestId('walkin-error-field').textContent()).toContain('证件原件查验');
    const inspected = refusedResult.locator('[data-testid="walkin-check-item"][data-name="document_inspected"]');
    expect(await inspected.getAttribute('data-passed')).toBe('false');
    expect(await refusedResult.locator('[data-testid="walkin-check-item"][data-name="id_number_check_digit"]').getAttribute('data-passed')).toBe('true');
    expect(await page.getByTestId('walkin-next').isDisabled()).toBe(true);

    // ... ticked: verified, the number masked, every check passed, valid for a limited time.
    await page.getByTestId('walkin-document').click();
    await page.getByTestId('walkin-check').click();
    const verified = page.locator('[data-testid="walkin-check-result"][data-verified="true"]');
    await verified.waitFor();
    expect(await page.getByTestId('walkin-check-mask').textContent()).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
    const items = verified.getByTestId('walkin-check-item');
    expect(await items.count()).toBe(3);
    for (let i = 0; i < 3; i++) expect(await items.nth(i).getAttribute('data-passed')).toBe('true');
    expect((await page.getByTestId('walkin-check-valid-until').textContent())?.trim()).toMatch(/\d{2}:\d{2}/);
    expect(await page.getByTestId('walkin-error').count()).toBe(0);
    expect(await page.getByTestId('walkin-next').isEnabled()).toBe(true);
    await page.getByTestId('walkin-next').click();

    // 2) The service item and, per material, what the platform does without paper.
    const select = page.getByTestId('apply-service-select');
    await select.click();
    await select.locator('input').fill('户口迁移');
    await page.locator('.ant-select-item-option').filter({ hasText: '户口迁移登记 · 马鞍山市公安局' }).click();
    await page.getByTestId('apply-plan').waitFor();
    expect(await page.getByTestId('walkin-item-name').textContent()).toBe('户口迁移登记');
    const planned = page.getByTestId('plan-material');
    expect(await planned.count()).toBe(4);
    const kinshipPlan = planned.filter({ hasText: '亲属关系证明' });
    expect(await kinshipPlan.getAttribute('data-must-provide')).toBe('false');
    expect((await kinshipPlan.getByTestId('plan-material-explanation').textContent())?.trim().length).toBeGreaterThan(5);
    await page.getByTestId('walkin-inperson-note').waitFor();
    await page.getByTestId('walkin-next').click();

    // 3) Submit with the identity check.
    await page.getByTestId('walkin-step-submit').waitFor();
    expect(await page.getByTestId('walkin-confirm-applicant').textContent()).toContain(name);
    expect(await page.getByTestId('walkin-confirm-item').textContent()).toBe('户口迁移登记');
    await page.getByTestId('walkin-phone').fill('13900139000');
    await page.getByTestId('walkin-submit').click();
    const result = page.getByTestId('walkin-result');
    await result.waitFor();
    const ref = (await page.getByTestId('walkin-ref').textContent())?.trim() ?? '';
    expect(ref).toMatch(/^340500-\d{8}-[0-9A-Z]+$/);
    const applicationId = (await result.getAttribute('data-application-id')) ?? '';
    expect(await page.getByTestId('walkin-result-applicant').textContent()).toContain(name);

    // Each material's resolution, as the server recorded it.
    const filed = await api.get<{
      ref: string; walkIn: boolean; applicant: { hasAccount: boolean };
      materials: { materialId: string; name: string; resolution: { status: string; commitment: { id: string; status: string } | null } | null }[];
    }>(page, `/api/v1/applications/${applicationId}`);
    expect(filed.ref).toBe(ref);
    expect(filed.walkIn).toBe(true);
    expect(filed.applicant.hasAccount).toBe(false);
    const shown = page.getByTestId('walkin-materials').getByTestId('application-material');
    expect(await shown.count()).toBe(filed.materials.length);
    for (const m of filed.materials) {
      const panel = page.locator(`[data-testid="application-material"][data-material-id="${m.materialId}"]`);
      if (!m.resolution) continue;
      expect(await panel.getAttribute('data-status')).toBe(m.resolution.status);
      expect((await panel.getByTestId('resolution-status').textContent())?.trim().length).toBeGreaterThan(1);
      expect((await panel.getByTestId('material-explanation').textContent())?.trim().length).toBeGreaterThan(5);
    }
    expect(await page.getByTestId('walkin-materials').textContent()).toContain('户口登记项目变更申请证明');

    // The commitment awaiting the applicant's signature: read at the window, signed in person.
    const awaiting = filed.materials.filter((m) => m.resolution?.status === 'awaiting_signature' && m.resolution.commitment);
    expect(awaiting.map((m) => m.name)).toContain('亲属关系证明');
    for (const m of awaiting) {
      const commitmentId = m.resolution!.commitment!.id;
      const panel = page.locator(`[data-testid="application-material"][data-material-id="${m.materialId}"]`);
      expect(await panel.getByTestId('material-awaiting-applicant-signature').count()).toBe(0);
      await panel.getByTestId('walkin-sign-open').click();
      const signing = panel.getByTestId('walkin-commitment');
      await signing.getByTestId('commitment-text').waitFor();
      expect(await signing.getByTestId('commitment-text').textContent()).toContain(name);
      await signing.getByTestId('commitment-notice').waitFor();
      const submit = signing.getByTestId('walkin-sign-submit');
      expect(await submit.isDisabled()).toBe(true);
      const statements = signing.locator('[data-testid^="walkin-statement-"]');
      const n = await statements.count();
      expect(n).toBeGreaterThan(0);
      for (let i = 0; i < n; i++) await signing.getByTestId(`walkin-statement-${i}`).click();
      await submit.click();
      await page.getByTestId('walkin-sign-ok').click();
      await page.locator(`[data-testid="walkin-signed-item"][data-commitment-id="${commitmentId}"][data-status="signed"]`).waitFor();
      await expect.poll(() => page.locator(`[data-testid="application-material"][data-material-id="${m.materialId}"]`).getAttribute('data-status')).toBe('satisfied');

      const commitment = await api.get<CommitmentView>(page, `/api/v1/commitments/${commitmentId}`);
      expect(commitment.status).toBe('signed');
      expect(commitment.signedVia).toBe('in_person');
      expect(commitment.applicantName).toBe(name);
    }
    expect(await page.getByTestId('walkin-signed').textContent()).toContain('窗口现场签署');

    expect(agent.pageErrors).toEqual([]);
    await agent.context.close();
  });

  it('实名核验 at the window: an account registered online is limited until the helper verifies it with a check of the holder\'s document', async () => {
    const seq = String(100 + ((Date.now() + 7) % 900)).padStart(3, '0');
    const idNumber = makeIdNumber(`34050519910303${seq}`);
    const username = `online${seq}${Date.now() % 1000}`;
    // registered online; the check character is all the platform could verify
    const holder = await openPage(browser);
    const reg = await holder.page.request.post('/api/v1/accounts', { data: { username, password: 'Online2026x', displayName: '网上注册者', kind: 'person', idNumber } });
    expect(reg.status()).toBe(201);
    await login(holder.page, username, 'Online2026x');
    await holder.page.getByTestId('identity-unverified').waitFor();
    expect((await holder.page.request.get('/api/v1/me/licenses')).status()).toBe(403);

    // at the window: the helper checks the document and verifies that account
    const agent = await openPage(browser);
    const { page } = agent;
    await login(page, 'agent');
    await page.goto('/walk-in');
    await page.getByTestId('walkin-name').fill('王实名');
    await page.getByTestId('walkin-code').fill(idNumber);
    await page.getByTestId('walkin-document').click();
    await page.getByTestId('walkin-check').click();
    await page.locator('[data-testid="walkin-check-result"][data-verified="true"]').waitFor();
    await page.getByTestId('walkin-account-username').fill(username);
    await page.getByTestId('walkin-account-submit').click();
    expect(await page.getByTestId('walkin-account-done').textContent()).toContain('王实名');

    // the holder's next page load: no warning, the wallet opens
    await holder.page.goto('/licenses/wallet');
    await holder.page.getByTestId('current-user-name').waitFor();
    expect(await holder.page.getByTestId('identity-unverified').count()).toBe(0);
    expect((await holder.page.request.get('/api/v1/me/licenses')).status()).toBe(200);
    expect(holder.pageErrors).toEqual([]);
    expect(agent.pageErrors).toEqual([]);
    await holder.context.close();
    await agent.context.close();
  });
});

