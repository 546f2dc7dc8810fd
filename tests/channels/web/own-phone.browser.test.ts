import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, phonePage, withScreenshot, type TestBrowser } from '../../helpers/browser.js';
import { createWebStack, type WebStack } from '../../helpers/web-chat-harness.js';

/**
 * The parent's own phone number in their web chat, in a real browser: masked in their own line, in the bot's offer
 * of it and in the confirm summary, also after a reload (the stored transcript); the case keeps it whole for staff.
 */
let browser: TestBrowser;
let stack: WebStack;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), createWebStack()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const lastBot = (page: Page) => page.locator('#log .msg.bot').last();

async function waitForNextBot(page: Page, before: number): Promise<void> {
  await page.locator('#log .msg.bot').nth(before).waitFor();
}

describe('the parent\'s own phone in the web chat (browser)', () => {
  it('is shown masked in their own line, the offer and the confirm summary, also after a reload', async () => {
    const page = await phonePage(browser.browser);
    await withScreenshot(page, 'web-chat-own-phone', async () => {
      await page.goto(`${stack.origin}/chat/`);
      await page.getByRole('region', { name: '使用前请了解' }).getByRole('button', { name: '知道了' }).click();
      let before = await page.locator('#log .msg.bot').count();
      await page.getByLabel('输入您的问题').fill('我要投诉彩屯小学乱收费，每人500元，电话 139 1234 5678');
      await page.getByRole('button', { name: '发送', exact: true }).click();
      await waitForNextBot(page, before);
      expect(await page.locator('#log .msg.parent').last().textContent()).toContain('电话 139****5678');
      expect(await lastBot(page).textContent()).toContain('您在内容里留了电话 139****5678');
      before = await page.locator('#log .msg.bot').count();
      await lastBot(page).getByRole('button', { name: '就用这个号码' }).click();
      await waitForNextBot(page, before);
      const confirm = (await lastBot(page).textContent()) ?? '';
      expect(confirm).toContain('内容：我要投诉彩屯小学乱收费，每人500元，电话 139****5678');
      expect(confirm).toContain('联系电话：139****5678');
      before = await page.locator('#log .msg.bot').count();
      await lastBot(page).getByRole('button', { name: '确认提交' }).click();
      await waitForNextBot(page, before);
      const code = /XH-\d{4}-\d{6}/.exec((await lastBot(page).textContent()) ?? '')?.[0];
      expect(code).toBeDefined();
      expect((await stack.cases.get(code!))?.contact).toBe('13912345678'); // staff can call back

      const digits = async () => ((await page.locator('#log').textContent()) ?? '').replace(/\D/g, '');
      expect(await digits()).not.toContain('13912345678');
      await page.reload();
      await page.locator('#log .msg.parent', { hasText: '139****5678' }).waitFor();
      expect(await digits()).not.toContain('13912345678');
    });
  }, 60_000);
});
