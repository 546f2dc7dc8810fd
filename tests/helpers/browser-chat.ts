import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser.js';
import { createWebStack, type WebStack } from './web-chat-harness.js';

/**
 * One headless browser and one web chat stack for a test file (started before its tests, closed after), and what a
 * parent does on the page: open the chat past the notice, type and send, read the bot's last line.
 */
export function browserAndWebStack(): { browser: () => TestBrowser; stack: () => WebStack } {
  let browser: TestBrowser | undefined;
  let stack: WebStack | undefined;
  beforeAll(async () => {
    [browser, stack] = await Promise.all([launchBrowser(), createWebStack()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser and web stack start in beforeAll');
    return value;
  };
  return { browser: () => started(browser), stack: () => started(stack) };
}

export const lastBot = (page: Page) => page.locator('#log .msg.bot').last();

/** Opens the chat page and dismisses the notice shown before first use. */
export async function openChat(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/chat/`);
  await page.getByRole('region', { name: '使用前请了解' }).getByRole('button', { name: '知道了' }).click();
}

/** Types `text`, presses 发送 and waits for the bot's next line; returns that line's text. */
export async function sendText(page: Page, text: string): Promise<string> {
  const before = await page.locator('#log .msg.bot').count();
  await page.getByLabel('输入您的问题').fill(text);
  await page.getByRole('button', { name: '发送', exact: true }).click();
  await page.locator('#log .msg.bot').nth(before).waitFor();
  return (await lastBot(page).textContent()) ?? '';
}
