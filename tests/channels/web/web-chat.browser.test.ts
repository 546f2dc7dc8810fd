import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStaffCommand } from '../../../src/channels/console/staff.js';
import { enqueueOutbox } from '../../../src/storage/outbox-repo.js';
import { launchBrowser, phonePage, withScreenshot, type TestBrowser } from '../../helpers/browser.js';
import { createWebStack, type WebStack } from '../../helpers/web-chat-harness.js';

/**
 * The web chat in a real browser (Debian's chromium via playwright-core), in a
 * phone-sized viewport: what a parent sees and presses, end to end through the
 * real engine, case desk, outbox and SQLite file. Staff act through the
 * console desk's /case commands. One browser for the file.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

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

async function ask(page: Page, text: string): Promise<void> {
  const before = await page.locator('#log .msg.bot').count();
  await page.getByLabel('输入您的问题').fill(text);
  await page.getByRole('button', { name: '发送', exact: true }).click();
  await page.locator('#log .msg.bot').nth(before).waitFor();
}

async function press(page: Page, label: string): Promise<void> {
  const before = await page.locator('#log .msg.bot').count();
  await lastBot(page).getByRole('button', { name: label }).click();
  await page.locator('#log .msg.bot').nth(before).waitFor();
}

describe('web chat in a browser (375×667)', () => {
  it('answers with its source, files a complaint by buttons, pushes the staff reply and takes the rating', async () => {
    const page = await phonePage(browser.browser);
    await withScreenshot(page, 'web-chat-journey', async () => {
      await page.goto(`${stack.origin}/chat/`);
      // First visit: the notice says what is kept and links to the privacy text.
      const notice = page.getByRole('region', { name: '使用前请了解' });
      await expect(notice.textContent()).resolves.toContain('Cookie');
      expect(await notice.getByRole('link', { name: '隐私说明' }).getAttribute('href')).toBe('/chat/privacy?lang=zh');
      await notice.getByRole('button', { name: '知道了' }).click();
      expect(await notice.isHidden()).toBe(true);

      await ask(page, '孩子几岁可以上小学？');
      const answer = lastBot(page);
      const source = answer.locator('.source');
      expect(await source.textContent()).toMatch(/^来源：.+更新于 \d{4}-\d{2}-\d{2}$/);
      expect(await source.getByRole('link').getAttribute('href')).toMatch(/^https:\/\//);
      expect(await answer.locator('.heading').textContent()).toBeTruthy();
      expect(await answer.getByRole('button', { name: '有帮助' }).isVisible()).toBe(true);

      // Citizen text is shown as text, never parsed as HTML.
      await ask(page, '<img src=x onerror="document.title=1">我要投诉彩屯小学收取补课费每人500元');
      expect(await page.locator('#log img').count()).toBe(0);
      expect(await page.locator('#log .msg.parent').last().textContent()).toContain('<img src=x');
      await press(page, '不留电话');
      await press(page, '确认提交');
      const filed = (await lastBot(page).textContent()) ?? '';
      const code = /XH-\d{4}-\d{6}/.exec(filed)?.[0];
      expect(code, filed).toBeDefined();
      const record = await stack.cases.get(code!);
      expect(record?.channel).toBe('web');
      expect(record?.type).toBe('complaint');

      // Staff reply on the desk; the page shows it without a reload (Server-Sent Events).
      const bots = await page.locator('#log .msg.bot').count();
      await runStaffCommand(stack.cases, `/case claim ${code}`, 'zh');
      await runStaffCommand(stack.cases, `/case reply ${code} 经核实，学校已停止收费并退还费用。`, 'zh');
      await page.locator('#log .msg.bot', { hasText: '经核实，学校已停止收费并退还费用。' }).waitFor();
      expect(await page.locator('#log .msg.bot').count()).toBeGreaterThan(bots);

      await runStaffCommand(stack.cases, `/case close ${code} 已退费`, 'zh');
      const rating = page.locator('#log .msg.bot', { has: page.getByRole('button', { name: /★★★★★/ }) }).last();
      await rating.waitFor();
      await rating.getByRole('button', { name: /★★★★★/ }).click();
      await page.locator('#log .msg.bot', { hasText: '感谢' }).last().waitFor();
      expect((await stack.cases.get(code!))?.state).toBe('closed');

      // Reopening the page shows the history.
      await page.reload();
      await page.locator('#log .msg.parent', { hasText: '孩子几岁可以上小学？' }).waitFor();
      expect(await page.locator('#log .msg.bot', { hasText: '经核实' }).count()).toBe(1);
    });
  }, 60_000);

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    const page = await phonePage(browser.browser);
    await withScreenshot(page, 'web-chat-axe', async () => {
      await page.goto(`${stack.origin}/chat/`);
      await ask(page, '小学什么时候报名？');
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string; help: string }[] }> } }).axe;
        return axe.run(document);
      });
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    });
  }, 60_000);

  it('falls back to polling when the browser has no EventSource', async () => {
    const page = await phonePage(browser.browser);
    await withScreenshot(page, 'web-chat-polling', async () => {
      await page.addInitScript(() => {
        delete (window as { EventSource?: unknown }).EventSource;
      });
      await page.goto(`${stack.origin}/chat/`);
      await ask(page, '轮询测试：初中学籍怎么转？');
      const row = await stack.db.get<{ id: string }>(
        "SELECT session_id AS id FROM web_messages WHERE role = 'parent' AND payload LIKE '%轮询测试%'",
      );
      await enqueueOutbox(stack.db, { target: 'web', address: row!.id, payload: [{ text: '工作人员：已为您登记。' }] }, stack.now());
      await page.locator('#log .msg.bot', { hasText: '工作人员：已为您登记。' }).waitFor({ timeout: 20_000 });
    });
  }, 60_000);

  it('a button of an answer pushed before its message was done sending is pressed: the press is sent after it, once', async () => {
    const page = await phonePage(browser.browser);
    await withScreenshot(page, 'web-chat-press-while-sending', async () => {
      // The server delivers a turn's answer (pushed on the event stream) before the POST that sent the message
      // returns; here that POST's answer is held back until the parent has pressed a button of the pushed answer.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let held = false;
      const posts: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && new URL(request.url()).pathname === '/chat/api/messages') posts.push(request.postData() ?? '');
      });
      await page.route(
        (url) => url.pathname === '/chat/api/messages',
        async (route) => {
          if (route.request().method() !== 'POST' || held) return route.continue();
          held = true;
          const response = await route.fetch();
          await released;
          await route.fulfill({ response });
        },
      );
      await page.goto(`${stack.origin}/chat/`);
      await page.getByRole('button', { name: '知道了' }).click();
      await page.getByLabel('输入您的问题').fill('我要投诉彩屯小学收取补课费每人500元，没有收据');
      const send = page.getByRole('button', { name: '发送', exact: true });
      await send.click();
      const noPhone = page.locator('#log .msg.bot').last().getByRole('button', { name: '不留电话' });
      await noPhone.waitFor();
      expect(await send.isDisabled()).toBe(true); // the complaint is still being sent
      await noPhone.click();
      await noPhone.click(); // a double tap
      release();
      await page.locator('#log .msg.bot', { hasText: '请确认您的诉求' }).waitFor();
      // Nothing left to send once the send button is back.
      await page.locator('#send:not([disabled])').waitFor();
      expect(posts).toHaveLength(2);
      expect(JSON.parse(posts[1]!)).toHaveProperty('button');
      expect(await page.locator('#log .msg.bot', { hasText: '请确认您的诉求' }).count()).toBe(1);
      expect(await page.locator('#log .msg.bot').count()).toBe(2);
    });
  }, 60_000);

  it('switches to English and erases the data with a new session', async () => {
    const page = await phonePage(browser.browser);
    await withScreenshot(page, 'web-chat-erase', async () => {
      await page.goto(`${stack.origin}/chat/`);
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await page.locator('#log .msg.bot', { hasText: 'English' }).waitFor();
      expect(await page.getByLabel('Type your question').isVisible()).toBe(true);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      const cookieBefore = (await page.context().cookies()).find((c) => c.name === 'cd_chat');

      await page.getByRole('button', { name: 'Delete my data' }).click();
      await lastBot(page).getByRole('button', { name: /delete/i }).waitFor();
      await lastBot(page).getByRole('button', { name: /delete/i }).click();
      await page.locator('#log .msg.bot', { hasText: /deleted/i }).waitFor();
      // The transcript before the erase is gone from the page and the session id changed.
      expect(await page.locator('#log .msg', { hasText: 'English' }).count()).toBe(0);
      const cookieAfter = (await page.context().cookies()).find((c) => c.name === 'cd_chat');
      expect(cookieAfter?.value).toBeDefined();
      expect(cookieAfter?.value).not.toBe(cookieBefore?.value);
      expect(cookieAfter?.httpOnly).toBe(true);
    });
  }, 60_000);
});
