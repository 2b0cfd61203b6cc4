import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage } from './harness';

type DraftServiceItem = {
  code: string;
  name: string;
  regionCode: string;
  departmentId: string;
  applicantKinds: string[];
  materials: Array<{ id: string; name: string; required: boolean; proofItemId: string | null }>;
  mayChange: boolean;
};

/** The draft's service items matching `q`, as the API lists them to the signed-in administrator. */
async function listed(page: Page, q: string): Promise<{ items: DraftServiceItem[]; total: number }> {
  const response = await page.request.get(`/api/v1/admin/catalog/service-items?q=${encodeURIComponent(q)}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as { items: DraftServiceItem[]; total: number };
}

async function search(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('service-items-search').locator('input');
  await input.fill(text);
  await input.press('Enter');
}

/** Confirms the delete asked (a confirmation closed before stays in the page, hidden). */
async function confirmDelete(page: Page): Promise<void> {
  await page.getByTestId('service-item-delete-confirm').filter({ visible: true }).click();
}

/** Picks a city of 安徽省 in the page's region filter (the menu opens on the current choice's path). */
async function pickCity(page: Page, name: string): Promise<void> {
  await page.getByTestId('service-items-region').click();
  const city = page.locator(`.ant-cascader-menu-item[title="${name}"]`);
  if (!(await city.isVisible())) await page.locator('.ant-cascader-menu-item[title="安徽省"]').click();
  await city.click();
  await page.keyboard.press('Escape');
}

/**
 * 服务事项管理 by a city's catalog administrator (马鞍山, demo account `catalogmas`): it adds a
 * service item of its region with a form and a proof item as materials, edits it, reads but
 * cannot change 合肥's, is told why an item of a 一件事 cannot go, and removes its own. Its own
 * item has a code of its own, and nothing is published.
 */
describe.skipIf(!baseUrl)('a catalog administrator manages service items', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('a city administrator adds, edits and removes its region\'s service item, and cannot change another city\'s', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    const code = `340500-E2E${Date.now() % 100000}`;
    await login(page, 'catalogmas');
    await page.getByTestId('nav-admin-service-items').click();
    await page.getByTestId('service-items-page').waitFor();
    const scope = page.getByTestId('service-items-scope');
    await scope.waitFor();
    expect(await scope.getAttribute('data-region')).toBe('340500');
    expect(await scope.textContent()).toContain('马鞍山市');
    expect(await scope.textContent()).toContain('发布新版本后对外生效');

    // its region's items, 20 a page from the server: the second page holds the others
    const rows = page.locator('[data-testid^="service-item-row-"]');
    await expect.poll(() => rows.count()).toBe(20);
    const firstPage = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    const { total } = (await (await page.request.get('/api/v1/admin/catalog/service-items?regionCode=340500&pageSize=1')).json()) as { total: number };
    await page.locator('.ant-table-pagination .ant-pagination-item-2').click();
    await expect.poll(() => rows.count()).toBe(total - 20);
    const secondPage = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);

    // a search finds 马鞍山's 结婚登记, which it may change
    await search(page, '结婚登记');
    const own = page.getByTestId('service-item-row-340500-JHDJ');
    await own.waitFor();
    expect(await own.getAttribute('data-may-change')).toBe('true');
    expect(await page.getByTestId('service-item-edit-340500-JHDJ').isDisabled()).toBe(false);
    await expect.poll(() => page.getByTestId('service-item-row-340100-JHDJ').count()).toBe(0);

    // a new item: the form says in Chinese what is missing
    await page.getByTestId('service-item-new').click();
    const form = page.getByTestId('service-item-form');
    await form.waitFor();
    await page.getByTestId('service-item-submit').click();
    await form.getByText('请输入事项编码').waitFor();
    await form.getByText('请选择实施部门').waitFor();
    await form.getByText('请至少选择一类服务对象').waitFor();

    // a code already in use: the server's refusal is shown under the code
    await page.getByTestId('service-item-code').fill('340500-JHDJ');
    await page.getByTestId('service-item-name').fill('E2E 犬只年检');
    const department = page.getByTestId('service-item-department');
    await department.click();
    await department.locator('input').fill('马鞍山市公安');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '马鞍山市公安局' }).click();
    await page.getByTestId('service-item-kind-person').click();
    await page.getByTestId('material-add-form').click();
    await page.getByTestId('material-name-0').fill('犬只年检申请表');
    await page.getByTestId('material-add-proof').click();
    await expect.poll(() => page.getByTestId('material-row-1').getAttribute('data-kind')).toBe('proof');
    const proof = page.getByTestId('material-proof-1');
    await proof.click();
    await proof.locator('input').fill('居民养犬');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '居民养犬证明' }).click();
    await page.getByTestId('service-item-submit').click();
    await form.getByText('该事项编码已被使用').waitFor();

    // with a code of its own it is added, and listed
    await page.getByTestId('service-item-code').fill(code);
    await page.getByTestId('service-item-submit').click();
    await form.waitFor({ state: 'hidden' });
    await search(page, code);
    const row = page.getByTestId(`service-item-row-${code}`);
    await row.waitFor();
    expect(await row.getByTestId('service-item-name-cell').textContent()).toBe('E2E 犬只年检');
    const count = row.getByTestId('service-item-material-count');
    expect([await count.getAttribute('data-total'), await count.getAttribute('data-proofs')]).toEqual(['2', '1']);
    const [created] = (await listed(page, code)).items;
    expect(created).toMatchObject({ code, name: 'E2E 犬只年检', regionCode: '340500', departmentId: 'mas-ga', applicantKinds: ['person'], mayChange: true });
    expect(created!.materials.map((m) => [m.name, m.proofItemId, m.required])).toEqual([
      ['犬只年检申请表', null, true],
      ['居民养犬证明', 'ZM-MAS-YQZM', true],
    ]);

    // edited: a new name, the proof item no longer required; the code stays, the materials keep their ids
    await page.getByTestId(`service-item-edit-${code}`).click();
    await form.waitFor();
    await expect.poll(() => page.getByTestId('service-item-name').inputValue()).toBe('E2E 犬只年检');
    expect(await page.getByTestId('service-item-code').getAttribute('readonly')).not.toBeNull();
    await page.getByTestId('service-item-name').fill('E2E 犬只年检(修订)');
    await page.getByTestId('material-required-1').click();
    await page.getByTestId('service-item-submit').click();
    await form.waitFor({ state: 'hidden' });
    // saved as an import writes it: the parentheses of Chinese text full-width, the space after "E2E" kept
    await expect.poll(() => row.getByTestId('service-item-name-cell').textContent()).toBe('E2E 犬只年检（修订）');
    const [edited] = (await listed(page, code)).items;
    expect(edited!.name).toBe('E2E 犬只年检（修订）');
    expect(edited!.materials.map((m) => [m.id, m.required])).toEqual(created!.materials.map((m, i) => [m.id, i === 0]));

    // 合肥's items: read, not changed — the page disables the buttons, the server refuses
    await pickCity(page, '合肥市');
    await search(page, '结婚登记');
    const foreign = page.getByTestId('service-item-row-340100-JHDJ');
    await foreign.waitFor();
    expect(await foreign.getAttribute('data-may-change')).toBe('false');
    expect(await page.getByTestId('service-item-edit-340100-JHDJ').isDisabled()).toBe(true);
    expect(await page.getByTestId('service-item-delete-340100-JHDJ').isDisabled()).toBe(true);
    const patch = await page.request.patch('/api/v1/admin/catalog/service-items/340100-JHDJ', { data: { name: '越权修改' } });
    expect(patch.status()).toBe(403);
    expect((await patch.json()).error.code).toBe('CATALOG.OUT_OF_REGION');

    // an item a 一件事 bundles cannot go: the refusal is said, the item stays
    await pickCity(page, '马鞍山市');
    await search(page, '340500-SBK');
    await page.getByTestId('service-item-row-340500-SBK').waitFor();
    await page.getByTestId('service-item-delete-340500-SBK').click();
    await confirmDelete(page);
    await page.locator('.ant-message').getByText('一件事').waitFor();
    expect((await listed(page, '340500-SBK')).total).toBe(1);

    // the draft lists it among the service items the next version adds, by its current name
    await page.getByTestId('nav-admin-draft').click();
    await page.getByTestId('draft-page').waitFor();
    const change = page.getByTestId('pending-changes').getByTestId('service-item-changes').getByTestId(`service-item-change-${code}`);
    await change.waitFor();
    expect(await change.getAttribute('data-kind')).toBe('added');
    expect(await change.getByTestId('service-item-change-kind').textContent()).toBe('新增');
    expect(await change.getByTestId('service-item-change-name').textContent()).toBe('E2E 犬只年检（修订）');
    expect(Number(await page.getByTestId('pending-count').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
    await page.getByTestId('nav-admin-service-items').click();
    await page.getByTestId('service-items-page').waitFor();

    // its own item is removed
    await search(page, code);
    await row.waitFor();
    await page.getByTestId(`service-item-delete-${code}`).click();
    await confirmDelete(page);
    await row.waitFor({ state: 'detached' });
    expect((await listed(page, code)).total).toBe(0);

    // and the draft no longer lists it as a change
    await page.getByTestId('nav-admin-draft').click();
    await page.getByTestId('draft-based-on').waitFor();
    await expect.poll(() => page.getByTestId(`service-item-change-${code}`).count()).toBe(0);

    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('a city administrator imports a list of service items: a new item of its region is added, another city\'s row refuses the whole file', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    const stamp = Date.now() % 100000;
    const code = `340500-IMP${stamp}`;
    const refusedCode = `340500-IMR${stamp}`;
    await login(page, 'catalogmas');
    await page.getByTestId('nav-admin-service-items').click();
    await page.getByTestId('service-items-page').waitFor();
    await page.getByTestId('service-items-scope').waitFor();

    try {
      await page.getByTestId('service-item-import').click();
      const modal = page.getByTestId('service-item-import-modal');
      await modal.waitFor();
      expect(await modal.textContent()).toContain('事项编码、事项名称、实施部门、服务对象、申请材料');
      const input = page.getByTestId('service-item-import-upload').locator('input[type=file]');

      // a new item of 马鞍山: its form is a form, 婚姻状况证明 is the list's proof item
      const csv = [
        '事项编码,事项名称,实施部门,服务对象,申请材料',
        `${code},E2E导入测试事项,马鞍山市民政局,自然人,"1.测试申请表\n2.婚姻状况证明"`,
      ].join('\n');
      await input.setInputFiles({ name: '清单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      const result = page.getByTestId('service-item-import-result');
      await result.waitFor();
      const count = (key: string) => result.getByTestId(`service-item-import-${key}`).getAttribute('data-value');
      expect(await count('created')).toBe('1');
      expect(await count('updated')).toBe('0');
      expect(await count('proofMaterials')).toBe('1');
      expect(await count('formMaterials')).toBe('1');
      expect(await result.textContent()).toContain('证明事项材料');
      const [imported] = (await listed(page, code)).items;
      expect(imported).toMatchObject({ code, name: 'E2E导入测试事项', regionCode: '340500', departmentId: 'mas-mz', applicantKinds: ['person'], mayChange: true });
      expect(imported!.materials.map((m) => [m.name, m.proofItemId, m.required])).toEqual([
        ['测试申请表', null, true],
        ['婚姻状况证明', 'ZM-MAS-HYZK', true],
      ]);

      // a file with a row of 合肥's department: refused whole, the error names the row and the column
      const refused = [
        '事项编码,事项名称,实施部门,服务对象,申请材料',
        `${refusedCode},E2E导入应被拒绝,马鞍山市民政局,自然人,测试申请表`,
        '340100-IMPX1,E2E越权导入,合肥市民政局,自然人,测试申请表',
      ].join('\n');
      await input.setInputFiles({ name: '清单-合肥.csv', mimeType: 'text/csv', buffer: Buffer.from(refused) });
      const errors = page.getByTestId('service-item-import-errors');
      await errors.waitFor();
      expect(await result.count()).toBe(0);
      const errorRow = errors.getByTestId('service-item-import-error')
        .filter({ has: page.getByTestId('service-item-import-error-column').filter({ hasText: '实施部门' }) });
      await expect.poll(() => errorRow.count()).toBe(1);
      expect((await errorRow.getByTestId('service-item-import-error-row-number').textContent())?.trim()).toBe('3');
      expect(await errorRow.getByTestId('service-item-import-error-reason').textContent()).toContain('合肥市民政局');
      expect((await listed(page, refusedCode)).total).toBe(0);

      // the list was reloaded after the import: the new item is there
      await page.getByTestId('service-item-import-close').click();
      await modal.waitFor({ state: 'hidden' });
      await search(page, code);
      const row = page.getByTestId(`service-item-row-${code}`);
      await row.waitFor();
      const materials = row.getByTestId('service-item-material-count');
      expect([await materials.getAttribute('data-total'), await materials.getAttribute('data-proofs')]).toEqual(['2', '1']);

      // exported as the search shows it (this one item), the workbook imports back unchanged
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('service-item-export').click()]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      await page.getByTestId('service-item-import').click();
      await modal.waitFor();
      // (the browser keeps a download under a name of its own: the file goes back under the one it was offered as)
      await input.setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: fs.readFileSync(await download.path()) });
      await result.waitFor();
      expect([await count('created'), await count('updated'), await count('unchanged')]).toEqual(['0', '0', '1']);
      await page.getByTestId('service-item-import-close').click();
      await modal.waitFor({ state: 'hidden' });

      // removed through the page: the draft is as before
      await page.getByTestId(`service-item-delete-${code}`).click();
      await confirmDelete(page);
      await row.waitFor({ state: 'detached' });
      expect((await listed(page, code)).total).toBe(0);
    } finally {
      // whatever failed above, the imported item does not stay in the draft
      await page.request.delete(`/api/v1/admin/catalog/service-items/${encodeURIComponent(code)}`).catch(() => undefined);
    }

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
