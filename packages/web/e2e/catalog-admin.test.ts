import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, releaseBrowser, login, openPage, type TrackedPage } from './harness';

/**
 * The import file this flow uploads. Header names and cell formats are the catalog
 * import contract as the browser test assumes it: one proof item per row, the
 * issuing department by its name, the region by its GB/T 2260 code, methods as
 * codes joined by "|". Row numbers in errors count the header as row 1.
 */
const importHeader = ['证明事项名称', '开具部门', '行政区划', '设定依据', '免提交方式', '备注'];

interface ImportRow {
  name: string;
  department: string;
  region: string;
  legalBasis: string;
  methods: string[];
  notes: string;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function buildCsv(rows: ImportRow[]): string {
  const lines = [importHeader, ...rows.map((r) => [r.name, r.department, r.region, r.legalBasis, r.methods.join('|'), r.notes])];
  return `${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

describe.skipIf(!baseUrl)('catalogadmin imports, fixes, publishes and reads the changelog', () => {
  let browser: Browser;
  let tracked: TrackedPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    tracked = await openPage(browser);
  });
  afterAll(async () => {
    await releaseBrowser(browser);
  });

  it('rejects a retained row without 设定依据, accepts the fixed file, publishes a version with the new items', async () => {
    const { page } = tracked;
    await login(page, 'catalogadmin');
    expect(await page.getByTestId('current-user-role').allTextContents()).toContain('清单管理员');

    // A real department of 马鞍山市 from the server's own reference data.
    const departments = (await (await page.request.get('/api/v1/departments?region=340500')).json()) as {
      items: Array<{ name: string; regionCode: string }>;
    };
    const department = departments.items[0];
    expect(department, 'the server should seed departments for 340500').toBeDefined();

    const runId = Date.now().toString(36).toUpperCase();
    const shared: ImportRow = {
      name: `E2E数据共享证明${runId}`,
      department: department!.name,
      region: department!.regionCode,
      legalBasis: '《马鞍山市证明事项清单管理办法》第八条',
      methods: ['data_sharing'],
      notes: '',
    };
    const retained: ImportRow = {
      name: `E2E保留证明${runId}`,
      department: department!.name,
      region: department!.regionCode,
      legalBasis: '',
      methods: ['retained'],
      notes: '浏览器测试',
    };

    await page.getByTestId('nav-admin-import').click();
    await page.waitForURL(/\/admin\/import$/);
    const fileInput = page.getByTestId('import-upload').locator('input[type=file]');

    // 1. The retained row has no legal basis: 422 and an error table naming row 3, column 设定依据.
    await fileInput.setInputFiles({
      name: `catalog-${runId}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${buildCsv([shared, retained])}`, 'utf8'),
    });
    const errorTable = page.getByTestId('import-errors-table');
    await errorTable.waitFor();
    const errorRow = errorTable.getByTestId('import-error').filter({ has: page.getByTestId('import-error-column').filter({ hasText: '设定依据' }) });
    await errorRow.first().waitFor();
    expect((await errorRow.first().getByTestId('import-error-row-number').textContent())?.trim()).toBe('3');
    expect((await errorRow.first().getByTestId('import-error-reason').textContent())?.trim()).toBeTruthy();

    // 2. Fixed file: both rows are created.
    await fileInput.setInputFiles({
      name: `catalog-${runId}-fixed.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${buildCsv([shared, { ...retained, legalBasis: '《中华人民共和国行政许可法》第三十一条' }])}`, 'utf8'),
    });
    await page.getByTestId('import-result').waitFor();
    expect(await page.getByTestId('import-created').getAttribute('data-value')).toBe('2');
    expect(await page.getByTestId('import-total').getAttribute('data-value')).toBe('2');
    expect(await page.getByTestId('import-errors-table').count()).toBe(0);

    // 3. The draft lists them as pending changes; publish with a note.
    await page.getByTestId('import-to-draft').click();
    await page.waitForURL(/\/admin\/draft$/);
    const pending = page.getByTestId('pending-changes');
    await pending.getByText(shared.name).first().waitFor();
    await pending.getByText(retained.name).first().waitFor();

    const note = `浏览器测试发布 ${runId}`;
    await page.getByTestId('publish-button').click();
    await page.getByTestId('publish-note').fill(note);
    await page.getByTestId('publish-confirm').click();
    const result = page.getByTestId('publish-result');
    await result.waitFor();
    const published = Number(await result.getAttribute('data-version'));
    expect(published).toBeGreaterThanOrEqual(2);
    await page.getByTestId('pending-none').waitFor();

    // 4. Version history: the new version with its note, compared with the one before it.
    await page.getByTestId('publish-result-versions-link').click();
    await page.waitForURL(/\/versions\?/);
    const versionRow = page.getByTestId('versions-table').locator(`[data-testid="version-row"][data-version="${published}"]`);
    await versionRow.waitFor();
    expect(await versionRow.textContent()).toContain(note);

    const changelog = page.getByTestId('changelog-table');
    const added = changelog.locator('[data-testid="changelog-row"][data-kind="added"]');
    await added.filter({ hasText: shared.name }).first().waitFor();
    await added.filter({ hasText: retained.name }).first().waitFor();
    expect(await added.filter({ hasText: shared.name }).getByTestId('change-kind').textContent()).toBe('新增');
    // the comparison names the service items the version changed too, below the proof items: those the changelog lists, if any
    const compared = new URL(page.url()).searchParams;
    const changelogResponse = await page.request.get(`/api/v1/catalog/changelog?from=${compared.get('from')}&to=${compared.get('to')}`);
    expect(changelogResponse.status()).toBe(200);
    const { serviceItemEntries } = (await changelogResponse.json()) as { serviceItemEntries: Array<{ code: string; kind: string }> };
    const serviceChanges = page.getByTestId('version-compare').getByTestId('service-item-changes');
    await serviceChanges.waitFor();
    await expect.poll(() => serviceChanges.getAttribute('data-count')).toBe(String(serviceItemEntries.length));
    expect(await serviceChanges.textContent()).toContain('服务事项变更');
    for (const entry of serviceItemEntries.slice(0, 20)) {
      expect(await serviceChanges.getByTestId(`service-item-change-${entry.code}`).getAttribute('data-kind')).toBe(entry.kind);
    }
    if (serviceItemEntries.length === 0) await serviceChanges.getByTestId('service-item-changes-none').waitFor();

    // The public list now finds the new item.
    await page.goto(`/?q=${encodeURIComponent(shared.name)}`);
    await page.getByTestId('proof-items-table').getByTestId('proof-item-link').filter({ hasText: shared.name }).first().waitFor();

    expect(tracked.pageErrors).toEqual([]);
  });
});
