import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage, type TrackedPage } from './harness';

interface TypeField { name: string; identifies?: string }
interface LicenseType { code: string; name: string; fields: TypeField[] }

/**
 * 证照类型 (data_admin): what a text field identifies (a person's identity number, a USCC, or
 * neither) is part of the type's definition the access log relies on — editing the type in the
 * form keeps each declaration, and a declaration chosen in the form is saved.
 */
describe.skipIf(!baseUrl)('license types: the data administrator edits a type and keeps what its fields identify', () => {
  let browser: Browser;
  let admin: TrackedPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await openPage(browser);
    await login(admin.page, 'dataadmin');
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('saves the 学历证书 with 证书编号 still declared "none" and 专业 newly declared', async () => {
    const page = admin.page;
    const typeOf = async (name: string): Promise<LicenseType> => {
      const res = await page.request.get('/api/v1/license-types');
      expect(res.status()).toBe(200);
      const found = ((await res.json()) as { items: LicenseType[] }).items.find((t) => t.name === name);
      expect(found).toBeDefined();
      return found!;
    };
    const before = await typeOf('学历证书');
    expect(before.fields.find((f) => f.name === 'certificateNumber')?.identifies).toBe('none');
    expect(before.fields.find((f) => f.name === 'major')?.identifies).toBeUndefined();

    await page.goto('/licenses/types');
    await page.getByTestId(`types-edit-${before.code}`).click();
    const modal = page.getByTestId('type-modal').last();
    await modal.waitFor();
    // the declaration is shown on the field that has it
    const certIndex = before.fields.findIndex((f) => f.name === 'certificateNumber');
    await expect.poll(() => modal.getByTestId(`type-field-identifies-${certIndex}`).textContent()).toContain('其他编号或文字');
    // and one is chosen for 专业
    const majorIndex = before.fields.findIndex((f) => f.name === 'major');
    await modal.getByTestId(`type-field-identifies-${majorIndex}`).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '其他编号或文字' }).click();
    await page.locator('.ant-modal:visible').getByRole('button', { name: /确\s*定/ }).click();
    await modal.waitFor({ state: 'hidden' });

    const after = await typeOf('学历证书');
    expect(after.fields.find((f) => f.name === 'certificateNumber')?.identifies).toBe('none');
    expect(after.fields.find((f) => f.name === 'major')?.identifies).toBe('none');
    // nothing else of the fields changed
    expect(after.fields.map((f) => f.name)).toEqual(before.fields.map((f) => f.name));
    expect(admin.pageErrors).toEqual([]);
  });
});
