import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage } from './harness';

/**
 * A city's catalog administrator (马鞍山市司法局, demo account `catalogmas`) reads the whole
 * provincial draft, may change only 马鞍山's proof items and publishes nothing: the editor says
 * so, disables the rest with the reason, and the server refuses what the page would not offer.
 */
describe.skipIf(!baseUrl)('a city catalog administrator', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('sees its region, cannot publish and cannot change another city\'s proof item', async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await login(page, 'catalogmas');
    await page.goto('/admin/draft');
    await page.getByTestId('draft-table').waitFor();
    expect(await page.getByTestId('draft-scope').textContent()).toContain('马鞍山市');

    // publishing is the province's act: the button is disabled
    expect(await page.getByTestId('publish-button').isDisabled()).toBe(true);

    // its own region's items first: every row on the page is 马鞍山's, and may be changed
    const ownRows = page.getByTestId('draft-row');
    await ownRows.first().waitFor();
    expect(await page.getByTestId('draft-out-of-region').count()).toBe(0);
    expect(await ownRows.first().getByTestId('draft-edit').isDisabled()).toBe(false);

    // the whole list: another city's item has its edit and delete buttons disabled
    await page.getByTestId('draft-own-region').click();
    const foreign = page.getByTestId('draft-out-of-region').first();
    await foreign.waitFor();
    expect(await foreign.getByTestId('draft-edit').isDisabled()).toBe(true);
    expect(await foreign.getByTestId('draft-delete').isDisabled()).toBe(true);

    // and the server refuses it too
    type Draft = { proofItems: Array<{ id: string; regionCode: string }>; viewer: { regionCode: string; mayPublish: boolean } };
    const draft = (await (await page.request.get('/api/v1/admin/catalog/draft')).json()) as Draft;
    expect(draft.viewer).toMatchObject({ regionCode: '340500', mayPublish: false });
    const other = draft.proofItems.find((i) => !i.regionCode.startsWith('3405'))!;
    const patch = await page.request.patch(`/api/v1/admin/catalog/proof-items/${other.id}`, { data: { notes: '越权修改' } });
    expect(patch.status()).toBe(403);
    expect((await patch.json()).error.code).toBe('CATALOG.OUT_OF_REGION');
    const publish = await page.request.post('/api/v1/admin/catalog/publish', { data: { note: '市级发布' } });
    expect(publish.status()).toBe(403);
    expect((await publish.json()).error.code).toBe('CATALOG.PUBLISH_PROVINCE_ONLY');

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
