import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

let shared: Promise<Browser> | undefined;

/**
 * The system Chromium (Debian's `chromium`; override with CHROMIUM_PATH), launched once per
 * test worker and shared by the files it runs — each test opens its own context (cookies,
 * storage), so nothing carries over; a launch costs ≈ 3 s of CPU. Launched again if it went away.
 */
export async function launchBrowser(): Promise<Browser> {
  const current = shared ? await shared.catch(() => undefined) : undefined;
  if (current?.isConnected()) return current;
  shared = chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return shared;
}

/**
 * A file is done with the shared browser: the contexts its tests left open (a test that failed
 * before closing its own) are closed; the browser stays for the next file and ends with the worker.
 */
export async function releaseBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser?.isConnected()) return;
  await Promise.all(browser.contexts().map((c) => c.close().catch(() => undefined)));
}

/** The server under test, e.g. http://127.0.0.1:8080 (no trailing slash). Unset → the suites skip. */
export const baseUrl: string | undefined = process.env.E2E_BASE_URL?.replace(/\/+$/, '') || undefined;

export interface TrackedPage {
  context: BrowserContext;
  page: Page;
  /** uncaught exceptions thrown in the page; a flow should end with none */
  pageErrors: Error[];
}

/**
 * A fresh context (own cookies and localStorage) in zh-CN, desktop-sized, asking for reduced
 * motion as a user may (the UI then draws no transitions or chart animations, and Chromium
 * renders far fewer frames on the two cores it shares with the platform).
 */
export async function openPage(browser: Browser): Promise<TrackedPage> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1366, height: 900 },
    baseURL: baseUrl,
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return { context, page, pageErrors };
}

export async function login(page: Page, username: string, password = 'Demo@2026'): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user-name').waitFor();
}

/**
 * Chooses an entry of the header's account menu (修改密码, 在所有设备上退出) and waits for what it
 * opens. The page is let settle first (the landing page may still be loading its data); a menu
 * entry whose click the browser dropped while the menu was still appearing is clicked again, at
 * most three times — what is tested is that the entry opens its dialog, not the click's timing.
 */
export async function chooseAccountMenu(page: Page, entryTestId: string, opensTestId: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  for (let attempt = 1; ; attempt += 1) {
    if (await page.getByTestId(opensTestId).isVisible()) return;
    if (!(await page.getByTestId(entryTestId).isVisible())) await page.getByTestId('logout-more').click();
    await page.getByTestId(entryTestId).click();
    try {
      await page.getByTestId(opensTestId).waitFor({ timeout: 3_000 });
      return;
    } catch (cause) {
      if (attempt === 3) throw cause;
    }
  }
}

/** A valid 18-character identity number: the 17 digits and their GB 11643 check character (ISO 7064 MOD 11-2), as packages/crypto computes it. */
export function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}
