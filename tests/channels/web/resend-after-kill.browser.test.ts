import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/storage/open-store.js';
import { launchBrowser, phonePage, withScreenshot, type TestBrowser } from '../../helpers/browser.js';
import { WEB_TEST_START } from '../../helpers/web-chat-harness.js';

/**
 * The web chat's server killed (SIGKILL) after a petition was committed and before the parent had the reply. The
 * page keeps the message's id until an answer comes (across a reload too); sent again after the restart, the
 * message gets the same case code — not "nothing to confirm", not a second case. Real chromium, the real web
 * routes, engine, desk, outbox and database in a child process (killed-server-child.ts) that kills itself at the
 * point named.
 */
const CHILD = join(import.meta.dirname, 'killed-server-child.ts');
const FILED = /已登记，编号 (XH-\d{4}-\d{6})/;

let browser: TestBrowser;
const children: ChildProcess[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the child on `port` (0: any) and resolves with the port it listens on, and its end. */
async function startServer(dbPath: string, port: number, killAt?: 'filed' | 'saved') {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, String(port), String(WEB_TEST_START), ...(killAt ? [killAt] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const listening = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const found = /^listening (\d+)$/.exec(line);
      if (found) resolve(Number(found[1]));
    });
    void ended.then(() => reject(new Error(`the web chat child ended before listening:\n${stderr}`)));
  });
  return { port: listening, ended };
}

const bots = (page: Page) => page.locator('#log .msg.bot');

async function ask(page: Page, text: string): Promise<void> {
  const before = await bots(page).count();
  await page.getByLabel('输入您的问题').fill(text);
  await page.getByRole('button', { name: '发送', exact: true }).click();
  await bots(page).nth(before).waitFor();
}

async function press(page: Page, label: string): Promise<void> {
  const before = await bots(page).count();
  await bots(page).last().getByRole('button', { name: label }).click();
  await bots(page).nth(before).waitFor();
}

/** A complaint up to its confirm step, on a fresh page of the server at `port`. */
async function upToConfirm(port: number): Promise<Page> {
  const page = await phonePage(browser.browser);
  await page.goto(`http://localhost:${port}/chat/`);
  await page.getByRole('button', { name: '知道了' }).click();
  await ask(page, '我要投诉彩屯小学收取补课费每人500元，没有收据');
  await press(page, '不留电话');
  expect(await bots(page).last().textContent()).toContain('请确认您的诉求');
  return page;
}

async function casesIn(dbPath: string): Promise<string[]> {
  const db = await openStore(dbPath);
  try {
    return (await db.all<{ code: string }>('SELECT code FROM cases ORDER BY id')).map((r) => r.code);
  } finally {
    await db.close();
  }
}

describe('web chat: the server killed between committing a petition and replying', { timeout: 90_000 }, () => {
  it('killed right after the commit: pressing 确认提交 again after the restart shows the same case code; one case', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'web-kill-')), 'civicdesk.db');
    const first = await startServer(dbPath, 0, 'filed');
    const page = await upToConfirm(first.port);
    await withScreenshot(page, 'web-resend-after-kill-filed', async () => {
      const confirm = bots(page).last().getByRole('button', { name: '确认提交' });
      await confirm.click();
      expect(await first.ended).toBe('SIGKILL');
      await page.getByText('发送失败，您的内容还在输入框里，请稍后重试。').waitFor();
      const [committed] = await casesIn(dbPath);
      expect(committed).toMatch(/^XH-2026-\d{6}$/);

      await startServer(dbPath, first.port);
      await confirm.click();
      await page.locator('#log .msg.bot', { hasText: FILED }).waitFor();
      const shown = FILED.exec((await bots(page).last().textContent()) ?? '')?.[1];
      expect(shown).toBe(committed);
      expect(await page.locator('#log .msg.bot', { hasText: FILED }).count()).toBe(1);
      expect(await casesIn(dbPath)).toEqual([committed]);
    });
  });

  it('killed after the turn was saved: the message typed again after a reload is put back, sent with its id, and shows the same code; one case', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'web-kill-')), 'civicdesk.db');
    const first = await startServer(dbPath, 0, 'saved');
    const page = await upToConfirm(first.port);
    await withScreenshot(page, 'web-resend-after-kill-saved', async () => {
      await page.getByLabel('输入您的问题').fill('确认');
      await page.getByRole('button', { name: '发送', exact: true }).click();
      expect(await first.ended).toBe('SIGKILL');
      await page.getByText('发送失败，您的内容还在输入框里，请稍后重试。').waitFor();
      const [committed] = await casesIn(dbPath);
      expect(committed).toMatch(/^XH-2026-\d{6}$/);

      await startServer(dbPath, first.port);
      // The parent reloads the page (a reconnect): the unanswered message is back in the box.
      await page.reload();
      expect(await page.getByLabel('输入您的问题').inputValue()).toBe('确认');
      await page.getByRole('button', { name: '发送', exact: true }).click();
      await page.locator('#log .msg.bot', { hasText: FILED }).waitFor();
      const shown = FILED.exec((await page.locator('#log .msg.bot', { hasText: FILED }).last().textContent()) ?? '')?.[1];
      expect(shown).toBe(committed);
      expect(await page.locator('#log .msg.bot', { hasText: FILED }).count()).toBe(1);
      // The message was sent once as far as the transcript shows.
      expect(await page.locator('#log .msg.parent', { hasText: /^您: 确认|确认$/ }).count()).toBe(1);
      expect(await casesIn(dbPath)).toEqual([committed]);
    });
  });
});
