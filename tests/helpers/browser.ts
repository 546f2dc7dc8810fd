import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's chromium driven by playwright-core (no browser download). The
 * background-networking flags keep chromium from dialling out, which the
 * sandboxed CI refuses. One browser per test file; pages are cheap.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  // playwright-core starts chromium with a fresh temporary --user-data-dir of its own (and refuses one in args).
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/** A phone-sized page (375×667, touch, Chinese first). */
export async function phonePage(browser: Browser, locale = 'zh-CN'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, hasTouch: true, isMobile: true, locale });
  return context.newPage();
}

/** Runs `work`; when it throws, saves a screenshot of `page` under test-results/ and rethrows. */
export async function withScreenshot<T>(page: Page, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    mkdirSync('test-results', { recursive: true });
    const path = join('test-results', `${name.replace(/[^\w-]+/g, '-')}.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => undefined);
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { screenshot: path });
  }
}
