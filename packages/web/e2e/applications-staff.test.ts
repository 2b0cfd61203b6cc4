import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage } from './harness';
import { api, fileApplication, settleAsApplicant, type AppView } from './applications-support';

/**
 * The staff side of applications, each test on applications it files itself (through the
 * citizen's session): the clerk of 马鞍山市公安局 approves a 户口迁移登记 from the queue; the
 * issuer (马鞍山市民政局) confirms a verification request; the supervisor's dashboard draws its charts.
 */
describe.skipIf(!baseUrl)('clerk, issuing department and supervisor', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('the clerk finds an application in the department queue, reads the evidence and approves it', async () => {
    const citizen = await openPage(browser);
    await login(citizen.page, 'citizen');
    const filed = await fileApplication(citizen.page, '340500-HKQY');
    const ready = await settleAsApplicant(citizen.page, filed);
    expect(ready.status).toBe('under_review');

    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'clerk');
    await page.goto('/workbench');
    await page.getByTestId('workbench-search').locator('input').fill(ready.ref);
    await page.getByTestId('workbench-search').locator('input').press('Enter');
    const row = page.locator(`[data-testid="workbench-row"][data-ref="${ready.ref}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('under_review');
    await row.getByTestId('workbench-review').click();

    // Every material with its resolution and evidence, open for the clerk.
    await page.waitForURL(new RegExp(`/workbench/${ready.id}$`));
    const detail = page.getByTestId('application-detail');
    await detail.waitFor();
    const proofs = page.locator('[data-testid="application-material"][data-status]');
    expect(await proofs.count()).toBe(4);
    for (let i = 0; i < 4; i++) expect(await proofs.nth(i).getAttribute('data-status')).toBe('satisfied');
    expect(await page.getByTestId('material-evidence').count()).toBeGreaterThanOrEqual(4);

    await page.getByTestId('decision-approve').click();
    await page.getByTestId('decision-approve-confirm').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('approved');
    await page.getByTestId('decision-complete').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('completed');

    // The applicant is told.
    const notes = await api.get<{ items: { link: string | null; kind: string }[] }>(citizen.page, '/api/v1/me/notifications?limit=50');
    expect(notes.items.some((n) => n.link === `/applications/${ready.id}` && n.kind === 'application.decided')).toBe(true);
    // … on the application's page (the notices about it, picked by the server) and in 我的消息
    await citizen.page.goto(`/applications/${ready.id}`);
    await expect.poll(() => citizen.page.getByTestId('application-notifications').locator('li').count()).toBeGreaterThanOrEqual(1);
    await citizen.page.goto('/notifications');
    await citizen.page.locator('[data-testid="notification"][data-kind="application.decided"]').first().waitFor();

    expect(pageErrors).toEqual([]);
    expect(citizen.pageErrors).toEqual([]);
    await context.close();
    await citizen.context.close();
  });

  it('受审分离: a clerk who filed a walk-in application sees its decision buttons disabled, with why', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'clerk');
    // the clerk files 户口迁移登记 at the window for the citizen (identity checked against the document) …
    const check = await api.post<{ id: string }>(page, '/api/v1/identity-checks', { name: '张晓梅', code: '340503199003070027', documentInspected: true });
    const filed = await api.post<AppView>(page, '/api/v1/applications', { serviceItemCode: '340500-HKQY', form: { 来源: '窗口' }, identityCheckId: check.id, submit: true });
    // … and the citizen settles what awaits her in her own session
    const citizen = await openPage(browser);
    await login(citizen.page, 'citizen');
    expect((await settleAsApplicant(citizen.page, filed)).status).toBe('under_review');

    await page.goto(`/workbench/${filed.id}`);
    const detail = page.getByTestId('application-detail');
    await detail.waitFor();
    await page.getByTestId('decision-separation').waitFor();
    expect(await page.getByTestId('decision-separation').textContent()).toContain('受审分离');
    for (const b of ['decision-approve', 'decision-return', 'decision-reject']) expect(await page.getByTestId(b).isDisabled(), b).toBe(true);
    // the API says the same
    const refused = await page.request.post(`/api/v1/applications/${filed.id}/approve`, { data: {} });
    expect(refused.status()).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('APPLICATION.SEPARATION_OF_DUTIES');
    expect(await detail.getAttribute('data-status')).toBe('under_review');

    expect(pageErrors).toEqual([]);
    await context.close();
    await citizen.context.close();
  });

  it('the issuing department confirms a verification request within its working-day deadline', async () => {
    // 临时救助申请: 最低生活保障证明 has no shareable data item → a verification request to 马鞍山市民政局.
    const citizen = await openPage(browser);
    await login(citizen.page, 'citizen');
    const filed = await fileApplication(citizen.page, '340500-LSJZ');
    const material = filed.materials.find((m) => m.resolution?.verification && m.name.includes('最低生活保障'));
    expect(material?.resolution?.status).toBe('awaiting_verification');

    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'issuer');
    await page.goto('/verifications');
    const row = page.locator(`[data-testid="verification-row"][data-ref="${filed.ref}"]`).filter({ hasText: '最低生活保障证明' });
    await row.waitFor();
    expect(await row.getByTestId('verification-due').textContent()).toContain('3 个工作日');
    await row.getByTestId('verification-confirm').click();
    await page.getByTestId('verification-reason').fill('经核查民政低保系统,申请人在保。');
    await page.getByTestId('verification-answer-submit').click();
    await row.waitFor({ state: 'detached' });

    // Answered tab shows it; the applicant's material is satisfied with the answer as evidence.
    await page.getByTestId('verifications-tabs').getByText('已答复').click();
    await page.locator(`[data-testid="verification-row"][data-ref="${filed.ref}"]`).first().waitFor();
    const after = await api.get<AppView>(citizen.page, `/api/v1/applications/${filed.id}`);
    const answered = after.materials.find((m) => m.materialId === material!.materialId)!;
    expect(answered.resolution?.status).toBe('satisfied');
    expect(answered.resolution?.evidence?.confirmed).toBe(true);

    expect(pageErrors).toEqual([]);
    await context.close();
    await citizen.context.close();
  });

  it('the supervisor opens the dashboard: charts drawn, figures non-zero; credit records export', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'supervisor');
    await page.goto('/supervision');
    for (const chart of ['chart-rate-month', 'chart-rate-region', 'chart-rate-department', 'chart-rate-method', 'chart-commitments', 'chart-post-checks', 'chart-verifications', 'chart-cases']) {
      await page.getByTestId(chart).locator('canvas').first().waitFor();
      const box = await page.getByTestId(chart).locator('canvas').first().boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(100);
    }
    const rate = (await page.getByTestId('kpi-exemption-rate').locator('.ant-statistic-content').textContent()) ?? '';
    expect(Number.parseFloat(rate)).toBeGreaterThan(0);
    const cases = (await page.getByTestId('kpi-cases').locator('.ant-statistic-content').textContent()) ?? '';
    expect(Number.parseInt(cases.replace(/\D/g, ''), 10)).toBeGreaterThan(0);
    const commitments = (await page.getByTestId('kpi-commitments').locator('.ant-statistic-content').textContent()) ?? '';
    expect(Number.parseInt(commitments.replace(/\D/g, ''), 10)).toBeGreaterThan(0);

    // 月度报告 of the previous month (the default) for 马鞍山市
    const reportHref = await page.getByTestId('monthly-report').getAttribute('href');
    expect(reportHref).toMatch(/\/stats\/monthly-report\.xlsx\?month=\d{4}-\d{2}/);
    const report = await page.request.get(`${reportHref!}&region=340500`);
    expect(report.status()).toBe(200);
    expect(report.headers()['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(report.headers()['content-disposition'] ?? '')).toContain('马鞍山市');

    await page.goto('/supervision/credit');
    await page.getByTestId('credit-table').waitFor();
    const href = await page.getByTestId('credit-export').getAttribute('href');
    const xlsx = await page.request.get(href!);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    // the button fetches the file and saves it under the server's name
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('credit-export').click()]);
    expect(download.suggestedFilename()).toBe('信用记录.xlsx');
    await page.goto('/supervision/escalations');
    await page.getByTestId('escalations-table').waitFor();

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
